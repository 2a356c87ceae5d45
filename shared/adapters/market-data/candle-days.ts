import { DAY_MS, TIMEFRAME_MS, utcDayStartMs, type Candle, type Timeframe } from '../../core/candle.js';
import { CANDLE_SETTLE_MS } from '../../core/candles/gaps.js';
import type { CandleDayRecord } from '../../store/market-data-collections.js';

/** Pure helpers of the candle store: which days a window spans, which to fetch, record mapping. */

/** How long after a day's end a page that still has gaps is re-fetched (the exchange may lag; the source's settle time). */
export const GAP_SETTLE_MS = CANDLE_SETTLE_MS;

export function barsPerDay(timeframe: Timeframe): number {
  return DAY_MS / TIMEFRAME_MS[timeframe];
}

export function seriesDayId(pair: string, timeframe: Timeframe, dayStartMs: number): string {
  return `${pair}_${timeframe}_${new Date(dayStartMs).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** Open times [fromMs, toMs) of the last `bars` bars closed at `nowMs`, and the UTC days they touch. */
export function windowSpan(
  nowMs: number,
  bars: number,
  timeframe: Timeframe,
): { fromMs: number; toMs: number; days: number[] } {
  if (!Number.isInteger(bars) || bars < 1) throw new RangeError(`bars must be a positive integer, got ${bars}`);
  const size = TIMEFRAME_MS[timeframe];
  const toMs = Math.floor(nowMs / size) * size;
  const fromMs = toMs - bars * size;
  const days: number[] = [];
  for (let day = utcDayStartMs(fromMs); day < toMs; day += DAY_MS) days.push(day);
  return { fromMs, toMs, days };
}

/**
 * Whether a day's page must be fetched: never when stored complete; always when absent; the day
 * still running when it lacks the newest closed bar; a closed day with gaps only until its page
 * has been read once after the day ended plus GAP_SETTLE_MS (then its gaps are final).
 */
export function needsFetch(
  record: CandleDayRecord | undefined,
  dayStartMs: number,
  nowMs: number,
  timeframe: Timeframe,
): boolean {
  if (record === undefined) return true;
  if (record.complete) return false;
  const size = TIMEFRAME_MS[timeframe];
  const dayEndMs = dayStartMs + DAY_MS;
  if (dayEndMs > nowMs) {
    const newestClosedOpenMs = Math.floor(nowMs / size) * size - size;
    const stored = record.openTimesMs[record.openTimesMs.length - 1];
    return newestClosedOpenMs >= dayStartMs && (stored === undefined || stored < newestClosedOpenMs);
  }
  return record.fetchedAtMs < dayEndMs + GAP_SETTLE_MS;
}

/** Mapper domain -> record: keeps only the day's closed bars; `complete` when every bar is there. */
export function toCandleDayRecord(args: {
  pair: string;
  timeframe: Timeframe;
  dayStartMs: number;
  candles: readonly Candle[];
  nowMs: number;
}): CandleDayRecord {
  const size = TIMEFRAME_MS[args.timeframe];
  const inDay = args.candles
    .filter(
      (c) =>
        c.openTimeMs >= args.dayStartMs &&
        c.openTimeMs < args.dayStartMs + DAY_MS &&
        c.openTimeMs + size <= args.nowMs &&
        c.openTimeMs % size === 0,
    )
    .sort((a, b) => a.openTimeMs - b.openTimeMs)
    .filter((c, i, all) => i === 0 || c.openTimeMs !== (all[i - 1] as Candle).openTimeMs);
  return {
    seriesDay: seriesDayId(args.pair, args.timeframe, args.dayStartMs),
    pair: args.pair,
    timeframe: args.timeframe,
    dayStartMs: args.dayStartMs,
    openTimesMs: inDay.map((c) => c.openTimeMs),
    open: inDay.map((c) => c.open),
    high: inDay.map((c) => c.high),
    low: inDay.map((c) => c.low),
    close: inDay.map((c) => c.close),
    volume: inDay.map((c) => c.volume),
    complete: inDay.length === barsPerDay(args.timeframe),
    fetchedAtMs: args.nowMs,
  };
}

/** Mapper record -> domain candles. */
export function fromCandleDayRecord(record: CandleDayRecord): Candle[] {
  return record.openTimesMs.map((openTimeMs, i) => ({
    openTimeMs,
    open: record.open[i] as number,
    high: record.high[i] as number,
    low: record.low[i] as number,
    close: record.close[i] as number,
    volume: record.volume[i] as number,
  }));
}
