import { readFileSync } from 'node:fs';
import { HOUR_MS, type Candle } from '../../shared/core/candle.js';
import {
  MACRO_FEATURE_NAMES,
  NON_MACRO_FEATURE_NAMES,
  FEATURE_NAMES,
  computeFeatureMatrix,
} from '../../shared/core/features/index.js';
import type { MacroData } from '../../shared/core/macro.js';
import { trainModel, type ModelArtifact } from '../../shared/core/model/index.js';
import { ModelStore } from '../../shared/adapters/model-store/model-store.js';
import type { Store } from '../../shared/ports/store.port.js';

export interface ReplayModelOptions {
  candles: readonly Candle[];
  macro: MacroData | undefined;
  /** Index of the first replayed bar: training uses only bars before it. */
  startIndex: number;
  trainBars: number;
  modelFile?: string;
  seed?: number;
}

/**
 * The replay's model: loaded from `--model FILE`, or trained (the model engineer's `trainModel`)
 * on the `trainBars` bars before the replay window only, with macro features only when macro data
 * is served. The label horizon is kept out of the window: no replayed bar was seen in training.
 */
export function replayModel(options: ReplayModelOptions): ModelArtifact {
  if (options.modelFile) return JSON.parse(readFileSync(options.modelFile, 'utf8')) as ModelArtifact;
  const from = Math.max(0, options.startIndex - options.trainBars - 400);
  const history = options.candles.slice(from, options.startIndex);
  const matrix = computeFeatureMatrix(history, options.macro);
  const closes = history.map((c) => c.close);
  const horizonBars = 5;
  const featureNames = options.macro ? FEATURE_NAMES : NON_MACRO_FEATURE_NAMES;
  const last = history[history.length - 1] as Candle;
  return trainModel(matrix, closes, {
    featureNames,
    fromRow: Math.max(0, history.length - options.trainBars - horizonBars),
    toRow: history.length - horizonBars,
    horizonBars,
    seed: options.seed ?? 7,
    createdAtMs: last.openTimeMs + HOUR_MS,
    macroFeatureNames: MACRO_FEATURE_NAMES,
  });
}

/** Stores the artifact through the model store and makes it current (what `retrain` does on promotion). */
export async function installModel(store: Store, artifact: ModelArtifact, atMs: number): Promise<void> {
  const models = new ModelStore(store);
  await models.save(artifact, atMs, 'replay model');
  await models.promote(artifact.version, atMs, 'replay');
}
