export { createPlanner, signalSide, type PlannerOptions } from './planner.js';
export {
  DEFAULT_STRATEGY_SETTINGS,
  requiredCandles,
  strategySettingsFromConfig,
  type RiskConfig,
  type StrategySettings,
} from './settings.js';
export {
  checkedProbability,
  modelSignal,
  NO_BASE_RATE_REASON,
  predictionSignal,
  type FeatureLookup,
  type ProbabilityModel,
  type SignalResult,
  type SignalSource,
} from './signal.js';
export { marketState, type MarketState } from './threshold.js';
export { averageTrueRange, latestMacroValue, realisedVolatility } from './indicators.js';
export { latestFeatureLookup, matrixFeatureLookup } from './features.js';
export { flatTarget, type Strategy, type StrategyTarget, type TargetSide } from './strategy.js';
export { strategyPlanner, FAR_TAKE_PROFIT_FACTOR } from './target.js';
export { mlStrategy } from './ml.js';
export {
  DEFAULT_TREND_PARAMS,
  dailyCloses,
  lastDecisionMs,
  trendRequiredDays,
  trendStrategy,
  trendView,
  type TrendParams,
  type TrendSignal,
  type TrendView,
} from './trend.js';
export {
  createStrategy,
  STRATEGY_NAMES,
  trendParamsFromConfig,
  type StrategyContext,
  type StrategyName,
} from './registry.js';
