import { describe, expect, it } from 'vitest';
import { BotError } from '../errors.js';
import { artifactChecksum, canonicalJson } from './artifact.js';
import { loadModel } from './load.js';
import { buildLabels } from './labels.js';
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
const market = syntheticMarket({ rows: 700, noiseFeatures: 5, seed: 7, warmupRows: 40 });
const names = market.matrix.names;
const train = (over: Partial<Parameters<typeof trainModel>[2]> = {}, m = market): ModelArtifact =>
  trainModel(m.matrix, m.closes, {
    featureNames: names,
    fromRow: 0,
    toRow: 400,
    seed: 11,
    createdAtMs: Date.UTC(2026, 10, 1),
    ensemble: small,
    ...over,
  });

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return error instanceof BotError ? error.code : `not a BotError: ${String(error)}`;
  }
  return undefined;
}

describe('trainModel', () => {
  it('drops warm-up rows with NaN features and rows past the window; records the window it used', () => {
    const artifact = train();
    expect(artifact.trainWindow).toEqual({
      fromMs: market.matrix.openTimeMs[40],
      toMs: market.matrix.openTimeMs[399],
      rows: 360,
    });
    expect(artifact.featureNames).toEqual(names);
    expect(artifact.horizonBars).toBe(5);
    expect(artifact.costThreshold).toBe(0.0024);
  });

  it('fits the scaler on the training rows only and freezes it: data outside the window changes nothing', () => {
    const artifact = train();
    const signal = Array.from(market.matrix.columns.signal!.subarray(40, 400));
    const mean = signal.reduce((a, b) => a + b, 0) / signal.length;
    const std = Math.sqrt(signal.reduce((a, b) => a + (b - mean) ** 2, 0) / signal.length);
    expect(artifact.scaler.mean[0]).toBeCloseTo(mean, 12);
    expect(artifact.scaler.std[0]).toBeCloseTo(std, 12);
    // Wild values after the labels' reach (row 400 + 5) and predictions on them leave the artifact as it was.
    const columns = Object.fromEntries(
      Object.entries(market.matrix.columns).map(([k, v]) => [
        k,
        Float64Array.from(v, (x, i) => (i >= 405 ? x * 1000 + 50 : x)),
      ]),
    );
    const closes = Float64Array.from(market.closes, (c, i) => (i >= 405 ? c * 3 : c));
    const again = train({}, { matrix: { ...market.matrix, columns }, closes });
    expect(again.checksum).toBe(artifact.checksum);
    const model = loadModel(again, names);
    model.predictRows({ ...market.matrix, columns }, 400, 700);
    expect(model.artifact.scaler).toEqual(artifact.scaler);
  });

  it('is deterministic given the seed, and the seed matters', () => {
    expect(train().checksum).toBe(train().checksum);
    expect(canonicalJson(train().models)).not.toBe(canonicalJson(train({ seed: 12 }).models));
  });

  it('refuses too few usable rows (STRATEGY.FAILED) and an unknown feature (MODEL.FEATURE_MISMATCH)', () => {
    expect(codeOf(() => train({ fromRow: 0, toRow: 100 }))).toBe('STRATEGY.FAILED');
    expect(codeOf(() => train({ featureNames: ['signal', 'nope'] }))).toBe('MODEL.FEATURE_MISMATCH');
  });

  it('records the base rate: the share of up labels among exactly the rows it trained on', () => {
    const artifact = train();
    const labels = buildLabels(market.closes, 5, 0.0024);
    const kept = Array.from(labels.subarray(40, 400)); // rows 0-39 are warm-up (NaN features)
    const ups = kept.filter((y) => y === 1).length;
    expect(kept.length).toBe(artifact.trainWindow.rows);
    expect(artifact.baseRate).toBe(ups / kept.length);
    // A stricter cost makes fewer up labels: the recorded rate follows the label, not a constant.
    const strict = train({ costThreshold: 0.01 });
    expect(strict.baseRate).toBeLessThan(artifact.baseRate as number);
    expect(loadModel(artifact, names).baseRate).toBe(artifact.baseRate);
  });

  it('derives usesMacro from the macro names given', () => {
    expect(train().usesMacro).toBe(false);
    expect(train({ macroFeatureNames: ['noise_1'] }).usesMacro).toBe(true);
  });
});

