import type { Candle } from '../candle.js';
import { HOUR_MS } from '../candle.js';
import type { MacroData, MacroSeriesName } from '../macro.js';
import { MACRO_SERIES } from '../macro.js';

/**
 * The few measurements the strategy itself needs, over the last bars only (so the live tick with
 * a few hundred candles and the backtest with a sliding window compute the same numbers).
 * `undefined` when there are not enough valid bars: callers hold with a DATA.* code, never guess.
 */

function trueRange(previous: Candle, current: Candle): number {
  return Math.max(
    current.high - current.low,
    Math.abs(current.high - previous.close),
    Math.abs(current.low - previous.close),
  );
}

/** Mean true range of the last `periodBars` bars (needs periodBars + 1 candles, contiguous). */
export function averageTrueRange(candles: readonly Candle[], periodBars: number): number | undefined {
  const n = candles.length;
  if (periodBars < 1 || n < periodBars + 1) return undefined;
  let sum = 0;
  for (let i = n - periodBars; i < n; i += 1) {
    const previous = candles[i - 1] as Candle;
    const current = candles[i] as Candle;
    if (current.openTimeMs - previous.openTimeMs !== HOUR_MS) return undefined;
    sum += trueRange(previous, current);
  }
  const atr = sum / periodBars;
  return Number.isFinite(atr) && atr > 0 ? atr : undefined;
}

/** Standard deviation of hourly log returns over the last `windowBars` bars. */
export function realisedVolatility(candles: readonly Candle[], windowBars: number): number | undefined {
  const n = candles.length;
  if (windowBars < 2 || n < windowBars + 1) return undefined;
  let sum = 0;
  let sumSq = 0;
  for (let i = n - windowBars; i < n; i += 1) {
    const previous = candles[i - 1] as Candle;
    const current = candles[i] as Candle;
    if (current.openTimeMs - previous.openTimeMs !== HOUR_MS || !(previous.close > 0) || !(current.close > 0))
      return undefined;
    const r = Math.log(current.close / previous.close);
    sum += r;
    sumSq += r * r;
  }
  const mean = sum / windowBars;
  const variance = Math.max(0, sumSq / windowBars - mean * mean);
  return Number.isFinite(variance) ? Math.sqrt(variance) : undefined;
}

/** The newest value of a daily series whose day had closed by `nowMs` (no look-ahead). */
export function latestMacroValue(
  macro: MacroData | undefined,
  name: MacroSeriesName,
  nowMs: number,
): { value: number; date: string } | undefined {
  const points = macro?.[name]?.points;
  if (!points || points.length === 0) return undefined;
  const closeOffsetMs = MACRO_SERIES[name].closesAtUtcHour * HOUR_MS;
  let lo = 0;
  let hi = points.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const known = Date.parse(`${(points[mid] as { date: string }).date}T00:00:00Z`) + closeOffsetMs <= nowMs;
    if (known) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return undefined;
  const point = points[found] as { date: string; value: number };
  return { value: point.value, date: point.date };
}
