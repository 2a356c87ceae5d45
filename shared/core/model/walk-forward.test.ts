import { describe, expect, it } from 'vitest';
import { syntheticMarket } from './synthetic.js';
import { foldBoundaries, walkForward } from './walk-forward.js';
import type { EnsembleConfig } from './types.js';

const small: Partial<EnsembleConfig> = {
  trees: 6,
  rowsPerTree: 120,
  featuresPerTree: 3,
  maxDepth: 3,
  minLeafRows: 15,
  logisticSteps: 20,
};

describe('foldBoundaries', () => {
  it('trains [from, to), leaves the gap, tests the next bars, steps on, and cuts the last test at the end', () => {
    expect(foldBoundaries(1400, { startRow: 10, trainBars: 1000, testBars: 168, stepBars: 168, gapBars: 5 })).toEqual([
      { trainFrom: 10, trainTo: 1010, testFrom: 1015, testTo: 1183 },
      { trainFrom: 178, trainTo: 1178, testFrom: 1183, testTo: 1351 },
      { trainFrom: 346, trainTo: 1346, testFrom: 1351, testTo: 1400 },
    ]);
  });

  it('no fold when the data ends before the first test row', () => {
    expect(foldBoundaries(1005, { startRow: 0, trainBars: 1000, testBars: 168, stepBars: 168, gapBars: 5 })).toEqual(
      [],
    );
  });
});

describe('walkForward', () => {
  const market = syntheticMarket({ rows: 900, noiseFeatures: 4, seed: 3, warmupRows: 30 });
  const options = {
    featureNames: market.matrix.names,
    seed: 5,
    trainBars: 300,
    testBars: 100,
    stepBars: 100,
    ensemble: small,
  };

  it('predicts only test rows, starting after the warm-up, the training window and the gap', () => {
    const result = walkForward(market.matrix, market.closes, options);
    expect(result.folds.map((f) => [f.trainFrom, f.testFrom, f.testTo])).toEqual([
      [30, 335, 435],
      [130, 435, 535],
      [230, 535, 635],
      [330, 635, 735],
      [430, 735, 835],
      [530, 835, 900],
    ]);
    const predicted = Array.from(result.predictions, (p, i) => (Number.isNaN(p) ? -1 : i)).filter((i) => i >= 0);
    expect(predicted[0]).toBe(335);
    expect(predicted).toHaveLength(900 - 335);
    expect(result.metrics.rows).toBe(900 - 335 - 5); // the last 5 rows have no label yet
  });

  it('no leakage across the gap: closes from the first test row on cannot change that fold', () => {
    const base = walkForward(market.matrix, market.closes, options);
    const closes = Float64Array.from(market.closes, (c, i) => (i >= 335 ? c * (1 + 0.05 * Math.sin(i)) : c));
    const changed = walkForward(market.matrix, closes, options);
    expect(Array.from(changed.predictions.subarray(335, 435))).toEqual(Array.from(base.predictions.subarray(335, 435)));
    // ...while the close just before the first test row does reach the fold (the label of the last training row).
    const reach = Float64Array.from(market.closes, (c, i) => (i === 334 ? c * 1.1 : c));
    expect(Array.from(walkForward(market.matrix, reach, options).predictions.subarray(335, 435))).not.toEqual(
      Array.from(base.predictions.subarray(335, 435)),
    );
  });

  it('learns a real signal out of sample and beats the no-skill baseline on the same rows', () => {
    const result = walkForward(market.matrix, market.closes, options);
    expect(result.metrics.auc).toBeGreaterThan(0.56); // the raw signal itself scores 0.66 here
    expect(result.metrics.logLoss).toBeLessThan(result.baselineMetrics.logLoss as number);
    expect(result.baselineMetrics.rows).toBe(result.metrics.rows);
    for (const fold of result.folds)
      if (fold.baselineMetrics.auc !== undefined) expect(fold.baselineMetrics.auc).toBe(0.5); // constant within a fold
  });

  it('on pure noise it does not find skill (AUC near 0.5)', () => {
    const noise = syntheticMarket({ rows: 900, noiseFeatures: 4, seed: 9, warmupRows: 30, signalStrength: 0 });
    const result = walkForward(noise.matrix, noise.closes, {
      ...options,
      featureNames: noise.matrix.names.filter((n) => n !== 'signal'),
    });
    expect(Math.abs((result.metrics.auc as number) - 0.5)).toBeLessThan(0.05);
  });
});
