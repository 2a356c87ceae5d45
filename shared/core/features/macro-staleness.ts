import { DAY_MS, HOUR_MS, utcDayStartMs } from '../candle.js';
import { MACRO_SERIES, MACRO_SERIES_NAMES, type MacroData, type MacroPoint, type MacroSeriesName } from '../macro.js';

/** Markets close on weekends and holidays: up to this many calendar days old is normal (issue 5). */
export const DEFAULT_MACRO_MAX_AGE_DAYS = 4;

export interface MacroSeriesStatus {
  /** Date of the newest value known at `nowMs`, or null when there is none. */
  readonly lastDate: string | null;
  /** Whole UTC calendar days from `lastDate` to the day of `nowMs`; null when missing. */
  readonly ageDays: number | null;
  readonly missing: boolean;
  /** Missing, or older than the maximum age: its features are NaN, never carried forward. */
  readonly stale: boolean;
}

export type MacroStaleness = Record<MacroSeriesName, MacroSeriesStatus>;

/** `YYYY-MM-DD` to the ms of that UTC midnight (hot path: no regex). */
export function macroDateMs(date: string): number {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  if (
    date.length !== 10 ||
    date[4] !== '-' ||
    date[7] !== '-' ||
    !(m >= 1 && m <= 12 && d >= 1 && d <= 31 && y >= 1900)
  ) {
    throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  }
  return Date.UTC(y, m - 1, d);
}

/** When a daily value becomes known: the end of its day (`closesAtUtcHour` in MACRO_SERIES). */
export function macroAvailableAtMs(name: MacroSeriesName, date: string): number {
  return macroDateMs(date) + MACRO_SERIES[name].closesAtUtcHour * HOUR_MS;
}

/** Index of the newest point known at `timeMs` (-1 if none). Points ascend by date. */
export function lastKnownIndex(name: MacroSeriesName, points: readonly MacroPoint[], timeMs: number): number {
  let lo = 0;
  let hi = points.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (macroAvailableAtMs(name, (points[mid] as MacroPoint).date) <= timeMs) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

export function ageInDays(date: string, nowMs: number): number {
  return Math.round((utcDayStartMs(nowMs) - macroDateMs(date)) / DAY_MS);
}

/** Per series: the newest value known at `nowMs`, its age in days, and whether it is usable. */
export function macroStaleness(
  macro: MacroData | undefined,
  nowMs: number,
  maxAgeDays: number = DEFAULT_MACRO_MAX_AGE_DAYS,
): MacroStaleness {
  const out = {} as Record<MacroSeriesName, MacroSeriesStatus>;
  for (const name of MACRO_SERIES_NAMES) {
    const points = macro?.[name]?.points ?? [];
    const index = lastKnownIndex(name, points, nowMs);
    if (index < 0) {
      out[name] = { lastDate: null, ageDays: null, missing: true, stale: true };
      continue;
    }
    const lastDate = (points[index] as MacroPoint).date;
    const ageDays = ageInDays(lastDate, nowMs);
    out[name] = { lastDate, ageDays, missing: false, stale: ageDays > maxAgeDays };
  }
  return out;
}
