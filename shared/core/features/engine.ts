import type { Candle } from '../candle.js';
import { HOUR_MS } from '../candle.js';
import { BotError, DataQualityError } from '../errors.js';
import type { MacroData, MacroSeriesName } from '../macro.js';
import { toCandleColumns, type Columns } from './candle-columns.js';
import { lagFeatures } from './lags.js';
import { macroFeatures } from './macro-features.js';
import { DEFAULT_MACRO_MAX_AGE_DAYS, macroStaleness } from './macro-staleness.js';
import { orderFlowFeatures } from './order-flow.js';
import { FEATURES, FEATURE_NAMES } from './registry.js';
import { indicatorColumns, technicalFeatures } from './technical.js';
import { timeFeatures } from './time.js';

/**
 * Bars the last-bar path computes over. Finite windows need at most 169 bars (see warmupBars);
 * the recursive indicators (EMA26 then EMA9 for MACD, Wilder 14 for RSI/ATR/ADX) have at least
 * 366 bars after their own warm-up to forget their seed: (25/27)^366 < 1e-12, so the last row
 * matches the full-history matrix to ~1e-12 relative (engine.test.ts checks 1e-9).
 */
export const FEATURE_WINDOW_BARS = 400;

export interface FeatureOptions {
  /** Macro values older than this many calendar days are NaN (default 4). */
  macroMaxAgeDays?: number;
}

export interface FeatureMatrix {
  names: readonly string[];
  /** One row per candle, the candle's open time. */
  openTimeMs: Float64Array;
  /** By name; NaN where not computable (warm-up, missing or stale macro). */
  columns: Readonly<Record<string, Float64Array>>;
}

export interface FeatureVector {
  openTimeMs: number;
  features: Record<string, number>;
  /** Why a feature is NaN, by feature name (warm-up, macro missing or stale). */
  flags: Record<string, string>;
}

/** Row i uses candles[0..i] and daily values whose day had closed by candles[i]'s close. */
export function computeFeatureMatrix(
  candles: readonly Candle[],
  macro: MacroData | undefined,
  options: FeatureOptions = {},
): FeatureMatrix {
  return computeRows(candles, macro, options, 0);
}

/** Lags reach at most this many rows back into window statistics (realized_vol_24h_lag_24). */
const MAX_LAG_BARS = 24;

/**
 * The one code path: recursive indicators over every row, window statistics from row `from` on
 * (rows before it stay NaN; the last-bar path only needs its last row and the lags behind it).
 */
function computeRows(
  candles: readonly Candle[],
  macro: MacroData | undefined,
  options: FeatureOptions,
  from: number,
): FeatureMatrix {
  const c = toCandleColumns(candles);
  const technical = technicalFeatures(c, indicatorColumns(c), from);
  const base: Columns = { ...technical, ...orderFlowFeatures(c, from) };
  const all: Columns = {
    ...base,
    ...lagFeatures(c, base, from),
    ...timeFeatures(c),
    ...macroFeatures(c, macro, options.macroMaxAgeDays ?? DEFAULT_MACRO_MAX_AGE_DAYS),
  };
  const columns: Record<string, Float64Array> = {};
  for (const name of FEATURE_NAMES) {
    const column = all[name];
    if (column === undefined) throw new BotError('INTERNAL', `feature ${name} is registered but not computed`);
    columns[name] = column;
  }
  return { names: FEATURE_NAMES, openTimeMs: c.openTimeMs, columns };
}

/** The last bar's features over the trailing FEATURE_WINDOW_BARS, by the matrix code. */
export function computeLatestFeatures(
  candles: readonly Candle[],
  macro: MacroData | undefined,
  options: FeatureOptions = {},
): FeatureVector {
  const last = candles[candles.length - 1];
  if (last === undefined) throw new DataQualityError('DATA.MISSING_CANDLES', 'no candles to compute features from');
  const window = candles.length > FEATURE_WINDOW_BARS ? candles.slice(-FEATURE_WINDOW_BARS) : candles;
  const row = window.length - 1;
  const matrix = computeRows(window, macro, options, Math.max(0, row - MAX_LAG_BARS));
  const status = macroStaleness(
    macro,
    last.openTimeMs + HOUR_MS,
    options.macroMaxAgeDays ?? DEFAULT_MACRO_MAX_AGE_DAYS,
  );
  const features: Record<string, number> = {};
  const flags: Record<string, string> = {};
  for (const spec of FEATURES) {
    const value = (matrix.columns[spec.name] as Float64Array)[row] as number;
    features[spec.name] = value;
    if (!Number.isNaN(value)) continue;
    if (spec.macro) {
      const reasons = spec.inputs.map((input) => {
        const s = status[input as MacroSeriesName];
        if (s.missing) return `missing: no ${input} value known by the bar's close`;
        if (s.stale) return `stale: ${input} last ${s.lastDate} (${s.ageDays} days old)`;
        return undefined;
      });
      flags[spec.name] = reasons.find((r) => r !== undefined) ?? 'warm-up: not enough daily history';
    } else {
      flags[spec.name] =
        window.length <= spec.warmupBars
          ? `warm-up: needs ${spec.warmupBars + 1} bars, got ${window.length}`
          : 'not computable on these candles';
    }
  }
  return { openTimeMs: last.openTimeMs, features, flags };
}

/** Values of `names` at one row, by name (never by position). Unknown names throw MODEL.FEATURE_MISMATCH. */
export function featureRow(matrix: FeatureMatrix, rowIndex: number, names: readonly string[]): number[] {
  return names.map((name) => {
    const column = matrix.columns[name];
    if (column === undefined) throw new BotError('MODEL.FEATURE_MISMATCH', `unknown feature ${name}`);
    return column[rowIndex] ?? Number.NaN;
  });
}
