export { createPlanner, signalSide, type PlannerOptions } from './planner.js';
export { DEFAULT_STRATEGY_SETTINGS, requiredCandles, strategySettingsFromConfig, type RiskConfig, type StrategySettings } from './settings.js';
export { checkedProbability, modelSignal, NO_BASE_RATE_REASON, predictionSignal, type FeatureLookup, type ProbabilityModel, type SignalResult, type SignalSource } from './signal.js';
export { marketState, type MarketState } from './threshold.js';
export { averageTrueRange, latestMacroValue, realisedVolatility } from './indicators.js';
export { latestFeatureLookup, matrixFeatureLookup } from './features.js';
