/**
 * The model: probability that BTC/JPY closes more than the round-trip cost higher N bars ahead.
 * Pure: time (`createdAtMs`) and seeds are arguments. Used by the backtester, the tick and retrain.
 */
export type { FeatureMatrix, ModelArtifact, TrainOptions, Model, EnsembleConfig, ValidationMetrics } from './types.js';
export { DEFAULT_HORIZON_BARS, DEFAULT_COST_THRESHOLD } from './types.js';
export { trainModel, MIN_TRAIN_ROWS } from './train.js';
export { loadModel, type LoadedModel } from './load.js';
export {
  walkForward,
  foldBoundaries,
  firstCompleteRow,
  type WalkForwardOptions,
  type WalkForwardResult,
  type Fold,
} from './walk-forward.js';
export { buildLabels } from './labels.js';
export { classificationMetrics } from './metrics.js';
export { canonicalJson, artifactChecksum, parseArtifact } from './artifact.js';
export { DEFAULT_ENSEMBLE } from './ensemble.js';
export { decideRetrain, type RetrainInput, type RetrainDecision } from './retrain.js';
export { sliceMatrix } from './matrix.js';
