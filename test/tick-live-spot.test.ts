import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { HOUR_MS, type Candle } from '../shared/core/candle.js';
import { describeWithEmulator, emulatorHost, emulatorStore } from './support/emulator.js';
import { clearFirestoreEmulator } from '../tools/lib/firestore-emulator.js';
import { startFakeBitbank, type FakeBitbank } from '../tools/fake-bitbank/server.js';
import { createBitbankExchange } from '../shared/adapters/bitbank/bitbank-exchange.js';
import { createSpotExchange } from '../shared/adapters/spot/spot-exchange.js';
import { spotLedgers, storeSpotLedgers } from '../shared/adapters/spot/spot-ledger-store.js';
import { runTick } from '../shared/app/run-tick.js';
import { ReplayClock } from '../shared/app/replay-clock.js';
import type { TickDeps } from '../shared/app/tick-deps.js';
import { positions, trades } from '../shared/store/tick-collections.js';
import type { TradePlan } from '../shared/core/plan.js';
import type { Exchange } from '../shared/ports/exchange.port.js';
import { readCandlesCsv } from '../tools/lib/csv.js';
import { captureLogger, RULES, scriptedBrain } from './tick-helpers.js';

/**
 * BOT_MARKET=spot in live mode: the tick, unchanged, over the spot exchange on the fake bitbank
 * through real ccxt. The account holds BTC of its own; the bot buys, protects, and sells only its own.
 */
const all = readCandlesCsv('data/candles/binance-btcusdt-1h-2017-2022.csv', { quotePerUsd: 150 });
const FIRST = 3000;
const candles: Candle[] = all.slice(FIRST - 500, FIRST + 50);
const at = (k: number) => (all[FIRST] as Candle).openTimeMs + k * HOUR_MS;
const lastClose = (k: number) => (all[FIRST + k - 1] as Candle).close;
/** A long entry whose stop and take-profit (15 % away) the next bars do not reach (December 2017 moved fast). */
const longEntry = (k: number, amountBtc: string): TradePlan => ({
  action: 'enter',
  side: 'long',
  amountBtc,
  stopPriceJpy: String(Math.round(lastClose(k) * 0.85)),
  takeProfitPriceJpy: String(Math.round(lastClose(k) * 1.15)),
  probabilityUp: 0.8,
  reasons: [],
});
const ACCOUNT_BTC = '0.05';

interface FakeOrder {
  order_id: number;
  side: string;
  position_side?: string;
  type: string;
  start_amount: string;
  status: string;
}

