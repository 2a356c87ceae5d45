export * from './kelly.js';
export * from './metrics.js';
export * from './trade-totals.js';
