export {
  FEATURES,
  FEATURE_NAMES,
  NON_MACRO_FEATURE_NAMES,
  MACRO_FEATURE_NAMES,
  featureSpec,
  type FeatureSpec,
  type FeatureGroup,
} from './registry.js';
export {
  computeFeatureMatrix,
  computeLatestFeatures,
  featureRow,
  FEATURE_WINDOW_BARS,
  type FeatureMatrix,
  type FeatureVector,
  type FeatureOptions,
} from './engine.js';
export {
  macroStaleness,
  macroAvailableAtMs,
  macroDateMs,
  ageInDays,
  lastKnownIndex,
  DEFAULT_MACRO_MAX_AGE_DAYS,
  type MacroSeriesStatus,
  type MacroStaleness,
} from './macro-staleness.js';
