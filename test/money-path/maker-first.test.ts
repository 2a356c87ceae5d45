import { afterEach, beforeEach, expect, inject, it } from 'vitest';
import type { Candle } from '../../shared/core/candle.js';
import type { TradePlan } from '../../shared/core/plan.js';
import { runTick } from '../../shared/app/run-tick.js';
import { orders, positions, trades } from '../../shared/store/tick-collections.js';
import { clearFirestoreEmulator } from '../../tools/lib/firestore-emulator.js';
import type { FakeBitbank } from '../../tools/fake-bitbank/server.js';
import { describeWithEmulator } from '../support/emulator.js';
import {
  OPEN_STATUSES,
  barMs,
  fakeAdmin,
  lastClose,
  liveCandles,
  liveStore,
  liveTickDeps,
  restingBtc,
  sharedReplayClock,
  shortOrders,
  startWarmFake,
} from '../support/live-tick.js';

/**
 * Issue 13, maker-first orders in the live tick (EXECUTION=maker-then-taker, MAKER_WAIT_BARS=1),
 * against the fake bitbank over HTTP with real ccxt. The entry is a post-only sell at the ask that
 * rests through its bar; the fake fills it only if that bar trades through its price.
 * - Bar 3 never trades above the ask: at bar 4 the tick cancels it and sends the short at market.
 * - Bar 4 trades 2 % above the ask: at bar 5 the tick finds it filled and only protects it.
 * - Planned exit at bar 7 (a post-only buy at the bid; bar 7 never trades below it): the stop and
 *   take-profit stay while it rests; at bar 8 it is cancelled and the position closed at market.
 * All: exactly the orders expected, the stop and take-profit sized to the position, every order on
 * the fake matched by an intent, the mirror equal to the fake's position; a later tick sends nothing more.
 */
const candleOf = (k: number): Candle => liveCandles()[500 + k] as Candle;

/** The short entry of the scripts at bar `entryBar`, its stop and take-profit 10 % away (the price moves a few % meanwhile). */
const wideShortAt =
  (entryBar: number) =>
  (nowMs: number, hasPosition: boolean): TradePlan | undefined => {
    if (nowMs !== barMs(entryBar) || hasPosition) return undefined;
    const price = lastClose(entryBar);
    const stopPriceJpy = String(Math.round(price * 1.1));
    return {
      action: 'enter',
      side: 'short',
      amountBtc: '0.0005',
      stopPriceJpy,
      takeProfitPriceJpy: String(Math.round(price * 0.9)),
      probabilityUp: 0.2,
      reasons: ['test script'],
    };
  };

/** The same short, and a planned exit at bar `exitBar`. */
const shortThenExit =
  (entryBar: number, exitBar: number) =>
  (nowMs: number, hasPosition: boolean): TradePlan | undefined =>
    nowMs === barMs(exitBar) && hasPosition
      ? { action: 'exit', reason: 'signal', probabilityUp: 0.6, reasons: ['test script'] }
      : wideShortAt(entryBar)(nowMs, hasPosition);

async function tickAt(
  fake: FakeBitbank,
  k: number,
  entryBar: number,
  exitBar?: number,
): Promise<Record<string, unknown>> {
  await fake.setClock(barMs(k) + 1_000);
  const plan = exitBar === undefined ? wideShortAt(entryBar) : shortThenExit(entryBar, exitBar);
  const deps = liveTickDeps({
    fakeUrl: fake.url,
    clock: sharedReplayClock(barMs(k) + 5_000, Date.now()),
    plan,
    callTimeoutMs: 10_000,
    tickDeadlineMs: 30_000,
    owner: `maker-${k}`,
  });
  const answer = await runTick(
    { ...deps, settings: { ...deps.settings, execution: 'maker-then-taker', makerWaitBars: 1 } },
    { scheduleTime: new Date(barMs(k)).toISOString() },
  );
  return answer.body;
}

