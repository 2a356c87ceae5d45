import type { Candle } from '../candle.js';
import { DataQualityError } from '../errors.js';

/** Candles as typed columns (one row per candle), the engine's input. */
export interface CandleColumns {
  readonly length: number;
  readonly openTimeMs: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

export type Columns = Record<string, Float64Array>;

/** Candles must ascend strictly by open time (the macro alignment relies on it); otherwise DATA.BAD_CANDLES. */
export function toCandleColumns(candles: readonly Candle[]): CandleColumns {
  const n = candles.length;
  const c: CandleColumns = {
    length: n,
    openTimeMs: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  for (let i = 0; i < n; i += 1) {
    const k = candles[i] as Candle;
    if (i > 0 && !(k.openTimeMs > (c.openTimeMs[i - 1] as number))) {
      throw new DataQualityError(
        'DATA.BAD_CANDLES',
        `candles must ascend: row ${i} opens at ${k.openTimeMs}, not after ${c.openTimeMs[i - 1]}`,
        { details: { row: i } },
      );
    }
    c.openTimeMs[i] = k.openTimeMs;
    c.open[i] = k.open;
    c.high[i] = k.high;
    c.low[i] = k.low;
    c.close[i] = k.close;
    c.volume[i] = k.volume;
  }
  return c;
}

/** ln(close[i] / close[i - k]); NaN for the first k rows. */
export function logReturn(close: Float64Array, k: number): Float64Array {
  const out = new Float64Array(close.length).fill(Number.NaN);
  for (let i = k; i < close.length; i += 1) out[i] = Math.log((close[i] as number) / (close[i - k] as number));
  return out;
}

/** Element-wise map over columns of equal length. */
export function mapColumns(length: number, fn: (i: number) => number): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i += 1) out[i] = fn(i);
  return out;
}
