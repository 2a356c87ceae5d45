export * from './incidents.js';
export * from './availability.js';
