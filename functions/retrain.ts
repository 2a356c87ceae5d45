import { notImplemented } from './http.js';

/** Not built yet: answers 501 NOT_IMPLEMENTED until its issue lands. */
export const retrain = notImplemented('retrain');
