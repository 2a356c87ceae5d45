import type { Candle, Timeframe } from '../../core/candle.js';
import { DAY_MS, TIMEFRAME_MS } from '../../core/candle.js';
import { describeGaps, findGaps, type CandleGap } from '../../core/candles/gaps.js';
import { withDeadline } from '../../core/retry.js';
import type { CandleSource } from '../../ports/candle-source.port.js';
import type { Clock } from '../../ports/clock.port.js';
import type { Store } from '../../ports/store.port.js';
import { candleDays, type CandleDayRecord } from '../../store/market-data-collections.js';
import { fromCandleDayRecord, needsFetch, seriesDayId, toCandleDayRecord, windowSpan } from './candle-days.js';
import type { CandleDayCache } from './candle-day-cache.js';

export interface LoadCandleWindowArgs {
  pair: string;
  timeframe: Timeframe;
  /** Close time of the newest bar wanted (the tick's bar close), ms UTC. */
  nowMs: number;
  /** How many closed bars to return (enough for every feature's warm-up). */
  bars: number;
  source: CandleSource;
  store: Store;
  clock: Clock;
  signal?: AbortSignal;
  /** Deadline of one day's page from the source, ms (the source adds its own retries). */
  pageTimeoutMs?: number;
  /** Pages fetched at once when back-filling an empty store. */
  concurrency?: number;
  /** The instance's final day documents: only the days after the newest cached run are read from the store. */
  cache?: CandleDayCache;
}

export interface CandleWindow {
  /** Closed bars with open time in [fromMs, toMs), ascending; real gaps stay gaps. */
  candles: Candle[];
  fromMs: number;
  toMs: number;
  /** Ids of the day pages fetched from the source by this call. */
  fetchedDays: string[];
  /** Day documents read from the store. */
  storedDays: number;
  /** Day documents served from the instance's cache of final days. */
  cachedDays: number;
  /** The gaps between the window's bars (the quality gate decides whether they block). */
  gaps: CandleGap[];
  /** `{ candleGaps: "<n> gap(s), <m> bar(s) missing: <time> x<len>, ..." }` when there are gaps, else empty: for the tick's flags. */
  flags: Record<string, string>;
}

/**
 * The candle window of a tick, read through the Firestore day store: complete closed days are
 * fetched once and kept, so in steady state a tick fetches only the current day's page (plus the
 * previous day's around midnight when that one was still incomplete), then reads from the store.
 */
export async function loadCandleWindow(args: LoadCandleWindowArgs): Promise<CandleWindow> {
  const { pair, timeframe, nowMs, store } = args;
  const span = windowSpan(nowMs, args.bars, timeframe);
  const ids = span.days.map((day) => seriesDayId(pair, timeframe, day));
  const byDay = new Map<number, CandleDayRecord>();
  // Final days from the instance's cache, oldest first until the first day it lacks; the rest is
  // read from the store (the day still running, and any not final yet, as another instance left them).
  let firstRead = 0;
  for (; firstRead < ids.length; firstRead += 1) {
    const hit = args.cache?.get(ids[firstRead] as string);
    if (hit === undefined) break;
    byDay.set(hit.dayStartMs, hit);
  }
  const cachedDays = firstRead;
  const stored =
    firstRead < ids.length
      ? await store.list(candleDays, {
          where: [
            ['seriesDay', '>=', ids[firstRead]],
            ['seriesDay', '<=', ids[ids.length - 1]],
          ],
        })
      : [];
  for (const d of stored) {
    if (d.data.pair !== pair) continue;
    byDay.set(d.data.dayStartMs, d.data);
    args.cache?.keepIfFinal(d.data, nowMs, timeframe);
  }
  const toFetch = span.days.filter((day) => needsFetch(byDay.get(day), day, nowMs, timeframe));

  await inBatches(toFetch, args.concurrency ?? 3, async (day) => {
    const candles = await withDeadline(
      (signal) => args.source.fetchClosedCandles({ pair, timeframe, fromMs: day, toMs: day + DAY_MS, nowMs, signal }),
      {
        clock: args.clock,
        timeoutMs: args.pageTimeoutMs ?? 20_000,
        code: 'EXCHANGE.TIMEOUT',
        what: `candle page ${seriesDayId(pair, timeframe, day)}`,
        signal: args.signal,
      },
    );
    const record = toCandleDayRecord({ pair, timeframe, dayStartMs: day, candles, nowMs });
    await store.set(candleDays, record.seriesDay, record);
    byDay.set(day, record);
    args.cache?.keepIfFinal(record, nowMs, timeframe);
  });

  const candles = span.days
    .flatMap((day) => {
      const record = byDay.get(day);
      return record === undefined ? [] : fromCandleDayRecord(record);
    })
    .filter((c) => c.openTimeMs >= span.fromMs && c.openTimeMs < span.toMs);
  const gaps = findGaps(candles, TIMEFRAME_MS[timeframe]);
  return {
    candles,
    gaps,
    flags: gaps.length > 0 ? { candleGaps: describeGaps(gaps) } : {},
    fromMs: span.fromMs,
    toMs: span.toMs,
    fetchedDays: toFetch.map((day) => seriesDayId(pair, timeframe, day)),
    storedDays: stored.length,
    cachedDays,
  };
}

async function inBatches<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += Math.max(1, size)) {
    await Promise.all(items.slice(i, i + Math.max(1, size)).map(work));
  }
}
