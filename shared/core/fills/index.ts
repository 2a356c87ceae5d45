export * from './fill-model.js';
export * from './interest.js';
