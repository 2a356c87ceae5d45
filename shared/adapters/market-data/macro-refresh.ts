import { DAY_MS, HOUR_MS } from '../../core/candle.js';
import { MACRO_SERIES, type MacroPoint, type MacroSeriesName } from '../../core/macro.js';
import { macroAvailableAtMs } from '../../core/features/macro-staleness.js';

/** Pure cache policy of the macro cache: when a series is due, and which fetched points are final. */

export function isoDateOf(timeMs: number): string {
  return new Date(timeMs).toISOString().slice(0, 10);
}

/**
 * A daily series is due when its next day becomes known to the features (`macroAvailableAtMs`:
 * 22:00 UTC for the US series, 00:00 UTC for Fear & Greed), so that live ticks see the same values
 * a backtest of the same bar does. A fetch made within `settleMs` of that moment is repeated once
 * after it (a provider may publish a few minutes late); otherwise one fetch a day, not one per tick.
 */
export function nextRefreshMs(name: MacroSeriesName, fetchedAtMs: number, settleMs = HOUR_MS): number {
  const knownOffsetMs = MACRO_SERIES[name].closesAtUtcHour * HOUR_MS;
  const lastKnownAtMs = Math.floor((fetchedAtMs - knownOffsetMs) / DAY_MS) * DAY_MS + knownOffsetMs;
  return fetchedAtMs < lastKnownAtMs + settleMs ? lastKnownAtMs + settleMs : lastKnownAtMs + DAY_MS;
}

/** Only the points whose day had closed by `atMs` (a provider also shows today's moving value). */
export function finalPoints(name: MacroSeriesName, points: readonly MacroPoint[], atMs: number): MacroPoint[] {
  return points.filter((p) => macroAvailableAtMs(name, p.date) <= atMs);
}
