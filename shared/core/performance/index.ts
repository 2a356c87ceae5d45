export * from './kelly.js';
export * from './metrics.js';