/** The money as the fake holds it, and whether the bot's records match it. */
async function judge(fake: FakeBitbank) {
  const admin = fakeAdmin(fake.url);
  const rows = await admin.orders();
  const onFake = await admin.positions();
  const intents = (await liveStore().list(orders)).map((d) => d.data);
  const mirrored = (await liveStore().list(positions)).map((d) => ({
    side: d.data.side,
    amountBtc: Number(d.data.amountBtc),
  }));
  const matched = new Set(intents.flatMap((i) => (i.orderId ? [i.orderId] : [])));
  const { stops, takeProfits } = shortOrders(rows);
  const sells = rows.filter((o) => o.position_side === 'short' && o.side === 'sell');
  return {
    rows,
    onFake,
    intents,
    stops,
    takeProfits,
    makers: sells.filter((o) => o.type === 'limit'),
    markets: sells.filter((o) => o.type === 'market'),
    unmatched: rows.filter((o) => !matched.has(String(o.order_id))).map((o) => `${o.order_id} ${o.side} ${o.type}`),
    positionMatchesExchange: JSON.stringify(mirrored) === JSON.stringify(onFake),
  };
}

describeWithEmulator('maker-first entries and exits in the live tick (fake bitbank over HTTP, real ccxt)', () => {
  let fake: FakeBitbank | undefined;
  beforeEach(async () => {
    const host = inject('firestoreEmulatorHost');
    if (host) await clearFirestoreEmulator(host);
  });
  afterEach(async () => fake?.close());

  it('a post-only entry that rests its bar unfilled is cancelled and replaced by one market order; the position gets its stop', async () => {
    const K = 3;
    let warmUp;
    ({ fake, warmUp } = await startWarmFake(K));
    expect(warmUp.body).toMatchObject({ outcome: 'ok' });

    expect(await tickAt(fake, K, K)).toMatchObject({ outcome: 'ok', decision: 'enter' });
    const placed = await judge(fake);
    expect(placed.makers.map((o) => [o.status, o.start_amount])).toEqual([['UNFILLED', '0.0005']]);
    expect(placed.markets).toEqual([]);
    expect(Number(placed.makers[0]?.price), 'premise: bar 3 never trades above the ask').toBeGreaterThanOrEqual(
      candleOf(K).high,
    );

    expect(await tickAt(fake, K + 1, K)).toMatchObject({ outcome: 'ok' });
    expect(await tickAt(fake, K + 2, K)).toMatchObject({ outcome: 'ok' }); // nothing more to do
    const after = await judge(fake);
    expect
      .soft(
        after.makers.map((o) => o.status),
        'the maker order, cancelled unfilled',
      )
      .toEqual(['CANCELED_UNFILLED']);
    expect
      .soft(
        after.markets.map((o) => [o.status, o.start_amount]),
        'exactly one market fallback',
      )
      .toEqual([['FULLY_FILLED', '0.0005']]);
    expect.soft(after.onFake).toEqual([{ side: 'short', amountBtc: 0.0005 }]);
    expect.soft(restingBtc(after.stops), 'stop sized to the position').toBe(0.0005);
    expect.soft(restingBtc(after.takeProfits), 'take-profit sized to the position').toBe(0.0005);
    expect.soft(after.stops.length + after.takeProfits.length).toBe(2);
    expect.soft(after.unmatched, 'every order on the fake matched by an intent').toEqual([]);
    expect.soft(after.positionMatchesExchange, 'positionMatchesExchange').toBe(true);
    const maker = after.intents.find((i) => i.purpose === 'entry');
    expect.soft(maker?.resting).toMatchObject({ cancelReason: 'expired', outcome: 'fallback' });
    expect.soft(after.intents.filter((i) => i.purpose === 'entry-fallback').map((i) => i.status)).toEqual(['sent']);
  }, 120_000);

  it('a post-only entry that fills while it rests is only protected: no market order', async () => {
    const K = 4;
    let warmUp;
    ({ fake, warmUp } = await startWarmFake(K));
    expect(warmUp.body).toMatchObject({ outcome: 'ok' });

    expect(await tickAt(fake, K, K)).toMatchObject({ outcome: 'ok', decision: 'enter' });
    expect(await tickAt(fake, K + 1, K)).toMatchObject({ outcome: 'ok' });
    expect(await tickAt(fake, K + 2, K)).toMatchObject({ outcome: 'ok' });
    const after = await judge(fake);
    expect
      .soft(
        after.makers.map((o) => [o.status, o.start_amount]),
        'the maker order, filled',
      )
      .toEqual([['FULLY_FILLED', '0.0005']]);
    expect.soft(Number(after.makers[0]?.price), 'premise: bar 4 trades through the ask').toBeLessThan(candleOf(K).high);
    expect.soft(after.markets, 'no market order').toEqual([]);
    expect.soft(after.onFake).toEqual([{ side: 'short', amountBtc: 0.0005 }]);
    expect.soft(restingBtc(after.stops), 'stop sized to the position').toBe(0.0005);
    expect.soft(restingBtc(after.takeProfits), 'take-profit sized to the position').toBe(0.0005);
    expect
      .soft(after.rows.filter((o) => OPEN_STATUSES.includes(o.status)).length, 'only the stop and the take-profit work')
      .toBe(2);
    expect.soft(after.unmatched, 'every order on the fake matched by an intent').toEqual([]);
    expect.soft(after.positionMatchesExchange, 'positionMatchesExchange').toBe(true);
    expect.soft(after.intents.find((i) => i.purpose === 'entry')?.resting).toMatchObject({ outcome: 'filled' });
  }, 120_000);

  it('a planned exit rests as a post-only buy beside the stop and take-profit, then goes to market; the position never flips', async () => {
    const K = 4;
    const X = 7;
    let warmUp;
    ({ fake, warmUp } = await startWarmFake(K));
    expect(warmUp.body).toMatchObject({ outcome: 'ok' });
    for (let k = K; k < X; k += 1) expect(await tickAt(fake, k, K, X)).toMatchObject({ outcome: 'ok' });
    expect(await tickAt(fake, X, K, X)).toMatchObject({ outcome: 'ok', decision: 'exit' });
    const resting = await judge(fake);
    const exitRows = (rows: typeof resting.rows) =>
      rows.filter((o) => o.position_side === 'short' && o.side === 'buy' && o.type === 'limit' && o.post_only === true);
    expect(exitRows(resting.rows).map((o) => [o.status, o.start_amount])).toEqual([['UNFILLED', '0.0005']]);
    expect(Number(exitRows(resting.rows)[0]?.price), 'premise: bar 7 never trades below the bid').toBeLessThanOrEqual(
      candleOf(X).low,
    );
    expect(restingBtc(resting.stops), 'the stop stays while the exit rests').toBe(0.0005);
    expect(resting.onFake).toEqual([{ side: 'short', amountBtc: 0.0005 }]);

    expect(await tickAt(fake, X + 1, K, X)).toMatchObject({ outcome: 'ok' });
    expect(await tickAt(fake, X + 2, K, X)).toMatchObject({ outcome: 'ok' }); // nothing more to do
    const after = await judge(fake);
    const closes = after.rows.filter((o) => o.position_side === 'short' && o.side === 'buy');
    expect
      .soft(
        exitRows(after.rows).map((o) => o.status),
        'the maker exit, cancelled unfilled',
      )
      .toEqual(['CANCELED_UNFILLED']);
    expect
      .soft(
        closes.filter((o) => o.type === 'market').map((o) => [o.status, o.start_amount]),
        'one market fallback',
      )
      .toEqual([['FULLY_FILLED', '0.0005']]);
    expect.soft(after.onFake, 'flat, never flipped').toEqual([]);
    expect
      .soft(
        after.rows.filter((o) => OPEN_STATUSES.includes(o.status)),
        'no order left working',
      )
      .toEqual([]);
    expect.soft(after.unmatched, 'every order on the fake matched by an intent').toEqual([]);
    expect.soft(after.positionMatchesExchange, 'positionMatchesExchange').toBe(true);
    expect
      .soft(after.intents.find((i) => i.purpose === 'exit-maker')?.resting)
      .toMatchObject({ cancelReason: 'expired', outcome: 'fallback' });
    const booked = (await liveStore().list(trades)).map((d) => d.data.exitReason);
    expect.soft(booked, "booked as the plan's exit").toEqual(['signal']);
  }, 120_000);
});
