import { StrategyError } from '../errors.js';
import { parseArtifact } from './artifact.js';
import { ensembleParamsSchema } from './ensemble-params.js';
import { featureColumns } from './matrix.js';
import { compileEnsemble, type CompiledEnsemble } from './predict.js';
import type { FeatureMatrix, Model, ModelArtifact } from './types.js';

export interface LoadedModel extends Model {
  /** Batch prediction over matrix rows [fromRow, toRow); NaN for a row with a NaN feature. */
  predictRows(matrix: FeatureMatrix, fromRow: number, toRow: number): Float64Array;
}

/**
 * Validates shape and checksum (MODEL.MISSING) and that every artifact feature is one of the
 * engine's (MODEL.FEATURE_MISMATCH), then compiles the ensemble once into typed arrays (predict.ts:
 * no training library is loaded to predict).
 */
export function loadModel(raw: unknown, engineFeatureNames: readonly string[]): LoadedModel {
  const artifact = parseArtifact(raw);
  const engine = new Set(engineFeatureNames);
  const unknown = artifact.featureNames.filter((n) => !engine.has(n));
  if (unknown.length > 0) {
    throw new StrategyError(
      'MODEL.FEATURE_MISMATCH',
      `model ${artifact.version} reads features the engine does not compute: ${unknown.slice(0, 10).join(', ')}`,
      {
        details: { version: artifact.version, unknown },
      },
    );
  }
  const params = ensembleParamsSchema.safeParse(artifact.models);
  const width = artifact.featureNames.length;
  if (!params.success || params.data.forest.some((f) => f.features.some((j) => j >= width))) {
    throw new StrategyError('MODEL.MISSING', `model ${artifact.version}: ensemble parameters do not parse`);
  }
  const predict = guardedPredictor(artifact.version, () => compileEnsemble(params.data, width));
  const zClip = params.data.config.zClip;
  const { mean, std } = artifact.scaler;
  return {
    artifact,
    baseRate: artifact.baseRate,
    predictProbabilityUp(features) {
      const scaled = new Float64Array(width);
      artifact.featureNames.forEach((name, j) => {
        const value = features[name];
        if (value === undefined)
          throw new StrategyError('MODEL.FEATURE_MISMATCH', `feature ${name} is missing`, {
            details: { feature: name },
          });
        if (!Number.isFinite(value))
          throw new StrategyError('STRATEGY.FAILED', `feature ${name} is not a finite number (${value})`, {
            details: { feature: name },
          });
        scaled[j] = scaleValue(value, mean[j] as number, std[j] as number, zClip);
      });
      return predict(scaled, 1)[0] as number;
    },
    predictRows(matrix, fromRow, toRow) {
      return predictMatrixRows(artifact, predict, zClip, matrix, fromRow, toRow);
    },
  };
}

/** As scaleRow (scaler.ts): (x - mean) / std clipped to +-zClip. */
function scaleValue(x: number, mean: number, std: number, zClip: number): number {
  return Math.max(-zClip, Math.min(zClip, (x - mean) / std));
}

/** Rows with every feature finite are scaled into one row-major block and predicted at once; the others stay NaN. */
function predictMatrixRows(
  artifact: ModelArtifact,
  predict: Predict,
  zClip: number,
  matrix: FeatureMatrix,
  fromRow: number,
  toRow: number,
): Float64Array {
  const columns = featureColumns(matrix, artifact.featureNames);
  const width = columns.length;
  const n = Math.max(0, toRow - fromRow);
  const out = new Float64Array(n).fill(Number.NaN);
  const usable = new Uint8Array(n).fill(1);
  for (const column of columns)
    for (let i = 0; i < n; i += 1) if (!Number.isFinite(column[fromRow + i] as number)) usable[i] = 0;
  const at: number[] = [];
  for (let i = 0; i < n; i += 1) if (usable[i]) at.push(i);
  const scaled = new Float64Array(at.length * width);
  const { mean, std } = artifact.scaler;
  for (let j = 0; j < width; j += 1) {
    const column = columns[j] as Float64Array;
    const m = mean[j] as number;
    const s = std[j] as number;
    for (let k = 0; k < at.length; k += 1)
      scaled[k * width + j] = scaleValue(column[fromRow + (at[k] as number)] as number, m, s, zClip);
  }
  const probabilities = predict(scaled, at.length);
  at.forEach((i, k) => (out[i] = probabilities[k] as number));
  return out;
}

type Predict = (scaled: Float64Array, rows: number) => Float64Array;

/**
 * A checksum proves the artifact is what was written, not that the library models inside it
 * rebuild: a node the library cannot read (a hand-edited or resealed file) throws its own
 * TypeError, or answers a non-probability. Rebuilding and predicting are guarded so that such an
 * artifact is MODEL.MISSING.
 */
function guardedPredictor(version: string, build: () => CompiledEnsemble): Predict {
  const fail = (cause: unknown): StrategyError =>
    new StrategyError(
      'MODEL.MISSING',
      `model ${version}: ensemble parameters do not rebuild (${String(cause).slice(0, 120)})`,
      { cause },
    );
  let compiled: CompiledEnsemble;
  try {
    compiled = build();
  } catch (cause) {
    throw fail(cause);
  }
  return (scaled, rows) => {
    let probabilities: Float64Array;
    try {
      probabilities = compiled.predict(scaled, rows);
    } catch (cause) {
      throw fail(cause);
    }
    // ... nor that what they compute is a probability (a resealed node can make it NaN or 3).
    const bad = probabilities.find((p) => !(p >= 0 && p <= 1));
    if (bad !== undefined) throw fail(`probability ${bad}`);
    return probabilities;
  };
}
