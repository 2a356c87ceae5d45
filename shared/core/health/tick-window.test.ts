import { describe, expect, it } from 'vitest';
import { nearestRankQuantile, tickWindowStats } from './tick-window.js';

describe('tick window statistics', () => {
  it('nearest-rank quantiles are observed values (Hyndman-Fan type 1), none for no values', () => {
    const values = [15, 20, 35, 40, 50];
    expect(nearestRankQuantile(values, 0.05)).toBe(15);
    expect(nearestRankQuantile(values, 0.3)).toBe(20);
    expect(nearestRankQuantile(values, 0.4)).toBe(20);
    expect(nearestRankQuantile(values, 0.5)).toBe(35);
    expect(nearestRankQuantile(values, 1)).toBe(50);
    expect(nearestRankQuantile([], 0.5)).toBeNull();
    expect(() => nearestRankQuantile(values, 0)).toThrow(RangeError);
  });

  it('counts ticks by outcome and errors by code, and takes latency quantiles per outcome', () => {
    const stats = tickWindowStats([
      { barOpenMs: 0, outcome: 'ok', code: 'TICK.OK', latencyMs: 300 },
      { barOpenMs: 1, outcome: 'ok', code: 'TICK.OK', latencyMs: 100 },
      { barOpenMs: 2, outcome: 'ok', code: 'TICK.OK' },
      { barOpenMs: 3, outcome: 'failed', code: 'STORE.UNAVAILABLE', latencyMs: 9_000 },
      { barOpenMs: 4, outcome: 'too-late', code: 'TICK.TOO_LATE', latencyMs: 5 },
    ]);
    expect([...stats.ticksByOutcome]).toEqual([
      ['ok', 3],
      ['failed', 1],
      ['too-late', 1],
    ]);
    expect([...stats.errorsByCode]).toEqual([
      ['STORE.UNAVAILABLE', 1],
      ['TICK.TOO_LATE', 1],
    ]);
    expect(stats.latencyMsByOutcome.get('ok')).toEqual([
      { quantile: 0.5, ms: 100 },
      { quantile: 0.95, ms: 300 },
      { quantile: 1, ms: 300 },
    ]);
    expect(stats.latencyMsByOutcome.get('failed')?.map((q) => q.ms)).toEqual([9_000, 9_000, 9_000]);
  });
});
