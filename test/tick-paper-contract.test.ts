import { join } from 'node:path';
import { HOUR_MS, type Candle } from '../shared/core/candle.js';
import { JsonLogger } from '../shared/adapters/json-logger.js';
import { createBitbankExchange } from '../shared/adapters/bitbank/bitbank-exchange.js';
import { createPaperExchange } from '../shared/adapters/paper/paper-exchange.js';
import { ReplayClock } from '../shared/app/replay-clock.js';
import { readCandlesCsv } from '../tools/lib/csv.js';
import { clearFirestoreEmulator } from '../tools/lib/firestore-emulator.js';
import { startFakeBitbank } from '../tools/fake-bitbank/server.js';
import { exchangeContract, onMarket } from './support/exchange-contract.js';
import { storeSpotLedgers } from '../shared/adapters/spot/spot-ledger-store.js';
import { describeWithEmulator, emulatorHost, emulatorStore } from './support/emulator.js';

/** The same Exchange contract the bitbank adapter keeps, for the paper exchange (market data from the fake via real ccxt, state in the emulator). */
const ALL = readCandlesCsv(join(import.meta.dirname, '../data/candles/binance-btcusdt-1h-2017-2022.csv'), {
  quotePerUsd: 150,
});
const START = ALL.findIndex((c) => c.openTimeMs === Date.UTC(2021, 0, 1));
const CANDLES: Candle[] = ALL.slice(START, START + 400);

describeWithEmulator('paper exchange', () => {
  exchangeContract("paper exchange (Firestore emulator) on the fake bitbank's market data", async (market) => {
    await clearFirestoreEmulator(emulatorHost());
    let nowMs = (CANDLES[199] as Candle).openTimeMs + HOUR_MS;
    const fake = await startFakeBitbank({ candles: CANDLES, nowMs });
    const clock = new ReplayClock(nowMs);
    const feed = createBitbankExchange({
      publicUrl: fake.url,
      privateUrl: fake.url,
      marketsUrl: fake.url,
      authMethod: 'time-window',
      callTimeoutMs: 3_000,
      clock,
      random: Math.random,
      logger: new JsonLogger({ write: () => undefined }),
    });
    return {
      // On spot the ledger is the Firestore one the tick uses (modes/paper/spotLedgers).
      exchange: onMarket(
        createPaperExchange({ store: emulatorStore(), market: feed, clock, pair: 'btc_jpy', initialJpy: 10_000_000 }),
        market,
        () => clock.nowMs(),
        storeSpotLedgers(emulatorStore('paper')),
      ),
      candles: CANDLES,
      nowMs: () => nowMs,
      advanceTo: async (t) => {
        await fake.setClock(t);
        clock.set(t);
        nowMs = t;
      },
      partialFills: false,
      close: () => fake.close(),
    };
  });
});
