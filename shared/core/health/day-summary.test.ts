import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '../candle.js';
import { kellyFraction, totalProfit, winRate } from '../performance/index.js';
import { kellyOf, totalsOf, winRateOf } from '../performance/trade-totals.js';
import type { ClosedTrade } from '../plan.js';
import {
  daySummaryId,
  emptyDay,
  emptyLedger,
  ledgerOf,
  ledgerWithBooking,
  ledgerWithTrade,
  mergeMissing,
  RECENT_TRADES,
  totalsSince,
  withEquity,
  withTick,
} from './day-summary.js';

const D0 = Date.UTC(2026, 10, 20);
const trade = (exitTimeMs: number, pnlJpy: number): ClosedTrade => ({
  side: 'long',
  amountBtc: '0.001',
  entryTimeMs: exitTimeMs - HOUR_MS,
  exitTimeMs,
  entryPriceJpy: 1e7,
  exitPriceJpy: 1e7,
  pnlJpy,
  feesJpy: 1,
  interestJpy: 0,
  exitReason: 'signal',
});

describe('day summaries', () => {
  it('are keyed by pair, mode and UTC day', () => {
    expect(daySummaryId('btc_jpy', 'paper', D0 + 23 * HOUR_MS)).toBe('btc_jpy_paper_2026-11-20');
    expect(emptyDay('btc_jpy', 'live', D0 + 5 * HOUR_MS, 1)).toMatchObject({
      day: '2026-11-20',
      dayStartMs: D0,
      ticks: [],
      equity: [],
    });
  });

  it('a bar finished again (retry, takeover) replaces its entry; entries stay in time order', () => {
    let day = emptyDay('btc_jpy', 'paper', D0, 0);
    day = withTick(day, { barOpenMs: D0 + 2 * HOUR_MS, outcome: 'ok', latencyMs: 10 }, 1);
    day = withTick(day, { barOpenMs: D0 + HOUR_MS, outcome: 'failed', code: 'EXCHANGE.TIMEOUT' }, 2);
    day = withTick(day, { barOpenMs: D0 + HOUR_MS, outcome: 'ok', latencyMs: 20 }, 3);
    day = withEquity(withEquity(day, { atMs: D0 + HOUR_MS, equityJpy: 5 }, 4), { atMs: D0 + HOUR_MS, equityJpy: 6 }, 5);
    expect(day.ticks).toEqual([
      { barOpenMs: D0 + HOUR_MS, outcome: 'ok', latencyMs: 20 },
      { barOpenMs: D0 + 2 * HOUR_MS, outcome: 'ok', latencyMs: 10 },
    ]);
    expect(day.equity).toEqual([{ atMs: D0 + HOUR_MS, equityJpy: 6 }]);
  });

  it('repair adds only what the summary lacks, and returns the same object when nothing is missing', () => {
    const day = withTick(emptyDay('btc_jpy', 'paper', D0, 0), { barOpenMs: D0, outcome: 'ok' }, 1);
    const merged = mergeMissing(
      day,
      {
        ticks: [
          { barOpenMs: D0, outcome: 'failed' },
          { barOpenMs: D0 + HOUR_MS, outcome: 'too-late' },
        ],
        equity: [{ atMs: D0, equityJpy: 1 }],
      },
      2,
    );
    expect(merged.ticks).toEqual([
      { barOpenMs: D0, outcome: 'ok' },
      { barOpenMs: D0 + HOUR_MS, outcome: 'too-late' },
    ]);
    expect(merged.equity).toEqual([{ atMs: D0, equityJpy: 1 }]);
    expect(mergeMissing(merged, { ticks: [{ barOpenMs: D0, outcome: 'failed' }], equity: [] }, 3)).toBe(merged);
  });
});

describe('trade ledger', () => {
  it('a closing order booked again with more fills replaces its trade: totals equal booking it whole once', () => {
    const t0 = Date.UTC(2026, 0, 10, 12);
    const part = { ...trade(t0, -30), amountBtc: '0.0003' };
    const whole = { ...trade(t0 + HOUR_MS, 50), amountBtc: '0.0005' };
    const other = trade(t0 - HOUR_MS, 20);
    const twice = ledgerWithBooking(
      ledgerWithBooking(ledgerWithTrade(emptyLedger('btc_jpy', 'live', t0), other, t0), undefined, part, t0),
      part,
      whole,
      t0,
    );
    const once = ledgerWithTrade(ledgerWithTrade(emptyLedger('btc_jpy', 'live', t0), other, t0), whole, t0);
    expect(totalsSince(twice, 0)).toEqual(totalsSince(once, 0));
    expect(twice.recent).toEqual(once.recent);
  });

  const pnls = [300, -120, 0, 45.5, -80, 200, -10, 60, 75, -300, 5];

  it('gives the same win rate, Kelly and total profit as the trade list it summarises', () => {
    const ledger = ledgerOf(
      'btc_jpy',
      'paper',
      pnls.map((p, i) => trade(D0 + i * 7 * HOUR_MS, p)),
      D0 + 5 * DAY_MS,
    );
    const totals = totalsSince(ledger, D0);
    expect(totals.count).toBe(pnls.length);
    expect(winRateOf(totals)).toBe(winRate(pnls));
    expect(kellyOf(totals)).toBeCloseTo(kellyFraction(pnls) as number, 12);
    expect(totals.netJpy).toBeCloseTo(totalProfit(pnls), 9);
    expect(kellyOf(totalsOf([10, 20]))).toBe(1);
    expect(kellyOf(totalsOf([-10]))).toBe(-1);
    expect(kellyOf(totalsOf([0]))).toBeUndefined();
  });

  it('counts by exit day, drops days older than a year and keeps only the newest trades', () => {
    const now = D0 + 400 * DAY_MS;
    let ledger = emptyLedger('btc_jpy', 'paper', 0);
    ledger = ledgerWithTrade(ledger, trade(D0, 100), now); // older than a year: dropped
    ledger = ledgerWithTrade(ledger, trade(now - 10 * DAY_MS, 50), now);
    ledger = ledgerWithTrade(ledger, trade(now - 10 * DAY_MS + HOUR_MS, -20), now);
    ledger = ledgerWithTrade(ledger, trade(now - HOUR_MS, 7), now);
    expect(ledger.days.map((d) => [d.day, d.count])).toEqual([
      [new Date(now - 10 * DAY_MS).toISOString().slice(0, 10), 2],
      [new Date(now - HOUR_MS).toISOString().slice(0, 10), 1],
    ]);
    expect(totalsSince(ledger, now - 5 * DAY_MS)).toMatchObject({ count: 1, netJpy: 7 });
    for (let i = 0; i < RECENT_TRADES + 5; i += 1) ledger = ledgerWithTrade(ledger, trade(now + i, 1), now);
    expect(ledger.recent).toHaveLength(RECENT_TRADES);
    expect(ledger.recent.at(-1)?.exitTimeMs).toBe(now + RECENT_TRADES + 4);
  });
});
