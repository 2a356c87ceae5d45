import type { ClosedTrade } from '../plan.js';
import type { DailySummaryData } from './events.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * When the daily summary is due, pure: the latest `hourUtc`:00 UTC at or before `nowMs`; its day
 * label is that date. It covers the 24 hours before.
 */
export function dailySummarySlot(nowMs: number, hourUtc: number): { day: string; atMs: number } {
  const todayMs = Math.floor(nowMs / DAY_MS) * DAY_MS + hourUtc * HOUR_MS;
  const atMs = todayMs <= nowMs ? todayMs : todayMs - DAY_MS;
  return { day: new Date(atMs).toISOString().slice(0, 10), atMs };
}

export interface DailySummaryInput {
  readonly day: string;
  readonly atMs: number;
  readonly mode: 'paper' | 'live';
  /** Closed trades of at least the last 30 days before `atMs`. */
  readonly trades: readonly Pick<ClosedTrade, 'exitTimeMs' | 'pnlJpy'>[];
  /** The newest equity record at or before `atMs`, with its running peak. */
  readonly equity: { readonly equityJpy: number; readonly peakJpy: number } | undefined;
  readonly position: DailySummaryData['position'];
  readonly openIncidents: readonly string[];
  readonly killSwitch: boolean;
}

export function summarizeDay(input: DailySummaryInput): DailySummaryData {
  const pnlSince = (fromMs: number): number =>
    input.trades.filter((t) => t.exitTimeMs >= fromMs && t.exitTimeMs < input.atMs).reduce((s, t) => s + t.pnlJpy, 0);
  const eq = input.equity;
  return {
    day: input.day,
    mode: input.mode,
    equityJpy: eq ? eq.equityJpy : null,
    pnlDayJpy: pnlSince(input.atMs - DAY_MS),
    pnlWeekJpy: pnlSince(input.atMs - 7 * DAY_MS),
    pnlMonthJpy: pnlSince(input.atMs - 30 * DAY_MS),
    tradesDay: input.trades.filter((t) => t.exitTimeMs >= input.atMs - DAY_MS && t.exitTimeMs < input.atMs).length,
    position: input.position,
    drawdown: eq && eq.peakJpy > 0 ? Math.max(0, (eq.peakJpy - eq.equityJpy) / eq.peakJpy) : null,
    openIncidents: [...input.openIncidents].sort(),
    killSwitch: input.killSwitch,
  };
}
