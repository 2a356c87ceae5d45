import { describe, expect, it } from 'vitest';
import { artifactChecksum } from './artifact.js';
import { decideRetrain, type RetrainInput } from './retrain.js';
import { syntheticMarket } from './synthetic.js';
import { trainModel } from './train.js';
import type { EnsembleConfig, ModelArtifact } from './types.js';

const small: Partial<EnsembleConfig> = {
  trees: 6,
  rowsPerTree: 120,
  featuresPerTree: 3,
  maxDepth: 3,
  minLeafRows: 15,
  logisticSteps: 20,
};
const market = syntheticMarket({ rows: 1300, noiseFeatures: 4, seed: 21, warmupRows: 30 });
const names = market.matrix.names;
const base: RetrainInput = {
  matrix: market.matrix,
  closes: market.closes,
  featureNames: names,
  current: undefined,
  seed: 3,
  createdAtMs: Date.UTC(2026, 10, 1),
  trainBars: 300,
  testBars: 100,
  stepBars: 100,
  ensemble: small,
};
const currentOn = (fromRow: number, toRow: number, featureNames: readonly string[], ensemble = small) =>
  trainModel(market.matrix, market.closes, {
    featureNames,
    fromRow,
    toRow,
    seed: 9,
    createdAtMs: Date.UTC(2026, 9, 1),
    ensemble,
  });

describe('decideRetrain', () => {
  it('with no current model, promotes a candidate that beats the no-skill baseline out of sample', () => {
    const d = decideRetrain(base);
    expect(d.promote).toBe(true);
    expect(d.reason).toMatch(/^no current model; candidate log loss .* beats the no-skill baseline/);
    expect(d.comparison.candidate.logLoss).toBeLessThan(d.comparison.baseline.logLoss as number);
    expect(d.candidate.validation.rows).toBeGreaterThan(0);
    expect(d.candidate.trainWindow.toMs).toBe(market.matrix.openTimeMs[1300 - 5 - 1]); // latest labelled row
    expect(d.folds).toBe(10);
  });

  it('keeps the current model when the candidate has no skill, and says why', () => {
    const noise = syntheticMarket({ rows: 1300, noiseFeatures: 4, seed: 22, warmupRows: 30, signalStrength: 0 });
    const d = decideRetrain({ ...base, matrix: noise.matrix, closes: noise.closes });
    expect(d.promote).toBe(false);
    expect(d.reason).toMatch(/does not beat the no-skill baseline/);
  });

  it('compares with the current model only on rows it never saw', () => {
    const current = currentOn(30, 800, names);
    const d = decideRetrain({ ...base, current });
    expect(d.currentVersion).toBe(current.version);
    expect(d.comparison.fromMs).toBeGreaterThan(current.trainWindow.toMs + 5 * 3_600_000);
    expect(d.comparison.current?.rows).toBe(d.comparison.rows);
    expect(d.comparison.rows).toBeLessThan(1300 - 800);
  });

  it('a current model trained on the latest bars leaves nothing to compare on: keep it', () => {
    const current = currentOn(900, 1300, names);
    const d = decideRetrain({ ...base, current });
    expect(d.promote).toBe(false);
    expect(d.reason).toMatch(/only 0 out-of-sample rows/);
  });

  it('promotes over a current model without skill; keeps a current model that does better', () => {
    const blind = currentOn(
      30,
      700,
      names.filter((n) => n !== 'signal'),
    );
    const better = decideRetrain({ ...base, current: blind });
    expect(better.promote).toBe(true);
    expect(better.reason).toMatch(/and the current model's/);
    const sharp = currentOn(30, 700, ['signal'], {
      ...small,
      trees: 0,
      logisticSteps: 200,
      logisticLearningRate: 2e-3,
    });
    const worse = decideRetrain({ ...base, current: sharp, ensemble: { ...small, trees: 2, logisticSteps: 2 } });
    expect(worse.comparison.current?.logLoss).toBeLessThan(worse.comparison.candidate.logLoss as number);
    expect(worse.promote).toBe(false);
    expect(worse.reason).toMatch(/does not beat the current model's/);
  });

  it('an unusable current model (tampered) is reported and not compared', () => {
    const tampered = { ...currentOn(30, 700, names), horizonBars: 6 };
    const d = decideRetrain({ ...base, current: tampered });
    expect(d.reason).toMatch(/^current model unusable \(MODEL.MISSING/);
    expect(d.comparison.current).toBeUndefined();
  });

  it('a current model that cannot predict these bars (its features all NaN, e.g. macro off) is not compared', () => {
    const current = currentOn(30, 700, names);
    const blanked = {
      ...market.matrix,
      columns: { ...market.matrix.columns, noise_3: new Float64Array(1300).fill(Number.NaN) },
    };
    const d = decideRetrain({ ...base, matrix: blanked, featureNames: names.filter((n) => n !== 'noise_3'), current });
    expect(d.reason).toMatch(/cannot predict these bars/);
    expect(d.comparison.current).toBeUndefined();
    expect(d.comparison.rows).toBeGreaterThan(168);
  });

  it('a current model without a base rate (trading nothing) is not compared, so a candidate that beats no-skill replaces it', () => {
    const { baseRate: _dropped, ...legacy } = currentOn(30, 700, ['signal'], {
      ...small,
      trees: 0,
      logisticSteps: 200,
      logisticLearningRate: 2e-3,
    });
    const current: ModelArtifact = { ...legacy, checksum: artifactChecksum(legacy) };
    const d = decideRetrain({ ...base, current, ensemble: { ...small, trees: 2, logisticSteps: 2 } });
    expect(d.reason).toMatch(
      /records no base rate .*: not comparable; candidate log loss .* beats the no-skill baseline/,
    );
    expect(d.comparison.current).toBeUndefined();
    expect(d.currentVersion).toBe(current.version);
    expect(d.promote).toBe(true);
  });
});
