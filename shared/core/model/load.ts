import { StrategyError } from '../errors.js';
import { parseArtifact } from './artifact.js';
import { ensembleParamsSchema, ensemblePredictor } from './ensemble.js';
import { scaleRow } from './scaler.js';
import { featureColumns } from './train.js';
import type { FeatureMatrix, Model, ModelArtifact } from './types.js';

export interface LoadedModel extends Model {
  /** Batch prediction over matrix rows [fromRow, toRow); NaN for a row with a NaN feature. */
  predictRows(matrix: FeatureMatrix, fromRow: number, toRow: number): Float64Array;
}

/**
 * Validates shape and checksum (MODEL.MISSING) and that every artifact feature is one of the
 * engine's (MODEL.FEATURE_MISMATCH), then rebuilds the library models once.
 */
export function loadModel(raw: unknown, engineFeatureNames: readonly string[]): LoadedModel {
  const artifact = parseArtifact(raw);
  const engine = new Set(engineFeatureNames);
  const unknown = artifact.featureNames.filter((n) => !engine.has(n));
  if (unknown.length > 0) {
    throw new StrategyError('MODEL.FEATURE_MISMATCH', `model ${artifact.version} reads features the engine does not compute: ${unknown.slice(0, 10).join(', ')}`, {
      details: { version: artifact.version, unknown },
    });
  }
  const params = ensembleParamsSchema.safeParse(artifact.models);
  const width = artifact.featureNames.length;
  if (!params.success || params.data.forest.some((f) => f.features.some((j) => j >= width))) {
    throw new StrategyError('MODEL.MISSING', `model ${artifact.version}: ensemble parameters do not parse`);
  }
  const predict = guardedPredictor(artifact.version, () => ensemblePredictor(params.data));
  const zClip = params.data.config.zClip;
  return {
    artifact,
    baseRate: artifact.baseRate,
    predictProbabilityUp(features) {
      const row = artifact.featureNames.map((name) => {
        const value = features[name];
        if (value === undefined) throw new StrategyError('MODEL.FEATURE_MISMATCH', `feature ${name} is missing`, { details: { feature: name } });
        if (!Number.isFinite(value)) throw new StrategyError('STRATEGY.FAILED', `feature ${name} is not a finite number (${value})`, { details: { feature: name } });
        return value;
      });
      return predict([scaleRow(artifact.scaler, row, zClip)])[0] as number;
    },
    predictRows(matrix, fromRow, toRow) {
      return predictMatrixRows(artifact, predict, zClip, matrix, fromRow, toRow);
    },
  };
}

function predictMatrixRows(
  artifact: ModelArtifact,
  predict: (rows: readonly number[][]) => number[],
  zClip: number,
  matrix: FeatureMatrix,
  fromRow: number,
  toRow: number,
): Float64Array {
  const columns = featureColumns(matrix, artifact.featureNames);
  const out = new Float64Array(Math.max(0, toRow - fromRow)).fill(Number.NaN);
  const rows: number[][] = [];
  const at: number[] = [];
  for (let t = fromRow; t < toRow; t += 1) {
    const row = columns.map((c) => c[t] as number);
    if (!row.every(Number.isFinite)) continue;
    rows.push(scaleRow(artifact.scaler, row, zClip));
    at.push(t - fromRow);
  }
  const probabilities = predict(rows);
  at.forEach((i, k) => (out[i] = probabilities[k] as number));
  return out;
}

/**
 * A checksum proves the artifact is what was written, not that the library models inside it
 * rebuild: a node the library cannot read (a hand-edited or resealed file) throws its own
 * TypeError, or answers a non-probability. Rebuilding and predicting are guarded so that such an
 * artifact is MODEL.MISSING.
 */
function guardedPredictor(version: string, build: () => (rows: readonly number[][]) => number[]): (rows: readonly number[][]) => number[] {
  const fail = (cause: unknown): StrategyError => new StrategyError('MODEL.MISSING', `model ${version}: ensemble parameters do not rebuild (${String(cause).slice(0, 120)})`, { cause });
  let predict: (rows: readonly number[][]) => number[];
  try {
    predict = build();
  } catch (cause) {
    throw fail(cause);
  }
  return (rows) => {
    let probabilities: number[];
    try {
      probabilities = predict(rows);
    } catch (cause) {
      throw fail(cause);
    }
    // ... nor that what they compute is a probability (a resealed node can make it NaN or 3).
    const bad = probabilities.find((p) => !(p >= 0 && p <= 1));
    if (bad !== undefined) throw fail(`probability ${bad}`);
    return probabilities;
  };
}
