import { DAY_MS, HOUR_MS, utcDayStartMs } from '../candle.js';
import { MACRO_SERIES, MACRO_SERIES_NAMES, type MacroData, type MacroPoint, type MacroSeriesName } from '../macro.js';
import { mapColumns, type CandleColumns, type Columns } from './candle-columns.js';
import { macroDateMs } from './macro-staleness.js';
import {
  nanColumn,
  rollingMax,
  rollingMean,
  rollingMin,
  rollingPercentile,
  rollingSd,
  rollingZscore,
} from './rolling.js';

/** Largest window of any daily feature (obs) + 1: history older than this never changes a value. */
export const MACRO_LOOKBACK_OBS = 366;

/** A formula over daily observations; rows before `from` are not needed and may stay NaN. */
type DailyFn = (v: Float64Array, from: number) => Float64Array;

const logChange =
  (k: number): DailyFn =>
  (v) =>
    mapColumns(v.length, (j) => (j >= k ? Math.log((v[j] as number) / (v[j - k] as number)) : Number.NaN));
const diff =
  (k: number): DailyFn =>
  (v) =>
    mapColumns(v.length, (j) => (j >= k ? (v[j] as number) - (v[j - k] as number) : Number.NaN));
const zscore =
  (w: number): DailyFn =>
  (v, from) =>
    rollingZscore(v, w, from);
const percentile =
  (w: number): DailyFn =>
  (v, from) =>
    rollingPercentile(v, w, from);
const maRatio =
  (a: number, b: number): DailyFn =>
  (v, from) => {
    const ma = rollingMean(v, a, from);
    const mb = rollingMean(v, b, from);
    return mapColumns(v.length, (j) => (ma[j] as number) / (mb[j] as number) - 1);
  };
const maSpread =
  (a: number, b: number): DailyFn =>
  (v, from) => {
    const ma = rollingMean(v, a, from);
    const mb = rollingMean(v, b, from);
    return mapColumns(v.length, (j) => (ma[j] as number) - (mb[j] as number));
  };
const rangePosition =
  (w: number): DailyFn =>
  (v, from) => {
    const hi = rollingMax(v, w, from);
    const lo = rollingMin(v, w, from);
    return mapColumns(v.length, (j) => {
      const span = (hi[j] as number) - (lo[j] as number);
      return span > 0 ? ((v[j] as number) - (lo[j] as number)) / span : span === 0 ? 0.5 : Number.NaN;
    });
  };

type Source = MacroSeriesName | 'curveSlope';

/** Every macro feature: its daily source and its formula over the source's observations. */
export const MACRO_FEATURE_FNS: Readonly<Record<string, readonly [Source, DailyFn]>> = {
  vix_change_1d: ['vix', logChange(1)],
  vix_change_5d: ['vix', logChange(5)],
  vix_zscore_20d: ['vix', zscore(20)],
  vix_zscore_60d: ['vix', zscore(60)],
  vix_percentile_252d: ['vix', percentile(252)],
  vix_ma_ratio_5_20: ['vix', maRatio(5, 20)],
  usd_index_change_1d: ['dollarIndex', logChange(1)],
  usd_index_change_5d: ['dollarIndex', logChange(5)],
  usd_index_change_20d: ['dollarIndex', logChange(20)],
  usd_index_zscore_20d: ['dollarIndex', zscore(20)],
  usd_index_percentile_252d: ['dollarIndex', percentile(252)],
  us10y_change_1d: ['treasury10y', diff(1)],
  us10y_change_5d: ['treasury10y', diff(5)],
  us10y_zscore_60d: ['treasury10y', zscore(60)],
  us_short_rate_change_5d: ['shortRate', diff(5)],
  us_curve_slope_change_20d: ['curveSlope', diff(20)],
  fng_change_1d: ['fearGreed', diff(1)],
  fng_change_3d: ['fearGreed', diff(3)],
  fng_change_7d: ['fearGreed', diff(7)],
  fng_change_30d: ['fearGreed', diff(30)],
  fng_zscore_7d: ['fearGreed', zscore(7)],
  fng_zscore_30d: ['fearGreed', zscore(30)],
  fng_zscore_90d: ['fearGreed', zscore(90)],
  fng_percentile_30d: ['fearGreed', percentile(30)],
  fng_percentile_90d: ['fearGreed', percentile(90)],
  fng_percentile_365d: ['fearGreed', percentile(365)],
  fng_ma_spread_7_30: ['fearGreed', maSpread(7, 30)],
  fng_sd_30d: ['fearGreed', (v, from) => rollingSd(v, 30, from)],
  fng_range_position_30d: ['fearGreed', rangePosition(30)],
};

interface DailySeries {
  /** The series whose calendar and publication hour apply. */
  readonly timing: MacroSeriesName;
  /** UTC midnight of each observation's date, ascending. */
  readonly dayMs: Float64Array;
  readonly values: Float64Array;
}