describe('loadModel and prediction', () => {
  const artifact = train();
  const row = (t: number): Record<string, number> =>
    Object.fromEntries(names.map((n) => [n, market.matrix.columns[n]![t]!]));

  it('survives a JSON round trip and predicts a probability; single and batch paths agree', () => {
    const model = loadModel(JSON.parse(JSON.stringify(artifact)), names);
    const batch = model.predictRows(market.matrix, 500, 510);
    for (let i = 0; i < 10; i += 1) {
      const p = model.predictProbabilityUp(row(500 + i));
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThan(1);
      expect(batch[i]).toBeCloseTo(p, 12);
    }
    expect(Number.isNaN(model.predictRows(market.matrix, 0, 1)[0])).toBe(true); // warm-up row: not predicted
  });

  it('detects tampering by checksum: a scaler value, a tree leaf, the feature order', () => {
    const copy = (): ModelArtifact => JSON.parse(JSON.stringify(artifact)) as ModelArtifact;
    const scaler = copy();
    scaler.scaler.mean[0] = (scaler.scaler.mean[0] as number) + 1e-9;
    expect(codeOf(() => loadModel(scaler, names))).toBe('MODEL.MISSING');
    const leaf = copy();
    const json = JSON.stringify(leaf.models).replace(/"distribution":([0-9.]+)/, '"distribution":0.999');
    expect(json).not.toBe(JSON.stringify(leaf.models));
    leaf.models = JSON.parse(json);
    expect(codeOf(() => loadModel(leaf, names))).toBe('MODEL.MISSING');
    const order = copy();
    order.featureNames = [...order.featureNames].reverse();
    expect(codeOf(() => loadModel(order, names))).toBe('MODEL.MISSING');
    expect(codeOf(() => loadModel({ ...copy(), checksum: undefined }, names))).toBe('MODEL.MISSING');
    expect(codeOf(() => loadModel(undefined, names))).toBe('MODEL.MISSING');
  });

  it('the checksum covers the base rate; an unknown key is refused; a rate outside (0, 1) is refused even re-sealed', () => {
    const copy = (): ModelArtifact => JSON.parse(JSON.stringify(artifact)) as ModelArtifact;
    const altered = copy();
    altered.baseRate = (altered.baseRate as number) + 0.01;
    expect(codeOf(() => loadModel(altered, names))).toBe('MODEL.MISSING');
    const extra = { ...copy(), centre: 0.5 };
    expect(codeOf(() => loadModel(extra, names))).toBe('MODEL.MISSING');
    for (const rate of [0, 1, -0.1]) {
      const resealed = { ...copy(), baseRate: rate };
      resealed.checksum = artifactChecksum(resealed);
      expect(codeOf(() => loadModel(resealed, names))).toBe('MODEL.MISSING');
    }
  });

  it('an artifact from before the base rate was recorded still loads (its checksum never covered one); baseRate is undefined, not guessed', () => {
    const { baseRate: _dropped, ...legacy } = JSON.parse(JSON.stringify(artifact)) as ModelArtifact;
    const sealed = { ...legacy, checksum: artifactChecksum(legacy) };
    const model = loadModel(sealed, names);
    expect(model.baseRate).toBeUndefined();
    expect(model.artifact.baseRate).toBeUndefined();
    expect(model.predictRows(market.matrix, 500, 501)[0]).toBeCloseTo(
      loadModel(artifact, names).predictRows(market.matrix, 500, 501)[0] as number,
      12,
    );
  });

  it('a re-sealed artifact with a broken ensemble is still refused', () => {
    const broken = { ...(JSON.parse(JSON.stringify(artifact)) as ModelArtifact), models: { kind: 'other' } };
    broken.checksum = artifactChecksum(broken);
    expect(codeOf(() => loadModel(broken, names))).toBe('MODEL.MISSING');
  });

  it('refuses an artifact whose features the engine does not compute', () => {
    expect(
      codeOf(() =>
        loadModel(
          artifact,
          names.filter((n) => n !== 'noise_2'),
        ),
      ),
    ).toBe('MODEL.FEATURE_MISMATCH');
    expect(() => loadModel(artifact, [...names, 'extra_engine_feature'])).not.toThrow(); // a subset is fine (macro off)
  });

  it('prediction refuses a missing feature (FEATURE_MISMATCH) and a NaN (STRATEGY.FAILED): never a silent zero', () => {
    const model = loadModel(artifact, names);
    const { noise_3: _dropped, ...missing } = row(500);
    expect(codeOf(() => model.predictProbabilityUp(missing))).toBe('MODEL.FEATURE_MISMATCH');
    expect(codeOf(() => model.predictProbabilityUp({ ...row(500), noise_3: Number.NaN }))).toBe('STRATEGY.FAILED');
  });
});
