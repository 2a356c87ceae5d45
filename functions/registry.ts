import type { HttpFunction } from '@google-cloud/functions-framework';
import { backup } from './backup.js';
import { health } from './health.js';
import { logCheck } from './logCheck.js';
import { notify } from './notify.js';
import { telegram } from './telegram.js';
import { retrain } from './retrain.js';
import { tick } from './tick.js';

/** Every deployable function by its entry-point name; each lives in `functions/<name>.ts`. */
export const FUNCTIONS = { tick, health, logCheck, backup, retrain, notify, telegram } as const satisfies Record<
  string,
  HttpFunction
>;

export type FunctionName = keyof typeof FUNCTIONS;
export const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];