describeWithEmulator('the tick in live mode on spot against the fake bitbank (emulator)', () => {
  let fake: FakeBitbank;
  let bitbank: Exchange;
  const clock = new ReplayClock(at(0));
  const { logger, lines } = captureLogger();
  beforeAll(async () => {
    fake = await startFakeBitbank({
      candles,
      nowMs: at(0) + 1_000,
      initialJpy: 1_000_000,
      initialBtc: Number(ACCOUNT_BTC),
    });
    bitbank = createBitbankExchange({
      publicUrl: fake.url,
      privateUrl: fake.url,
      marketsUrl: fake.url,
      apiKey: 'fake-key',
      apiSecret: 'fake-secret',
      authMethod: 'time-window',
      callTimeoutMs: 5_000,
      clock,
      random: Math.random,
      logger,
    });
  });
  afterAll(async () => fake?.close());
  // Each test starts on a fresh store and an account with no working orders and its own BTC only.
  beforeEach(async () => {
    await clearFirestoreEmulator(emulatorHost());
    for (const order of await bitbank.fetchOpenOrders('btc_jpy')) await bitbank.cancelOrder('btc_jpy', order.orderId);
    await fetch(`${fake.url}/__admin/balances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ btc: Number(ACCOUNT_BTC) }),
    });
  });

  const deps = (plan: (nowMs: number, hasPosition: boolean) => TradePlan | undefined): TickDeps => ({
    settings: {
      pair: 'btc_jpy',
      timeframe: '1h',
      mode: 'live',
      tickDeadlineMs: 30_000,
      tooLateBars: 2,
      entryWindowMs: 600_000,
      maxDrawdown: 0.15,
    },
    clock,
    logger,
    store: emulatorStore('live'),
    exchange: createSpotExchange({
      inner: bitbank,
      pair: 'btc_jpy',
      ledgers: storeSpotLedgers(emulatorStore('live')),
      clock,
      logger,
    }),
    brain: scriptedBrain(plan),
    owner: `spot-${Math.random()}`,
  });
  const barOf = async (k: number) => {
    await fake.setClock(at(k) + 1_000);
    clock.set(at(k) + 5_000);
    return { scheduleTime: new Date(at(k)).toISOString() };
  };
  const fakeOrders = async (): Promise<FakeOrder[]> =>
    ((await (await fetch(`${fake.url}/__admin/orders`)).json()) as { orders: FakeOrder[] }).orders;
  const accountBtc = async (): Promise<string> =>
    new Decimal((await bitbank.fetchBalances()).find((b) => b.asset === 'btc')?.onhandAmount ?? '0').toString();
  const open = (o: FakeOrder) => ['INACTIVE', 'UNFILLED', 'PARTIALLY_FILLED'].includes(o.status);

  it("entry buys BTC with JPY, its stop and take-profit rest as spot orders; the exit sells only the bot's BTC and is booked", async () => {
    const k = 5;
    const entry = longEntry(k, '0.0005');
    const first = await runTick(
      deps((nowMs, pos) => (nowMs === at(k) && !pos ? entry : undefined)),
      await barOf(k),
    );
    expect(first.body).toMatchObject({ outcome: 'ok' });
    const placed = await fakeOrders();
    // Spot orders only: no position_side anywhere.
    expect(placed.every((o) => o.position_side === undefined)).toBe(true);
    expect(placed.map((o) => [o.side, o.type, o.start_amount, o.status])).toEqual([
      ['buy', 'market', '0.0005', 'FULLY_FILLED'],
      ['sell', 'stop', '0.0005', 'INACTIVE'],
      ['sell', 'limit', '0.0005', 'UNFILLED'],
    ]);
    expect(await accountBtc()).toBe('0.0505');
    expect((await emulatorStore('live').get(positions, 'btc_jpy_long'))?.amountBtc).toBe('0.0005');
    expect((await emulatorStore('live').get(spotLedgers, 'btc_jpy'))?.amountBtc).toBe('0.0005');

    const exit: TradePlan = { action: 'exit', reason: 'signal', probabilityUp: 0.2, reasons: [] };
    const second = await runTick(
      deps((nowMs, pos) => (nowMs === at(k + 1) && pos ? exit : undefined)),
      await barOf(k + 1),
    );
    expect(second.body).toMatchObject({ outcome: 'ok' });
    const after = await fakeOrders();
    expect(after.every((o) => o.position_side === undefined)).toBe(true);
    expect(
      after.filter((o) => o.side === 'sell' && o.type === 'market').map((o) => [o.start_amount, o.status]),
    ).toEqual([['0.0005', 'FULLY_FILLED']]);
    expect(after.filter(open)).toEqual([]); // its stop and take-profit cancelled once the exit filled
    expect(await accountBtc()).toBe(ACCOUNT_BTC); // the account's own BTC untouched
    expect(await emulatorStore('live').get(positions, 'btc_jpy_long')).toBeUndefined();
    const booked = (await emulatorStore('live').list(trades)).map((d) => d.data);
    expect(booked).toHaveLength(1);
    expect(booked[0]).toMatchObject({ side: 'long', amountBtc: '0.0005', exitReason: 'signal', interestJpy: 0 });
    const fees = 0.0005 * (booked[0]!.entryPriceJpy + booked[0]!.exitPriceJpy) * RULES.takerFeeRate;
    expect(booked[0]!.feesJpy).toBeCloseTo(fees, 2);
  });

  it('an account holding less BTC than the bot bought is a shortfall: the holding is cut to the balance and its stop resized', async () => {
    const k = 10;
    const entry = longEntry(k, '0.0010');
    expect(
      (
        await runTick(
          deps((nowMs, pos) => (nowMs === at(k) && !pos ? entry : undefined)),
          await barOf(k),
        )
      ).body,
    ).toMatchObject({ outcome: 'ok' });
    // Something else sells the account's BTC and 0.0004 of the bot's.
    await fetch(`${fake.url}/__admin/balances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ btc: 0.0006 }),
    });
    const next = await runTick(
      deps(() => undefined),
      await barOf(k + 1),
    );
    expect(next.body).toMatchObject({ outcome: 'ok' });
    expect(lines.some((l) => l.code === 'RECONCILE.SPOT_SHORTFALL' && l.shortfallBtc === '0.0004')).toBe(true);
    expect((await emulatorStore('live').get(positions, 'btc_jpy_long'))?.amountBtc).toBe('0.0006');
    const stops = (await fakeOrders()).filter((o) => open(o) && o.type === 'stop');
    expect(stops.map((o) => o.start_amount)).toEqual(['0.0006']);
  });

  it("an account holding only the bot's BTC: the take-profit that locks it is cancelled so the exit can sell, the stop stays until the exit filled", async () => {
    const k = 20;
    expect(
      (
        await runTick(
          deps((nowMs, pos) => (nowMs === at(k) && !pos ? longEntry(k, '0.0005') : undefined)),
          await barOf(k),
        )
      ).body,
    ).toMatchObject({ outcome: 'ok' });
    await fetch(`${fake.url}/__admin/balances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ btc: 0.0005 }),
    });
    const exit: TradePlan = { action: 'exit', reason: 'signal', probabilityUp: 0.2, reasons: [] };
    const answer = await runTick(
      deps((nowMs, pos) => (nowMs === at(k + 1) && pos ? exit : undefined)),
      await barOf(k + 1),
    );
    expect(answer.body).toMatchObject({ outcome: 'ok' });
    const bar = (await fakeOrders()).filter((o) => o.order_id > 0).slice(-4);
    expect(bar.map((o) => [o.side, o.type, o.status])).toEqual([
      ['buy', 'market', 'FULLY_FILLED'],
      ['sell', 'stop', 'CANCELED_UNFILLED'],
      ['sell', 'limit', 'CANCELED_UNFILLED'],
      ['sell', 'market', 'FULLY_FILLED'],
    ]);
    expect(await accountBtc()).toBe('0');
    expect(await emulatorStore('live').get(positions, 'btc_jpy_long')).toBeUndefined();
  });
});
