import { describe, expect, it } from 'vitest';
import { HOUR_MS, type Candle } from '../candle.js';
import { describeGaps, findGaps, gapsOf } from './gaps.js';

const T0 = Date.UTC(2025, 0, 6);
const bar = (h: number): Candle => ({ openTimeMs: T0 + h * HOUR_MS, open: 1, high: 1, low: 1, close: 1, volume: 0 });

describe('candle gaps', () => {
  it('finds the runs of missing bars between published ones', () => {
    expect(findGaps([0, 1, 4, 5, 7].map(bar))).toEqual([
      { firstMissingOpenMs: T0 + 2 * HOUR_MS, lastMissingOpenMs: T0 + 3 * HOUR_MS, missingBars: 2 },
      { firstMissingOpenMs: T0 + 6 * HOUR_MS, lastMissingOpenMs: T0 + 6 * HOUR_MS, missingBars: 1 },
    ]);
    expect(findGaps([0, 1, 2].map(bar))).toEqual([]);
    expect(findGaps([2, 1].map(bar))).toEqual([]); // disorder is the gate's "not-ascending", not a gap
  });

  it('groups known-missing open times into runs', () => {
    const missing = [9, 2, 3, 4].map((h) => T0 + h * HOUR_MS);
    expect(gapsOf(missing)).toEqual([
      { firstMissingOpenMs: T0 + 2 * HOUR_MS, lastMissingOpenMs: T0 + 4 * HOUR_MS, missingBars: 3 },
      { firstMissingOpenMs: T0 + 9 * HOUR_MS, lastMissingOpenMs: T0 + 9 * HOUR_MS, missingBars: 1 },
    ]);
  });

  it('describes gaps with time and length', () => {
    expect(describeGaps(findGaps([0, 1, 4, 5, 7].map(bar)))).toBe(
      '2 gap(s), 3 bar(s) missing: 2025-01-06T02:00Z x2, 2025-01-06T06:00Z x1',
    );
  });
});
