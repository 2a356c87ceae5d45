import { createHash } from 'node:crypto';
import type { Config, SettingName } from './config.js';

/**
 * Each function's timeout in seconds: the deploy sets it (tools/deploy/functions.ts) and the rules
 * below check the deadlines that must end before it. One table, read by both.
 */
export const FUNCTION_TIMEOUT_SECONDS = {
  tick: 120,
  health: 30,
  logCheck: 300,
  backup: 900,
  retrain: 1800,
  notify: 300,
  telegram: 30,
} as const;

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
      message:
        `${c.TICK_DEADLINE_MS} ms must end at least ${TICK_RECORD_MARGIN_MS} ms before the tick function's timeout ` +
        `(${FUNCTION_TIMEOUT_SECONDS.tick} s), so the tick records its outcome before it is stopped`,
    });
  }
  if (c.EXCHANGE_CALL_TIMEOUT_MS >= c.TICK_DEADLINE_MS) {
    problems.push({
      key: 'EXCHANGE_CALL_TIMEOUT_MS',
      message:
        `${c.EXCHANGE_CALL_TIMEOUT_MS} ms must be below TICK_DEADLINE_MS (${c.TICK_DEADLINE_MS} ms): ` +
        'one request may not outlast the whole tick',
    });
  }
  if (c.NOTIFY_CALL_TIMEOUT_MS >= FUNCTION_TIMEOUT_SECONDS.telegram * 1000) {
    problems.push({
      key: 'NOTIFY_CALL_TIMEOUT_MS',
      message:
        `${c.NOTIFY_CALL_TIMEOUT_MS} ms must be below the telegram function's timeout ` +
        `(${FUNCTION_TIMEOUT_SECONDS.telegram} s), which answers through it`,
    });
  }
  if (c.KELLY_MIN_TRADES > c.KELLY_WINDOW_TRADES) {
    problems.push({
      key: 'KELLY_MIN_TRADES',
      message:
        `${c.KELLY_MIN_TRADES} trades exceed KELLY_WINDOW_TRADES (${c.KELLY_WINDOW_TRADES}): ` +
        'Kelly would be computed over fewer trades than it needs',
    });
  }
  return problems;
}

/**
 * Settings whose change needs a decision by a person: the mode, the market, the strategy and how
 * orders go out, the size caps, and the limits and breakers that stop trading. A cold start whose
 * values differ from the previous instance's writes one audit record (shared/app/decision-settings.ts).
 */
export const DECISION_SETTINGS = [
  'BOT_MODE',
  'BOT_PAIR',
  'BOT_TIMEFRAME',
  'BOT_STRATEGY',
  'EXECUTION',
  'MACRO_MODE',
  'RISK_PER_TRADE',
  'MAX_POSITION_BTC',
  'KELLY_MAX_FRACTION',
  'TREND_TARGET_VOL',
  'DAILY_LOSS_LIMIT',
  'MAX_CONSECUTIVE_LOSSES',
  'LOSS_PAUSE_HOURS',
  'MAX_ENTRIES_PER_DAY',
  'MAX_DRAWDOWN',
] as const satisfies readonly SettingName[];

export type DecisionValues = Record<string, string | number>;

/** The decision settings' values and their fingerprint (sha256 of the values in key order, 16 hex). */
export function decisionSettings(c: Config): { values: DecisionValues; fingerprint: string } {
  const values = Object.fromEntries(DECISION_SETTINGS.map((key) => [key, c[key]])) as DecisionValues;
  const canonical = JSON.stringify(DECISION_SETTINGS.map((key) => [key, values[key]]));
  return { values, fingerprint: createHash('sha256').update(canonical).digest('hex').slice(0, 16) };
}

/** What changed between two sets of decision values (a key absent before counts as changed). */
export function decisionChanges(
  before: DecisionValues | undefined,
  after: DecisionValues,
): Array<{ key: string; from: string | number | null; to: string | number }> {
  return Object.entries(after)
    .filter(([key, value]) => before?.[key] !== value)
    .map(([key, value]) => ({ key, from: before?.[key] ?? null, to: value }));
}
