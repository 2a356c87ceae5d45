import { http } from '@google-cloud/functions-framework';
import { FUNCTIONS, FUNCTION_NAMES } from './registry.js';

/** Registers every function (local runs serve them from one process; deploys use one bundle each). */
for (const name of FUNCTION_NAMES) http(name, FUNCTIONS[name]);
