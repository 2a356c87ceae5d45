import { beforeEach, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '../shared/core/candle.js';
import { daySummaryId } from '../shared/core/health/day-summary.js';
import { finishTick } from '../shared/app/claim-bar.js';
import { healthRoute } from '../shared/app/health/routes.js';
import {
  bookTrade,
  ensureHealthSummaries,
  forgetRepairs,
  repairHealthSummaries,
} from '../shared/app/health/summaries.js';
import { healthDays, tradeLedgerId, tradeLedgers } from '../shared/store/health-collections.js';
import { equity, ticks, trades, type TickRecord } from '../shared/store/tick-collections.js';
import type { BookedTrade } from '../shared/core/tick/booking.js';
import { EMULATOR_PROJECT_ID, clearFirestoreEmulator } from '../tools/lib/firestore-emulator.js';
import { createFirestore } from '../shared/adapters/firestore/firestore-store.js';
import { CountingStore } from '../tools/replay/counting-store.js';
import { describeWithEmulator, emulatorHost, emulatorStore } from './support/emulator.js';
import { healthDeps, runPaperTicks, seedCandles, seedMacro, seedModel, waveCandles } from './health-helpers.js';

const T0 = Date.UTC(2026, 9, 20);
const DAYS = 31;
const NOW = T0 + DAYS * DAY_MS + 10 * 60_000; // a month and a day of hourly history behind now
const bar = (i: number) => T0 + i * HOUR_MS;
/** Every 7th bar failed, every 50th missing: a history with something to count. */
const outcomeOf = (i: number): TickRecord['outcome'] | 'missing' =>
  i % 50 === 3 ? 'missing' : i % 7 === 0 ? 'failed' : 'ok';

function rawTick(i: number): TickRecord {
  const outcome = outcomeOf(i) as 'ok' | 'failed';
  return {
    tickId: `btc_jpy_1h_${bar(i)}`,
    pair: 'btc_jpy',
    timeframe: '1h',
    barOpenMs: bar(i),
    status: outcome === 'ok' ? 'done' : 'failed',
    owner: 'seed',
    attempt: 1,
    leaseUntilMs: bar(i) + 60_000,
    claimedAtMs: bar(i) + 1_000,
    mode: 'paper',
    finishedAtMs: bar(i) + 2_000,
    outcome,
    code: outcome === 'ok' ? 'TICK.OK' : 'EXCHANGE.TIMEOUT',
    latencyMs: 500 + (i % 10) * 100,
    equityJpy: 1_000_000 + i,
  };
}

const booked = (i: number, pnlJpy: number): BookedTrade => ({
  pair: 'btc_jpy',
  side: i % 2 ? 'short' : 'long',
  amountBtc: '0.001',
  entryTimeMs: bar(i) - HOUR_MS,
  exitTimeMs: bar(i),
  entryPriceJpy: 1e7,
  exitPriceJpy: 1e7 + pnlJpy,
  pnlJpy,
  feesJpy: 3,
  interestJpy: 0,
  exitReason: 'signal',
  closingOrderId: `c${i}`,
  tradeIds: [],
});

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describeWithEmulator('health from daily summaries (emulator)', () => {
  const store = emulatorStore('paper');

  beforeEach(async () => {
    await clearFirestoreEmulator(emulatorHost());
    forgetRepairs();
  });

  it('a month of raw history is repaired into day summaries once; then /detailed, /performance, /metrics and the dashboard read at most 35 documents cold, with the same figures', async () => {
    const bars = Array.from({ length: DAYS * 24 }, (_, i) => i).filter((i) => outcomeOf(i) !== 'missing');
    // Seeded in write batches (the emulator is slow with a thousand single writes); read back through the store, so they validate.
    const db = createFirestore({ projectId: EMULATOR_PROJECT_ID });
    for (let k = 0; k < bars.length; k += 200) {
      const batch = db.batch();
      for (const i of bars.slice(k, k + 200)) {
        const t = rawTick(i);
        batch.set(db.collection(ticks.name).doc(t.tickId), t);
        batch.set(db.collection(equity.name).doc(t.tickId), {
          atMs: t.barOpenMs,
          tickId: t.tickId,
          equityJpy: t.equityJpy as number,
          peakJpy: 2_000_000,
          mode: 'paper',
        });
      }
      await batch.commit();
    }
    const pnls = [120, -40, 75, -10, 300, -90, 15, 60, -5, 44, 8];
    for (const [k, pnl] of pnls.entries()) await store.create(trades, `btc_jpy_c${k}`, booked(30 + k * 40, pnl));
    await seedCandles(store, waveCandles(NOW - 30 * HOUR_MS, 30), NOW);
    await seedMacro(store, NOW);
    await seedModel(store, NOW - DAY_MS);

    const counting = new CountingStore(store);
    const repair = await ensureHealthSummaries(counting, { pair: 'btc_jpy', mode: 'paper', nowMs: NOW });
    expect(repair).toMatchObject({ ledgerRebuilt: true });
    expect(repair?.ticksAdded).toBeGreaterThan(690);
    const again = counting.counts.reads;
    forgetRepairs(); // a fresh instance: one read (the ledger says it was backfilled), no repair
    expect(
      await ensureHealthSummaries(counting, { pair: 'btc_jpy', mode: 'paper', nowMs: NOW + HOUR_MS }),
    ).toBeUndefined();
    expect(counting.counts.reads - again).toBe(1);
    expect(
      await ensureHealthSummaries(counting, { pair: 'btc_jpy', mode: 'paper', nowMs: NOW + HOUR_MS }),
    ).toBeUndefined();
    expect(counting.counts.reads - again).toBe(1);

    const reads: Record<string, number> = {};
    const bodies: Record<string, Body | string> = {};
    for (const route of ['/detailed', '/performance', '/metrics', '/dashboard/data.json']) {
      const deps = { ...healthDeps(counting, NOW) }; // clears the history cache: a cold instance
      const r0 = counting.counts.reads;
      const answer = await healthRoute(deps, route);
      reads[route] = counting.counts.reads - r0;
      bodies[route] = answer.contentType.startsWith('application/json')
        ? (JSON.parse(answer.body) as Body)
        : answer.body;
    }
    for (const [route, n] of Object.entries(reads)) expect(n, `${route} reads ${n}`).toBeLessThanOrEqual(35);

    // The figures are the raw records' figures: availability over the 30-day window, the year's trades.
    const windowStart = Math.ceil((NOW - 30 * DAY_MS) / HOUR_MS) * HOUR_MS;
    const lastClosed = Math.floor(NOW / HOUR_MS) * HOUR_MS - HOUR_MS;
    const inWindow = Array.from({ length: DAYS * 24 }, (_, i) => i).filter(
      (i) => bar(i) >= windowStart && bar(i) <= lastClosed,
    );
    const okBars = inWindow.filter((i) => outcomeOf(i) === 'ok').length;
    const detailed = bodies['/detailed'] as Body;
    expect(detailed.checks.reliability.data).toMatchObject({ barsElapsed: inWindow.length, barsOk: okBars });
    const performance = bodies['/performance'] as Body;
    expect(performance).toMatchObject({
      trades: pnls.length,
      totalProfitJpy: pnls.reduce((a, b) => a + b, 0),
      equityPoints: inWindow.length - inWindow.filter((i) => outcomeOf(i) === 'missing').length,
    });
    const metrics = bodies['/metrics'] as string;
    const failedInWindow = Array.from({ length: DAYS * 24 }, (_, i) => i).filter(
      (i) => bar(i) >= NOW - 30 * DAY_MS && outcomeOf(i) === 'failed',
    ).length;
    expect(metrics).toContain(`crypto_bot_tick_errors_30d{code="EXCHANGE.TIMEOUT"} ${failedInWindow}`);
    expect((bodies['/dashboard/data.json'] as Body).trades).toHaveLength(pnls.length);
  });

  it('a finished tick is in its day summary (written in the same transaction), and a booking in the ledger exactly once', async () => {
    const candles = waveCandles(T0, 30);
    await seedCandles(store, candles, bar(26));
    await runPaperTicks(store, candles, [bar(22), bar(23), bar(24)]);
    const day1 = await store.get(healthDays, daySummaryId('btc_jpy', 'paper', bar(22)));
    const day2 = await store.get(healthDays, daySummaryId('btc_jpy', 'paper', bar(24)));
    expect(day1?.ticks.map((t) => [t.barOpenMs, t.outcome])).toEqual([
      [bar(22), 'ok'],
      [bar(23), 'ok'],
    ]);
    expect(day1?.equity.map((e) => e.atMs)).toEqual([bar(22), bar(23)]);
    expect(day2?.ticks.map((t) => t.barOpenMs)).toEqual([bar(24)]);
    const raw = await store.get(ticks, `btc_jpy_1h_${bar(24)}`);
    expect(day2?.ticks[0]).toEqual({
      barOpenMs: bar(24),
      outcome: raw?.outcome,
      code: raw?.code,
      latencyMs: raw?.latencyMs,
      decision: raw?.decision,
    });

    // The run that lost its lease writes nothing: neither its record nor the summary.
    expect(
      await finishTick(store, `btc_jpy_1h_${bar(24)}`, 'someone-else', {
        status: 'failed',
        outcome: 'failed',
        code: 'TICK.DEADLINE',
      }),
    ).toBe(false);
    expect((await store.get(healthDays, daySummaryId('btc_jpy', 'paper', bar(24))))?.ticks[0]?.outcome).toBe('ok');

    expect(await bookTrade(store, booked(23, 250), 'paper', bar(25))).toBe(true);
    expect(await bookTrade(store, booked(23, 250), 'paper', bar(25))).toBe(false);
    expect(await bookTrade(store, booked(24, -50), 'paper', bar(25))).toBe(true);
    const ledger = await store.get(tradeLedgers, tradeLedgerId('btc_jpy', 'paper'));
    expect(ledger?.days.map((d) => [d.day, d.count, d.netJpy])).toEqual([
      ['2026-10-20', 1, 250],
      ['2026-10-21', 1, -50],
    ]);
    expect(ledger?.recent.map((t) => t.pnlJpy)).toEqual([250, -50]);
    expect((await store.list(trades)).length).toBe(2);
  });

  it('repair leaves the summaries alone where they already hold the bar (a summary entry beats a raw record)', async () => {
    const candles = waveCandles(T0, 30);
    await seedCandles(store, candles, bar(26));
    await runPaperTicks(store, candles, [bar(20)]);
    const t = rawTick(21);
    await store.set(ticks, t.tickId, t); // a tick recorded before the summaries existed
    const report = await repairHealthSummaries(store, { pair: 'btc_jpy', mode: 'paper', nowMs: bar(22) });
    expect(report).toMatchObject({ daysWritten: 1, ticksAdded: 1 });
    const day = await store.get(healthDays, daySummaryId('btc_jpy', 'paper', bar(20)));
    expect(day?.ticks.map((x) => [x.barOpenMs, x.outcome])).toEqual([
      [bar(20), 'ok'],
      [bar(21), outcomeOf(21)],
    ]);
    expect(await repairHealthSummaries(store, { pair: 'btc_jpy', mode: 'paper', nowMs: bar(22) })).toMatchObject({
      daysWritten: 0,
      ticksAdded: 0,
      ledgerRebuilt: false,
    });
  });
});
