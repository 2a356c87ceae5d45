import { beforeEach, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '../shared/core/candle.js';
import { RECENT_TRADES } from '../shared/core/health/day-summary.js';
import type { BookedTrade } from '../shared/core/tick/booking.js';
import { bookTrade, repairHealthSummaries } from '../shared/app/health/summaries.js';
import { closedTradesSince } from '../shared/app/closed-trades.js';
import { trades } from '../shared/store/tick-collections.js';
import { EMULATOR_PROJECT_ID, clearFirestoreEmulator } from '../tools/lib/firestore-emulator.js';
import { createFirestore } from '../shared/adapters/firestore/firestore-store.js';
import { CountingStore } from '../tools/replay/counting-store.js';
import { describeWithEmulator, emulatorHost, emulatorStore } from './support/emulator.js';

const T0 = Date.UTC(2026, 9, 1);
const booked = (i: number, pnlJpy: number, pair = 'btc_jpy'): BookedTrade => ({
  pair,
  side: i % 2 ? 'short' : 'long',
  amountBtc: '0.001',
  entryTimeMs: T0 + i * HOUR_MS - HOUR_MS,
  exitTimeMs: T0 + i * HOUR_MS,
  entryPriceJpy: 1e7,
  exitPriceJpy: 1e7 + pnlJpy,
  pnlJpy,
  feesJpy: 3,
  interestJpy: 0,
  exitReason: 'signal',
  closingOrderId: `c${i}`,
  tradeIds: [],
});
const closed = ({ pair: _p, closingOrderId: _o, tradeIds: _t, exchangeProfitLossJpy: _x, ...rest }: BookedTrade) =>
  rest;

describeWithEmulator('closed trades for Kelly, protections and the breaker: from the trade ledger (emulator)', () => {
  const store = emulatorStore('paper');
  beforeEach(async () => {
    await clearFirestoreEmulator(emulatorHost());
  });

  it('reads one document once the ledger is backfilled, equal to the trades, and sees a booking made since at once', async () => {
    for (const [i, pnl] of [
      [2, 100],
      [30, -40],
      [50, 70],
    ] as const)
      await store.create(trades, `btc_jpy_c${i}`, booked(i, pnl));
    await store.create(trades, 'eth_jpy_c3', booked(3, 999, 'eth_jpy'));
    const nowMs = T0 + 3 * DAY_MS;
    // Before the ledger is backfilled (history booked before it) it is not trusted: trades are listed.
    expect((await closedTradesSince(store, 'btc_jpy', 'paper', T0)).from).toBe('trades');
    await repairHealthSummaries(store, { pair: 'btc_jpy', mode: 'paper', nowMs });
    const counting = new CountingStore(store);
    const read = await closedTradesSince(counting, 'btc_jpy', 'paper', T0 + 10 * HOUR_MS);
    expect(read.from).toBe('ledger');
    expect(counting.counts.reads).toBe(1);
    expect(read.trades).toEqual([closed(booked(30, -40)), closed(booked(50, 70))]);

    // Another tick books a trade: the next read has it (nothing is kept between reads).
    await bookTrade(store, booked(60, -5), 'paper', nowMs);
    const after = await closedTradesSince(store, 'btc_jpy', 'paper', T0 + 10 * HOUR_MS);
    expect(after.trades.map((t) => t.pnlJpy)).toEqual([-40, 70, -5]);
    const listed = (
      await store.list(trades, { where: [['exitTimeMs', '>=', T0 + 10 * HOUR_MS]], orderBy: { field: 'exitTimeMs' } })
    )
      .map((d) => d.data)
      .filter((t) => t.pair === 'btc_jpy');
    expect(after.trades).toEqual(listed.map(closed));
  });

  it('a full ledger whose oldest kept trade is inside the span falls back to listing trades (none is dropped)', async () => {
    const db = createFirestore({ projectId: EMULATOR_PROJECT_ID });
    const batch = db.batch();
    for (let i = 1; i <= RECENT_TRADES + 5; i += 1)
      batch.set(db.collection('modes/paper/trades').doc(`btc_jpy_c${i}`), booked(i, i));
    await batch.commit();
    const nowMs = T0 + 10 * DAY_MS;
    await repairHealthSummaries(store, { pair: 'btc_jpy', mode: 'paper', nowMs });
    const read = await closedTradesSince(store, 'btc_jpy', 'paper', T0);
    expect(read.from).toBe('trades');
    expect(read.trades).toHaveLength(RECENT_TRADES + 5);
    const recentOnly = await closedTradesSince(store, 'btc_jpy', 'paper', T0 + 50 * HOUR_MS);
    expect(recentOnly.from).toBe('ledger');
    expect(recentOnly.trades.map((t) => t.pnlJpy)).toEqual(
      Array.from({ length: RECENT_TRADES + 5 - 49 }, (_, k) => k + 50),
    );
  });
});
