import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../candle.js';
import { computeFeatureMatrix, NON_MACRO_FEATURE_NAMES } from '../features/index.js';
import type { PlanInput } from '../plan.js';
import { latestFeatureLookup, matrixFeatureLookup } from './features.js';
import { candlesFromCloses, planInput } from './test-fixtures.js';

const START = Date.UTC(2024, 2, 1);
const closes = Array.from(
  { length: 700 },
  (_, i) => 10_000_000 * (1 + 0.02 * Math.sin(i / 7) + 0.01 * Math.cos(i / 3.1)),
);
const candles = candlesFromCloses(closes, START, 5_000);
const input = (n: number): PlanInput => planInput(START + n * HOUR_MS, candles.slice(0, n));

describe('feature lookups', () => {
  it('the live path (last bar) and the backtest path (matrix row) give the same features', () => {
    const names = NON_MACRO_FEATURE_NAMES;
    const matrix = computeFeatureMatrix(candles, undefined);
    const live = latestFeatureLookup(names)(input(650));
    const batch = matrixFeatureLookup(matrix, names)(input(650));
    expect(live.ok && batch.ok).toBe(true);
    if (!live.ok || !batch.ok) return;
    for (const n of names) expect(live.features[n]).toBeCloseTo(batch.features[n]!, 6);
  });

  it('holds with DATA.MISSING_CANDLES during warm-up and DATA.STALE_CANDLES when the last bar is not the one decided', () => {
    expect(latestFeatureLookup(NON_MACRO_FEATURE_NAMES)(input(20))).toMatchObject({
      ok: false,
      code: 'DATA.MISSING_CANDLES',
    });
    expect(latestFeatureLookup(NON_MACRO_FEATURE_NAMES)({ ...input(650), nowMs: START + 652 * HOUR_MS })).toMatchObject(
      { ok: false, code: 'DATA.STALE_CANDLES' },
    );
  });
});