/** Dates parsed once per points array (series are immutable; the tick reuses them bar after bar). */
const parsedCache = new WeakMap<readonly MacroPoint[], { dayMs: Float64Array; values: Float64Array }>();
function parsed(points: readonly MacroPoint[]): { dayMs: Float64Array; values: Float64Array } {
  let hit = parsedCache.get(points);
  if (hit === undefined) {
    hit = {
      dayMs: Float64Array.from(points, (p) => macroDateMs(p.date)),
      values: Float64Array.from(points, (p) => p.value),
    };
    parsedCache.set(points, hit);
  }
  return hit;
}

/** 10y minus short rate on the dates both have, memoised per pair of series. */
const slopeCache = new WeakMap<readonly MacroPoint[], { short: readonly MacroPoint[]; points: MacroPoint[] }>();
function curveSlopePoints(long: readonly MacroPoint[], short: readonly MacroPoint[]): MacroPoint[] {
  const hit = slopeCache.get(long);
  if (hit !== undefined && hit.short === short) return hit.points;
  const shortByDate = new Map(short.map((p) => [p.date, p.value]));
  const points: MacroPoint[] = [];
  for (const p of long) {
    const s = shortByDate.get(p.date);
    if (s !== undefined) points.push({ date: p.date, value: p.value - s });
  }
  slopeCache.set(long, { short, points });
  return points;
}

/** Index of the last observation available at `timeMs` (-1 if none). */
function lastAvailable(dayMs: Float64Array, offsetMs: number, timeMs: number): number {
  let lo = 0;
  let hi = dayMs.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((dayMs[mid] as number) + offsetMs <= timeMs) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function firstUsedRow(rows: Int32Array): number {
  for (const j of rows) if (j >= 0) return j;
  return rows.length === 0 ? 0 : Number.MAX_SAFE_INTEGER;
}

/**
 * Macro columns for each bar: the daily value whose day had closed by the bar's close
 * (openTimeMs + 1 h), NaN when that value is older than `maxAgeDays` or absent. Only points
 * known by the last bar's close are read, and none older than MACRO_LOOKBACK_OBS before the first bar.
 */
export function macroFeatures(c: CandleColumns, macro: MacroData | undefined, maxAgeDays: number): Columns {
  const out: Columns = {};
  const sources = dailySources(c, macro);
  const rowOf = new Map<Source, Int32Array>();
  for (const [name, [source, fn]] of Object.entries(MACRO_FEATURE_FNS)) {
    const series = sources[source];
    if (series === undefined) {
      out[name] = nanColumn(c.length);
      continue;
    }
    let rows = rowOf.get(source);
    if (rows === undefined) {
      rows = dailyRowPerBar(c, series, maxAgeDays);
      rowOf.set(source, rows);
    }
    const daily = fn(series.values, firstUsedRow(rows));
    const column = nanColumn(c.length);
    for (let i = 0; i < c.length; i += 1) {
      const j = rows[i] as number;
      if (j >= 0) column[i] = daily[j] as number;
    }
    out[name] = column;
  }
  return out;
}

function dailySources(c: CandleColumns, macro: MacroData | undefined): Partial<Record<Source, DailySeries>> {
  const out: Partial<Record<Source, DailySeries>> = {};
  if (c.length === 0) return out;
  const firstCloseMs = (c.openTimeMs[0] as number) + HOUR_MS;
  const lastCloseMs = (c.openTimeMs[c.length - 1] as number) + HOUR_MS;
  const window = (timing: MacroSeriesName, points: readonly MacroPoint[] | undefined): DailySeries | undefined => {
    if (points === undefined || points.length === 0) return undefined;
    const { dayMs, values } = parsed(points);
    const offsetMs = MACRO_SERIES[timing].closesAtUtcHour * HOUR_MS;
    const end = lastAvailable(dayMs, offsetMs, lastCloseMs);
    const start = Math.max(0, lastAvailable(dayMs, offsetMs, firstCloseMs) - MACRO_LOOKBACK_OBS);
    return end < 0
      ? undefined
      : { timing, dayMs: dayMs.subarray(start, end + 1), values: values.subarray(start, end + 1) };
  };
  for (const name of MACRO_SERIES_NAMES) {
    const series = window(name, macro?.[name]?.points);
    if (series !== undefined) out[name] = series;
  }
  const long = macro?.treasury10y?.points;
  const short = macro?.shortRate?.points;
  if (long !== undefined && short !== undefined) {
    const slope = window('treasury10y', curveSlopePoints(long, short));
    if (slope !== undefined) out.curveSlope = slope;
  }
  return out;
}

/** For each bar, the index of the daily point it may use, or -1 (none known yet, or too old). */
function dailyRowPerBar(c: CandleColumns, series: DailySeries, maxAgeDays: number): Int32Array {
  const rows = new Int32Array(c.length).fill(-1);
  const { dayMs, timing } = series;
  const offsetMs = MACRO_SERIES[timing].closesAtUtcHour * HOUR_MS;
  let j = -1;
  for (let i = 0; i < c.length; i += 1) {
    const closeMs = (c.openTimeMs[i] as number) + HOUR_MS;
    while (j + 1 < dayMs.length && (dayMs[j + 1] as number) + offsetMs <= closeMs) j += 1;
    if (j >= 0 && Math.round((utcDayStartMs(closeMs) - (dayMs[j] as number)) / DAY_MS) <= maxAgeDays) rows[i] = j;
  }
  return rows;
}
