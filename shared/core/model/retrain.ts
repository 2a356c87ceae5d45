import { HOUR_MS } from '../candle.js';
import { BotError } from '../errors.js';
import { loadModel } from './load.js';
import { classificationMetrics } from './metrics.js';
import { trainModel } from './train.js';
import {
  DEFAULT_COST_THRESHOLD,
  DEFAULT_HORIZON_BARS,
  type FeatureMatrix,
  type ModelArtifact,
  type ValidationMetrics,
} from './types.js';
import { firstCompleteRow, walkForward, type WalkForwardOptions } from './walk-forward.js';

/** The walk-forward settings a retrain passes through unchanged (same names, same defaults). */
type SharedWalkForwardOptions = Pick<
  WalkForwardOptions,
  | 'featureNames'
  | 'seed'
  | 'trainBars'
  | 'testBars'
  | 'stepBars'
  | 'horizonBars'
  | 'costThreshold'
  | 'ensemble'
  | 'onFold'
>;

export interface RetrainInput extends SharedWalkForwardOptions {
  matrix: FeatureMatrix;
  closes: ArrayLike<number>;
  macroFeatureNames?: readonly string[];
  /** The current artifact as stored (raw), if any. */
  current: unknown;
  createdAtMs: number;
  /** Fewest out-of-sample rows the comparison needs (default 168, one test window). */
  minComparisonRows?: number;
}

export interface RetrainDecision {
  promote: boolean;
  reason: string;
  /** The model trained on the latest window, its validation = the walk-forward figures. */
  candidate: ModelArtifact;
  currentVersion: string | undefined;
  /** On the same out-of-sample rows: the candidate's walk-forward, the no-skill baseline, the current model. */
  comparison: {
    rows: number;
    fromMs: number | undefined;
    candidate: ValidationMetrics;
    baseline: ValidationMetrics;
    current?: ValidationMetrics;
  };
  folds: number;
}

/**
 * Retrain, pure: walk-forward the candidate method over the window, train the candidate on the
 * latest rows, and promote it only if its out-of-sample log loss beats both the no-skill baseline
 * and the current model on the same rows (rows the current model never saw: after its training
 * window and the horizon). Otherwise keep the current model and say why.
 */
export function decideRetrain(input: RetrainInput): RetrainDecision {
  const horizonBars = input.horizonBars ?? DEFAULT_HORIZON_BARS;
  const costThreshold = input.costThreshold ?? DEFAULT_COST_THRESHOLD;
  const trainBars = input.trainBars ?? 1000;
  const minRows = input.minComparisonRows ?? 168;
  const { matrix, closes } = input;
  const rowCount = matrix.openTimeMs.length;
  const common = {
    featureNames: input.featureNames,
    seed: input.seed,
    horizonBars,
    costThreshold,
    ensemble: input.ensemble,
  };
  const wf = walkForward(matrix, closes, {
    ...common,
    trainBars,
    testBars: input.testBars,
    stepBars: input.stepBars,
    onFold: input.onFold,
  });
  const startRow = firstCompleteRow(matrix, input.featureNames);
  const candidate = trainModel(matrix, closes, {
    ...common,
    fromRow: Math.max(startRow, rowCount - horizonBars - trainBars),
    toRow: rowCount,
    createdAtMs: input.createdAtMs,
    macroFeatureNames: input.macroFeatureNames,
    validation: wf.metrics,
  });
  const current = evaluateCurrent(input.current, matrix, horizonBars, costThreshold);
  const eligible = (i: number): boolean =>
    Number.isFinite(wf.predictions[i] as number) &&
    !Number.isNaN(wf.labels[i] as number) &&
    (current.predictions === undefined || Number.isFinite(current.predictions[i] as number));
  const mask = (a: Float64Array) => Float64Array.from(a, (v, i) => (eligible(i) ? v : Number.NaN));
  const candidateMetrics = classificationMetrics(mask(wf.predictions), wf.labels);
  const baselineMetrics = classificationMetrics(mask(wf.baseline), wf.labels);
  const currentMetrics =
    current.predictions === undefined ? undefined : classificationMetrics(mask(current.predictions), wf.labels);
  const first = Array.from({ length: rowCount }, (_, i) => i).find(eligible);
  const comparison = {
    rows: candidateMetrics.rows,
    fromMs: first === undefined ? undefined : (matrix.openTimeMs[first] as number),
    candidate: candidateMetrics,
    baseline: baselineMetrics,
    ...(currentMetrics ? { current: currentMetrics } : {}),
  };
  const verdict = judge(candidateMetrics, baselineMetrics, currentMetrics, minRows, current.note);
  return { ...verdict, candidate, currentVersion: current.version, comparison, folds: wf.folds.length };
}

