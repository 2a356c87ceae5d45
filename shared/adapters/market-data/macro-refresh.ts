import { DAY_MS, HOUR_MS } from '../../core/candle.js';
import { MACRO_SERIES, type MacroPoint, type MacroSeriesName } from '../../core/macro.js';
import { macroAvailableAtMs } from '../../core/features/macro-staleness.js';

/** Pure cache policy of the macro cache: when a series is due, and which fetched points are final. */

export function isoDateOf(timeMs: number): string {
  return new Date(timeMs).toISOString().slice(0, 10);
}

/**
 * A daily series fetched at `fetchedAtMs` is due again once the next close after that fetch has
 * passed, plus `settleMs` for the provider to publish it: one fetch a day, not one per tick.
 */
export function nextRefreshMs(name: MacroSeriesName, fetchedAtMs: number, settleMs = HOUR_MS): number {
  const closeOffsetMs = MACRO_SERIES[name].closesAtUtcHour * HOUR_MS + settleMs;
  const dayStart = Math.floor((fetchedAtMs - closeOffsetMs) / DAY_MS) * DAY_MS;
  return dayStart + DAY_MS + closeOffsetMs;
}

/** Only the points whose day had closed by `atMs` (a provider also shows today's moving value). */
export function finalPoints(name: MacroSeriesName, points: readonly MacroPoint[], atMs: number): MacroPoint[] {
  return points.filter((p) => macroAvailableAtMs(name, p.date) <= atMs);
}
