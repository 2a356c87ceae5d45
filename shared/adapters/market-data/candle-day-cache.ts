import { LRUCache } from 'lru-cache';
import { DAY_MS, type Timeframe } from '../../core/candle.js';
import type { CandleDayRecord } from '../../store/market-data-collections.js';
import { needsFetch } from './candle-days.js';

/**
 * A day document is final when its day has ended and the store will never fetch it again
 * (complete, or its gaps settled: `needsFetch` is false). No code path rewrites a final
 * document, so an instance may keep it; every other day is read from the store each tick.
 */
export function isFinalDay(record: CandleDayRecord, nowMs: number, timeframe: Timeframe): boolean {
  return record.dayStartMs + DAY_MS <= nowMs && !needsFetch(record, record.dayStartMs, nowMs, timeframe);
}

/**
 * Final candle-day documents kept per instance (an optimisation over the Firestore day store,
 * bounded; never the source of truth), so a steady tick reads only the days still changing.
 */
export class CandleDayCache {
  private readonly days: LRUCache<string, CandleDayRecord>;

  constructor(maxDays = 400) {
    this.days = new LRUCache({ max: maxDays });
  }

  get(seriesDay: string): CandleDayRecord | undefined {
    return this.days.get(seriesDay);
  }

  /** Keeps the record only when it is final at `nowMs`; returns whether it did. */
  keepIfFinal(record: CandleDayRecord, nowMs: number, timeframe: Timeframe): boolean {
    if (!isFinalDay(record, nowMs, timeframe)) return false;
    this.days.set(record.seriesDay, record);
    return true;
  }

  get size(): number {
    return this.days.size;
  }
}
