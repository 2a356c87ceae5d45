import { StrategyError } from '../errors.js';
import { sealArtifact } from './artifact.js';
import { DEFAULT_ENSEMBLE, fitEnsemble } from './ensemble.js';
import { buildLabels } from './labels.js';
import { featureColumns } from './matrix.js';
import { fitScaler, scaleRow } from './scaler.js';
import {
  DEFAULT_COST_THRESHOLD,
  DEFAULT_HORIZON_BARS,
  type FeatureMatrix,
  type ModelArtifact,
  type TrainOptions,
} from './types.js';

export { featureColumns } from './matrix.js';

/** Fewest usable rows, and fewest rows of each class, a model is trained on. */
export const MIN_TRAIN_ROWS = 100;
export const MIN_CLASS_ROWS = 10;

/**
 * Trains on rows [fromRow, toRow): rows with a NaN feature (warm-up) or an unknown label (the last
 * `horizonBars` rows of the data) are dropped; the scaler is fitted on the kept rows only. The
 * label at row t reads closes up to t + horizonBars, which may lie past toRow: test no earlier
 * than toRow + horizonBars (walkForward's gap). Deterministic given `seed`; time is `createdAtMs`.
 */
export function trainModel(matrix: FeatureMatrix, closes: ArrayLike<number>, options: TrainOptions): ModelArtifact {
  const horizonBars = options.horizonBars ?? DEFAULT_HORIZON_BARS;
  const costThreshold = options.costThreshold ?? DEFAULT_COST_THRESHOLD;
  const config = { ...DEFAULT_ENSEMBLE, ...options.ensemble };
  const rowCount = matrix.openTimeMs.length;
  if (closes.length !== rowCount)
    throw new RangeError(`closes (${closes.length}) and matrix rows (${rowCount}) differ`);
  if (!(
    Number.isInteger(options.fromRow) &&
    Number.isInteger(options.toRow) &&
    options.fromRow >= 0 &&
    options.fromRow < options.toRow &&
    options.toRow <= rowCount
  )) {
    throw new RangeError(`bad training rows [${options.fromRow}, ${options.toRow}) of ${rowCount}`);
  }
  const columns = featureColumns(matrix, options.featureNames);
  const labelEnd = Math.min(rowCount, options.toRow + horizonBars);
  const labels = buildLabels(
    Array.prototype.slice.call(closes, options.fromRow, labelEnd) as number[],
    horizonBars,
    costThreshold,
  );
  const rows: number[][] = [];
  const y: number[] = [];
  const used: number[] = [];
  for (let t = options.fromRow; t < options.toRow; t += 1) {
    const label = labels[t - options.fromRow] as number;
    if (Number.isNaN(label)) continue;
    const row = columns.map((c) => c[t] as number);
    if (!row.every(Number.isFinite)) continue;
    rows.push(row);
    y.push(label);
    used.push(t);
  }
  const ups = y.filter((v) => v === 1).length;
  if (rows.length < MIN_TRAIN_ROWS || ups < MIN_CLASS_ROWS || rows.length - ups < MIN_CLASS_ROWS) {
    throw new StrategyError(
      'STRATEGY.FAILED',
      `not enough usable training rows: ${rows.length} rows, ${ups} up, ${rows.length - ups} not up`,
      {
        details: { rows: rows.length, ups, fromRow: options.fromRow, toRow: options.toRow },
      },
    );
  }
  const scaler = fitScaler(rows);
  const models = fitEnsemble(
    rows.map((r) => scaleRow(scaler, r, config.zClip)),
    y,
    config,
    options.seed,
  );
  const macroNames = new Set(options.macroFeatureNames ?? []);
  return sealArtifact({
    createdAtMs: options.createdAtMs,
    featureNames: [...options.featureNames],
    usesMacro: options.usesMacro ?? options.featureNames.some((n) => macroNames.has(n)),
    horizonBars,
    costThreshold,
    scaler,
    models,
    trainWindow: {
      fromMs: matrix.openTimeMs[used[0] as number] as number,
      toMs: matrix.openTimeMs[used[used.length - 1] as number] as number,
      rows: rows.length,
    },
    baseRate: ups / rows.length,
    validation: options.validation ?? { rows: 0 },
  });
}
