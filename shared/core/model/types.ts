/**
 * The model's data types. `FeatureMatrix` is the feature engine's shape (shared/core/features),
 * restated structurally so that the model depends on the shape, not on the engine's module.
 */
export interface FeatureMatrix {
  readonly names: readonly string[];
  /** One row per candle: the candle's open time, ms UTC. */
  readonly openTimeMs: Float64Array;
  /** By name; NaN where not computable (warm-up, missing macro). */
  readonly columns: Readonly<Record<string, Float64Array>>;
}

export interface ValidationMetrics {
  auc?: number;
  logLoss?: number;
  accuracy?: number;
  brier?: number;
  rows: number;
}

/** JSON-serialisable, zod-validated on load, sealed by a sha-256 checksum over its canonical JSON. */
export interface ModelArtifact {
  version: string;
  createdAtMs: number;
  /** Feature names in the order the model reads them. */
  featureNames: string[];
  usesMacro: boolean;
  horizonBars: number;
  /** Label: close[t + horizonBars] / close[t] - 1 > costThreshold. */
  costThreshold: number;
  /** Fitted on the training window only, frozen. */
  scaler: { mean: number[]; std: number[] };
  /** Ensemble parameters (library toJSON output); see ensemble.ts. */
  models: unknown;
  trainWindow: { fromMs: number; toMs: number; rows: number };
  /**
   * Share of up labels among the rows trained on (`trainWindow.rows`): what a no-skill model
   * predicts, and the centre of the planner's threshold. Absent in artifacts written before it was
   * recorded: such an artifact still loads (retrain can compare it, rollback can list it) but the
   * planner opens nothing with it (MODEL.MISSING, "retrain it"); nothing is computed in its place.
   */
  baseRate?: number;
  validation: ValidationMetrics;
  /** sha-256 (hex) of the canonical JSON of every other field. */
  checksum: string;
}

export interface TrainOptions {
  featureNames: readonly string[];
  /** Training rows are [fromRow, toRow) of the matrix; rows with a NaN feature or no known label are dropped. */
  fromRow: number;
  toRow: number;
  /** Bars ahead of the label (default 5). */
  horizonBars?: number;
  /** Round-trip cost the move must beat (default 0.0024: taker 0.12 % twice). */
  costThreshold?: number;
  /** Seeds the ensemble's row and feature sampling (a 32-bit integer). */
  seed: number;
  createdAtMs: number;
  /** Whether the names include macro features (default: any name in `macroFeatureNames`). */
  usesMacro?: boolean;
  /** Names of macro features, to derive `usesMacro` when not given. */
  macroFeatureNames?: readonly string[];
  /** Out-of-sample metrics to record in the artifact (e.g. from walkForward); default rows 0. */
  validation?: ValidationMetrics;
  /** Ensemble sizes; defaults in ensemble.ts (DEFAULT_ENSEMBLE). */
  ensemble?: Partial<EnsembleConfig>;
}

export interface EnsembleConfig {
  /** Regression trees (ml-cart) in the bagged forest. */
  trees: number;
  /** Rows drawn (with replacement) for each tree. */
  rowsPerTree: number;
  /** Features drawn (without replacement) for each tree. */
  featuresPerTree: number;
  maxDepth: number;
  /** A node with this many rows or fewer becomes a leaf. */
  minLeafRows: number;
  /** Gradient steps of the logistic regression (ml-logistic-regression); early stopping regularises. */
  logisticSteps: number;
  logisticLearningRate: number;
  /** Weight of the forest in the average (the logistic regression gets 1 - this). */
  forestWeight: number;
  /** Standardised values are clipped to +-zClip before the models see them. */
  zClip: number;
}

export interface Model {
  readonly artifact: ModelArtifact;
  /** `artifact.baseRate`: the training rows' share of up labels; undefined for an artifact that predates it. */
  readonly baseRate: number | undefined;
  /** P(close[t+h]/close[t]-1 > costThreshold). Every artifact feature must be present and finite. */
  predictProbabilityUp(features: Readonly<Record<string, number>>): number;
}

export const DEFAULT_HORIZON_BARS = 5;
/** bitbank taker fee 0.12 % on entry and on exit. */
export const DEFAULT_COST_THRESHOLD = 0.0024;