function judge(
  candidate: ValidationMetrics,
  baseline: ValidationMetrics,
  current: ValidationMetrics | undefined,
  minRows: number,
  note: string,
): { promote: boolean; reason: string } {
  const prefix = note === '' ? '' : `${note}; `;
  if (candidate.rows < minRows)
    return {
      promote: false,
      reason: `${prefix}only ${candidate.rows} out-of-sample rows to compare on (need ${minRows}): keeping the current model`,
    };
  const c = candidate.logLoss as number;
  const b = baseline.logLoss as number;
  const f = (x: number) => x.toFixed(5);
  if (!(c < b))
    return {
      promote: false,
      reason: `${prefix}candidate log loss ${f(c)} does not beat the no-skill baseline ${f(b)} on ${candidate.rows} rows`,
    };
  if (current !== undefined && !(c < (current.logLoss as number))) {
    return {
      promote: false,
      reason: `${prefix}candidate log loss ${f(c)} does not beat the current model's ${f(current.logLoss as number)} on ${candidate.rows} rows`,
    };
  }
  const versus = current === undefined ? '' : ` and the current model's ${f(current.logLoss as number)}`;
  return {
    promote: true,
    reason: `${prefix}candidate log loss ${f(c)} beats the no-skill baseline ${f(b)}${versus} on ${candidate.rows} rows`,
  };
}

/** The current model's predictions on rows it never saw; none (with a note) when it cannot be compared. */
function evaluateCurrent(
  raw: unknown,
  matrix: FeatureMatrix,
  horizonBars: number,
  costThreshold: number,
): { predictions?: Float64Array; version?: string; note: string } {
  if (raw === undefined) return { note: 'no current model' };
  let model;
  try {
    model = loadModel(raw, matrix.names);
  } catch (error) {
    if (!(error instanceof BotError)) throw error;
    return { note: `current model unusable (${error.code}: ${error.message})` };
  }
  const { artifact } = model;
  if (artifact.horizonBars !== horizonBars || artifact.costThreshold !== costThreshold) {
    return {
      version: artifact.version,
      note: `current model ${artifact.version} has another label (horizon ${artifact.horizonBars}, cost ${artifact.costThreshold}): not comparable`,
    };
  }
  if (artifact.baseRate === undefined) {
    return {
      version: artifact.version,
      note: `current model ${artifact.version} records no base rate (the planner opens nothing with it): not comparable`,
    };
  }
  const predictions = model.predictRows(matrix, 0, matrix.openTimeMs.length);
  if (!predictions.some(Number.isFinite)) {
    return {
      version: artifact.version,
      note: `current model ${artifact.version} cannot predict these bars (its features are NaN here, e.g. macro off): not comparable`,
    };
  }
  const seenUntilMs = artifact.trainWindow.toMs + horizonBars * HOUR_MS;
  matrix.openTimeMs.forEach((t, i) => {
    if (t <= seenUntilMs) predictions[i] = Number.NaN;
  });
  return { predictions, version: artifact.version, note: '' };
}
