import { BotError } from '../errors.js';
import { buildLabels } from './labels.js';
import { loadModel } from './load.js';
import { classificationMetrics } from './metrics.js';
import { trainModel } from './train.js';
import {
  DEFAULT_COST_THRESHOLD,
  DEFAULT_HORIZON_BARS,
  type EnsembleConfig,
  type FeatureMatrix,
  type ValidationMetrics,
} from './types.js';

export interface WalkForwardOptions {
  featureNames: readonly string[];
  seed: number;
  trainBars?: number /* 1000 */;
  testBars?: number /* 168 */;
  stepBars?: number /* 168 */;
  /** Bars between the last training row and the first test row (default horizonBars). */
  gapBars?: number;
  horizonBars?: number;
  costThreshold?: number;
  /** First row of the first training window (default: the first row whose features are all finite). */
  startRow?: number;
  ensemble?: Partial<EnsembleConfig>;
  /** Called after each fold (progress bars). */
  onFold?: (done: number, total: number) => void;
}

export interface Fold {
  trainFrom: number;
  trainTo: number;
  testFrom: number;
  testTo: number;
  metrics: ValidationMetrics;
  /** The no-skill baseline (the fold model's `baseRate`: its training rows' share of up labels) on the same test rows. */
  baselineMetrics: ValidationMetrics;
  /** Set when the fold could not be trained (its rows stay NaN). */
  skipped?: string;
}

export interface WalkForwardResult {
  /** Out-of-sample probability per matrix row; NaN where not predicted. */
  predictions: Float64Array;
  /** The no-skill baseline's probability per row (the predicting fold model's `baseRate`), NaN where `predictions` is NaN. */
  baseline: Float64Array;
  labels: Float64Array;
  folds: Fold[];
  /** Over every predicted row with a known label. */
  metrics: ValidationMetrics;
  baselineMetrics: ValidationMetrics;
}

/** Fold boundaries: train [from, to), test [to + gap, to + gap + testBars) cut at the data's end, no shuffling. */
export function foldBoundaries(
  rowCount: number,
  o: { startRow: number; trainBars: number; testBars: number; stepBars: number; gapBars: number },
): Array<Pick<Fold, 'trainFrom' | 'trainTo' | 'testFrom' | 'testTo'>> {
  if (o.trainBars < 1 || o.testBars < 1 || o.stepBars < 1 || o.gapBars < 0)
    throw new RangeError('walk-forward sizes must be positive');
  const folds = [];
  for (let trainFrom = o.startRow; ; trainFrom += o.stepBars) {
    const trainTo = trainFrom + o.trainBars;
    const testFrom = trainTo + o.gapBars;
    if (testFrom >= rowCount) break;
    folds.push({ trainFrom, trainTo, testFrom, testTo: Math.min(rowCount, testFrom + o.testBars) });
  }
  return folds;
}

/**
 * Walk-forward evaluation: each fold trains a fresh model (trainModel) on its window and predicts
 * only rows after the gap, so no row is predicted by a model whose labels reached it.
 */
export function walkForward(
  matrix: FeatureMatrix,
  closes: ArrayLike<number>,
  options: WalkForwardOptions,
): WalkForwardResult {
  const horizonBars = options.horizonBars ?? DEFAULT_HORIZON_BARS;
  const costThreshold = options.costThreshold ?? DEFAULT_COST_THRESHOLD;
  const rowCount = matrix.openTimeMs.length;
  const labels = buildLabels(closes, horizonBars, costThreshold);
  const startRow = options.startRow ?? firstCompleteRow(matrix, options.featureNames);
  const bounds = foldBoundaries(rowCount, {
    startRow,
    trainBars: options.trainBars ?? 1000,
    testBars: options.testBars ?? 168,
    stepBars: options.stepBars ?? 168,
    gapBars: options.gapBars ?? horizonBars,
  });
  const predictions = new Float64Array(rowCount).fill(Number.NaN);
  const baseline = new Float64Array(rowCount).fill(Number.NaN);
  const folds: Fold[] = [];
  for (const [index, b] of bounds.entries()) {
    let skipped: string | undefined;
    try {
      const artifact = trainModel(matrix, closes, {
        fromRow: b.trainFrom,
        toRow: b.trainTo,
        featureNames: options.featureNames,
        horizonBars,
        costThreshold,
        seed: options.seed,
        createdAtMs: 0,
        ensemble: options.ensemble,
      });
      const model = loadModel(artifact, options.featureNames);
      const fold = model.predictRows(matrix, b.testFrom, b.testTo);
      const baseRate = artifact.baseRate as number; // trainModel always records it
      fold.forEach((p, i) => {
        predictions[b.testFrom + i] = p;
        if (Number.isFinite(p)) baseline[b.testFrom + i] = baseRate;
      });
    } catch (error) {
      if (!(error instanceof BotError) || error.code !== 'STRATEGY.FAILED') throw error;
      skipped = error.message;
    }
    const slice = (a: Float64Array) => a.subarray(b.testFrom, b.testTo);
    folds.push({
      ...b,
      metrics: classificationMetrics(slice(predictions), slice(labels)),
      baselineMetrics: classificationMetrics(slice(baseline), slice(labels)),
      ...(skipped === undefined ? {} : { skipped }),
    });
    options.onFold?.(index + 1, bounds.length);
  }
  return {
    predictions,
    baseline,
    labels,
    folds,
    metrics: classificationMetrics(predictions, labels),
    baselineMetrics: classificationMetrics(baseline, labels),
  };
}

export function firstCompleteRow(matrix: FeatureMatrix, names: readonly string[]): number {
  const columns = names.map((n) => matrix.columns[n]);
  for (let t = 0; t < matrix.openTimeMs.length; t += 1) {
    if (columns.every((c) => c !== undefined && Number.isFinite(c[t] as number))) return t;
  }
  return matrix.openTimeMs.length;
}
