/** One bar of BTC/JPY (or the replayed file's quote): prices in quote currency, volume in base. */
export interface Candle {
  /** Open time of the bar, ms UTC, on the timeframe's boundary. */
  readonly openTimeMs: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export const TIMEFRAME_MS = { '1h': HOUR_MS } as const;
export type Timeframe = keyof typeof TIMEFRAME_MS;

/** Floors a time to the start of its bar. */
export function barOpenMs(timeMs: number, timeframe: Timeframe = '1h'): number {
  const size = TIMEFRAME_MS[timeframe];
  return Math.floor(timeMs / size) * size;
}

/** Start of the UTC day containing `timeMs`. */
export function utcDayStartMs(timeMs: number): number {
  return Math.floor(timeMs / DAY_MS) * DAY_MS;
}
