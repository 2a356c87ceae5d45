import { loadConfig, type Config } from '../shared/config.js';
import { JsonLogger } from '../shared/adapters/json-logger.js';
import { systemClock } from '../shared/adapters/system-clock.js';
import type { Logger } from '../shared/ports/logger.port.js';
import type { Clock } from '../shared/ports/clock.port.js';

/**
 * The composition root shared by every function: built once per instance at first use (cold
 * start) and reused by warm invocations. Nothing here is a source of truth between invocations.
 */
export interface Runtime {
  config: Config;
  logger: Logger;
  clock: Clock;
  startedAtMs: number;
}

let runtime: Runtime | undefined;

export function getRuntime(env: NodeJS.ProcessEnv = process.env): Runtime {
  if (runtime) return runtime;
  const config = loadConfig(env);
  const secrets = [config.BITBANK_API_KEY, config.BITBANK_API_SECRET].filter((s): s is string => s !== undefined);
  runtime = {
    config,
    logger: new JsonLogger({ minSeverity: config.LOG_LEVEL, secrets }),
    clock: systemClock,
    startedAtMs: systemClock.nowMs(),
  };
  return runtime;
}

/** A logger usable even when the configuration itself is broken. */
export function runtimeLogger(): Logger {
  return runtime?.logger ?? fallbackLogger;
}
const fallbackLogger = new JsonLogger({ minSeverity: 'INFO' });

/** For tests: forget the instance so the next call rebuilds it from a new env. */
export function resetRuntime(): void {
  runtime = undefined;
}
