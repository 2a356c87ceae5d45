import type { Config, SettingName } from './config.js';

/**
 * Each function's timeout in seconds: the deploy sets it (tools/deploy/functions.ts) and the rules
 * below check the deadlines that must end before it. One table, read by both.
 */
export const FUNCTION_TIMEOUT_SECONDS = { tick: 120, health: 30, logCheck: 300, backup: 900, retrain: 1800, notify: 300, telegram: 30 } as const;

/** Time a tick needs after its deadline to record its outcome before Cloud Functions stops it. */
export const TICK_RECORD_MARGIN_MS = 10_000;

export interface SettingProblem {
  key: SettingName;
  message: string;
}

/**
 * The rules between settings that one key's own range cannot say. loadConfig applies them at every
 * cold start and the deploy before anything is deployed, so a setting the running function would
 * refuse never reaches the cloud.
 */
export function crossSettingProblems(c: Config): SettingProblem[] {
  const problems: SettingProblem[] = [];
  const tickTimeoutMs = FUNCTION_TIMEOUT_SECONDS.tick * 1000;
  if (c.TICK_DEADLINE_MS > tickTimeoutMs - TICK_RECORD_MARGIN_MS) {
    problems.push({
      key: 'TICK_DEADLINE_MS',
      message: `${c.TICK_DEADLINE_MS} ms must end at least ${TICK_RECORD_MARGIN_MS} ms before the tick function's timeout (${FUNCTION_TIMEOUT_SECONDS.tick} s), so the tick records its outcome before it is stopped`,
    });
  }
  if (c.EXCHANGE_CALL_TIMEOUT_MS >= c.TICK_DEADLINE_MS) {
    problems.push({ key: 'EXCHANGE_CALL_TIMEOUT_MS', message: `${c.EXCHANGE_CALL_TIMEOUT_MS} ms must be below TICK_DEADLINE_MS (${c.TICK_DEADLINE_MS} ms): one request may not outlast the whole tick` });
  }
  if (c.NOTIFY_CALL_TIMEOUT_MS >= FUNCTION_TIMEOUT_SECONDS.telegram * 1000) {
    problems.push({ key: 'NOTIFY_CALL_TIMEOUT_MS', message: `${c.NOTIFY_CALL_TIMEOUT_MS} ms must be below the telegram function's timeout (${FUNCTION_TIMEOUT_SECONDS.telegram} s), which answers through it` });
  }
  if (c.KELLY_MIN_TRADES > c.KELLY_WINDOW_TRADES) {
    problems.push({ key: 'KELLY_MIN_TRADES', message: `${c.KELLY_MIN_TRADES} trades exceed KELLY_WINDOW_TRADES (${c.KELLY_WINDOW_TRADES}): Kelly would be computed over fewer trades than it needs` });
  }
  return problems;
}
