export * from './types.js';
export { runBacktest } from './engine.js';
export { auditBacktest, type LimitBreach } from './audit.js';
export { alwaysFlatPlanner, buyAndHoldPlanner, movingAverageCrossoverPlanner } from './baselines.js';
export { summarizeBacktest, type BacktestSummary } from './summary.js';
export { costFigures, type CostFigures } from './costs.js';
