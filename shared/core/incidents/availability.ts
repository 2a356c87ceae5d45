import type { Incident } from './incidents.js';

export const AVAILABILITY_WINDOW_MS = 30 * 86_400_000;

export interface Availability {
  /** Bars that fully elapsed in the window (since the first recorded tick when that is later). */
  readonly barsElapsed: number;
  /** Of those, bars with a successful tick. */
  readonly barsOk: number;
  /** barsOk / barsElapsed; null when no bar has elapsed yet. */
  readonly ratio: number | null;
  readonly fromMs: number;
}

/**
 * Availability = bars with a successful tick / bars elapsed, over the last 30 days. The window
 * starts at the later of (now - 30 days) and the first bar the bot ever recorded (`firstBarMs`),
 * so that a bot deployed yesterday is not charged for the month before it existed. A bar counts as
 * elapsed once it has closed (the current bar's tick may still be running).
 */
export function availability(input: {
  okBarOpensMs: readonly number[];
  firstBarMs: number | null;
  nowMs: number;
  barMs: number;
  windowMs?: number;
}): Availability {
  const { barMs, nowMs } = input;
  const windowStart = Math.ceil((nowMs - (input.windowMs ?? AVAILABILITY_WINDOW_MS)) / barMs) * barMs;
  const fromMs =
    input.firstBarMs === null ? windowStart : Math.max(windowStart, Math.floor(input.firstBarMs / barMs) * barMs);
  const lastClosedOpen = Math.floor(nowMs / barMs) * barMs - barMs;
  const barsElapsed = input.firstBarMs === null || lastClosedOpen < fromMs ? 0 : (lastClosedOpen - fromMs) / barMs + 1;
  const ok = new Set(input.okBarOpensMs.filter((b) => b >= fromMs && b <= lastClosedOpen && b % barMs === 0));
  return { barsElapsed, barsOk: ok.size, ratio: barsElapsed > 0 ? ok.size / barsElapsed : null, fromMs };
}

/** Mean time to recovery over incidents resolved in the window, ms; null when none was resolved. */
export function meanTimeToRecoveryMs(
  incidents: readonly Incident[],
  nowMs: number,
  windowMs = AVAILABILITY_WINDOW_MS,
): number | null {
  const durations = incidents
    .filter((i) => i.status === 'resolved' && i.resolvedAtMs !== null && i.resolvedAtMs >= nowMs - windowMs)
    .map((i) => (i.resolvedAtMs as number) - i.openedAtMs);
  return durations.length === 0 ? null : durations.reduce((a, b) => a + b, 0) / durations.length;
}
