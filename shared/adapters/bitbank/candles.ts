import { DataQualityError } from '../../core/errors.js';
import { DAY_MS, TIMEFRAME_MS, type Candle, type Timeframe } from '../../core/candle.js';
import { CANDLE_SETTLE_MS } from '../../core/candles/gaps.js';

/** The bars that must be present: open in [fromMs, toMs) and closed by `nowMs` (open + size <= now). */
export function expectedBarOpens(fromMs: number, toMs: number, nowMs: number, timeframe: Timeframe): number[] {
  const size = TIMEFRAME_MS[timeframe];
  const first = Math.ceil(fromMs / size) * size;
  const opens: number[] = [];
  for (let t = first; t < toMs && t + size <= nowMs; t += size) opens.push(t);
  return opens;
}

/** The UTC day starts to request (one request per day) to cover the given bars. */
export function daysCovering(barOpens: readonly number[]): number[] {
  const days = new Set(barOpens.map((t) => Math.floor(t / DAY_MS) * DAY_MS));
  return [...days].sort((a, b) => a - b);
}

/** One row as ccxt parses it: [openTimeMs, open, high, low, close, volume]. */
export type OhlcvRow = ReadonlyArray<number | undefined>;

/** Checks one row; a malformed row is DATA.BAD_CANDLES naming the bar. */
export function rowToCandle(row: OhlcvRow, timeframe: Timeframe): Candle {
  const [openTimeMs, open, high, low, close, volume] = row;
  const values = [open, high, low, close, volume];
  const bad = (why: string): never => {
    throw new DataQualityError('DATA.BAD_CANDLES', `bad ${timeframe} candle at ${String(openTimeMs)}: ${why}`, {
      details: { openTimeMs, row: [...row] },
    });
  };
  if (row.length < 6 || !Number.isInteger(openTimeMs) || (openTimeMs as number) % TIMEFRAME_MS[timeframe] !== 0)
    bad('open time missing or off the bar grid');
  if (values.some((v) => typeof v !== 'number' || !Number.isFinite(v))) bad('a value is missing or not a number');
  const [o, h, l, c, v] = values as number[] as [number, number, number, number, number];
  if (l <= 0 || h < Math.max(o, c, l) || l > Math.min(o, c)) bad('high/low do not bracket open and close');
  if (v < 0) bad('negative volume');
  return { openTimeMs: openTimeMs as number, open: o, high: h, low: l, close: c, volume: v };
}

export interface AssembledCandles {
  /** The expected bars the exchange returned, ascending; settled holes stay holes. */
  candles: Candle[];
  /** Open times of expected bars absent although settled: real exchange gaps, for the caller to log. */
  gapOpenTimesMs: number[];
}

/**
 * Joins the fetched rows into the expected bars, ascending: a duplicate or malformed bar is
 * DATA.BAD_CANDLES. An absent bar that closed within `settleMs` of now (default CANDLE_SETTLE_MS)
 * is DATA.MISSING_CANDLES (retryable: the exchange has not published it yet); an absent bar older
 * than that is a real gap, returned as a gap and listed in `gapOpenTimesMs` (never padded). Rows
 * outside the expected set (the bar still in progress, other hours of the day) are dropped.
 */
export function assembleCandles(
  rows: readonly OhlcvRow[],
  expected: readonly number[],
  timeframe: Timeframe,
  at: { nowMs: number; settleMs?: number },
): AssembledCandles {
  const wanted = new Set(expected);
  const byOpen = new Map<number, Candle>();
  for (const row of rows) {
    if (!wanted.has(row[0] as number)) continue;
    const candle = rowToCandle(row, timeframe);
    if (byOpen.has(candle.openTimeMs)) {
      throw new DataQualityError('DATA.BAD_CANDLES', `duplicate ${timeframe} candle at ${candle.openTimeMs}`, {
        details: { openTimeMs: candle.openTimeMs },
      });
    }
    byOpen.set(candle.openTimeMs, candle);
  }
  const missing = expected.filter((t) => !byOpen.has(t));
  const settledBeforeMs = at.nowMs - (at.settleMs ?? CANDLE_SETTLE_MS);
  const unpublished = missing.filter((t) => t + TIMEFRAME_MS[timeframe] > settledBeforeMs);
  if (unpublished.length > 0) {
    throw new DataQualityError(
      'DATA.MISSING_CANDLES',
      `${unpublished.length} recent ${timeframe} candle(s) not published yet, first at ${new Date(unpublished[0] as number).toISOString()}`,
      {
        details: {
          missingCount: unpublished.length,
          firstMissingMs: unpublished[0],
          lastMissingMs: unpublished[unpublished.length - 1],
        },
      },
    );
  }
  return { candles: expected.flatMap((t) => byOpen.get(t) ?? []), gapOpenTimesMs: missing };
}
