import { beforeEach, expect, it } from 'vitest';
import { HOUR_MS } from '../shared/core/candle.js';
import { createPaperExchange, type MarketFeed } from '../shared/adapters/paper/paper-exchange.js';
import { ReplayClock } from '../shared/app/replay-clock.js';
import { backtestTrades, CANDLES, drive, SLIPPAGE, at } from '../shared/testing/fill-parity-script.js';
import { clearFirestoreEmulator } from '../tools/lib/firestore-emulator.js';
import { describeWithEmulator, emulatorHost, emulatorStore } from './support/emulator.js';
import { RULES } from './tick-helpers.js';

/** The paper exchange and the backtester run the same fill model: on the script of shared/testing/fill-parity-script.ts they agree exactly. */
/** Bars closed by the clock; ticker at a boundary: bid = last close, ask = the open of the bar starting. */
export function parityFeed(clock: ReplayClock): MarketFeed {
  return {
    fetchClosedCandles: async ({ fromMs, toMs, nowMs }) =>
      CANDLES.filter((c) => c.openTimeMs >= fromMs && c.openTimeMs < toMs && c.openTimeMs + HOUR_MS <= nowMs),
    fetchTicker: async (pair) => {
      const now = clock.nowMs();
      const i = CANDLES.findIndex((c) => c.openTimeMs <= now && now < c.openTimeMs + HOUR_MS);
      const last = CANDLES[i - 1]!.close;
      return { pair, lastJpy: String(last), bidJpy: String(last), askJpy: String(CANDLES[i]!.open), timestampMs: now };
    },
    loadMarketRules: async () => RULES,
    fetchCircuitBreakMode: async () => 'NONE',
  };
}

describeWithEmulator('the fill model: backtest and paper exchange on the same bars', () => {
  beforeEach(async () => {
    await clearFirestoreEmulator(emulatorHost());
  });

  it('paper equals the backtest: prices, hours, fees and interest', async () => {
    const clock = new ReplayClock(at(4));
    const paper = createPaperExchange({
      store: emulatorStore(),
      market: parityFeed(clock),
      clock,
      pair: 'btc_jpy',
      initialJpy: 1_000_000,
      slippage: SLIPPAGE,
    });
    const booked = await drive({
      exchange: paper,
      advance: async (t) => clock.set(t),
      fills: async () =>
        (await paper.fetchTrades('btc_jpy', 0)).map((f) => ({
          orderId: f.orderId,
          priceJpy: Number(f.priceJpy),
          feeJpy: Number(f.feeJpy),
          interestJpy: Number(f.interestJpy ?? 0),
          liquidity: f.makerTaker,
          atMs: f.executedAtMs,
        })),
    });
    const expected = backtestTrades();
    expect(booked).toHaveLength(expected.length);
    for (const [i, trade] of booked.entries()) {
      const want = expected[i]!;
      expect([trade.entryHour, trade.exitHour]).toEqual([want.entryHour, want.exitHour]);
      for (const key of ['entryPriceJpy', 'exitPriceJpy', 'feesJpy', 'interestJpy'] as const)
        expect(trade[key], key).toBeCloseTo(want[key], 3);
    }
  });
});
