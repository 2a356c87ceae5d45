import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, type Candle } from '../../core/candle.js';
import {
  GAP_SETTLE_MS,
  fromCandleDayRecord,
  needsFetch,
  seriesDayId,
  toCandleDayRecord,
  windowSpan,
} from './candle-days.js';
import { candleDaySchema } from '../../store/market-data-collections.js';

const DAY = Date.UTC(2024, 4, 10);
const bar = (openTimeMs: number, close = 100): Candle => ({
  openTimeMs,
  open: close,
  high: close + 1,
  low: close - 1,
  close,
  volume: 1,
});
const fullDay = (day: number): Candle[] => Array.from({ length: 24 }, (_, h) => bar(day + h * HOUR_MS, 100 + h));

describe('candle day helpers', () => {
  it('names a day document by pair, timeframe and UTC date', () => {
    expect(seriesDayId('btc_jpy', '1h', DAY)).toBe('btc_jpy_1h_20240510');
  });

  it('spans the bars closed at nowMs and the UTC days they touch', () => {
    const span = windowSpan(DAY + 3 * HOUR_MS, 5, '1h');
    expect(span).toEqual({ fromMs: DAY - 2 * HOUR_MS, toMs: DAY + 3 * HOUR_MS, days: [DAY - DAY_MS, DAY] });
    expect(windowSpan(DAY + 3 * HOUR_MS + 59_000, 5, '1h').toMs).toBe(DAY + 3 * HOUR_MS); // mid-bar: the bar still running is left out
    expect(windowSpan(DAY, 24, '1h').days).toEqual([DAY - DAY_MS]); // at midnight the window ends with yesterday's 23:00 bar
    expect(() => windowSpan(DAY, 0, '1h')).toThrow(RangeError);
  });

  it('marks a day complete only with all 24 bars closed, dropping bars still open or outside the day', () => {
    const noon = toCandleDayRecord({
      pair: 'btc_jpy',
      timeframe: '1h',
      dayStartMs: DAY,
      candles: fullDay(DAY),
      nowMs: DAY + 12 * HOUR_MS,
    });
    expect(noon.openTimesMs).toHaveLength(12);
    expect(noon.complete).toBe(false);
    const done = toCandleDayRecord({
      pair: 'btc_jpy',
      timeframe: '1h',
      dayStartMs: DAY,
      candles: [bar(DAY - HOUR_MS), ...fullDay(DAY), bar(DAY + DAY_MS)],
      nowMs: DAY + DAY_MS,
    });
    expect(done.complete).toBe(true);
    expect(fromCandleDayRecord(done)).toEqual(fullDay(DAY));
    expect(candleDaySchema.safeParse(done).success).toBe(true);
    const gap = toCandleDayRecord({
      pair: 'btc_jpy',
      timeframe: '1h',
      dayStartMs: DAY,
      candles: fullDay(DAY).filter((_, h) => h !== 7),
      nowMs: DAY + DAY_MS,
    });
    expect(gap.complete).toBe(false);
    expect(gap.openTimesMs).not.toContain(DAY + 7 * HOUR_MS); // not patched
  });

  it('fetches the running day only when its newest closed bar is missing; a closed gap day only until it settles', () => {
    const at = (nowMs: number, candles = fullDay(DAY), fetchedAt = nowMs) =>
      toCandleDayRecord({ pair: 'p', timeframe: '1h', dayStartMs: DAY, candles, nowMs: fetchedAt });
    expect(needsFetch(undefined, DAY, DAY + HOUR_MS, '1h')).toBe(true);
    const tenAm = at(DAY + 10 * HOUR_MS);
    expect(needsFetch(tenAm, DAY, DAY + 10 * HOUR_MS, '1h')).toBe(false); // same bar again (a retried tick)
    expect(needsFetch(tenAm, DAY, DAY + 11 * HOUR_MS, '1h')).toBe(true);
    expect(needsFetch(at(DAY + DAY_MS), DAY, DAY + 5 * DAY_MS, '1h')).toBe(false); // complete: kept for good
    const gappy = fullDay(DAY).filter((_, h) => h !== 3);
    const readAtMidnight = at(DAY + DAY_MS, gappy);
    expect(needsFetch(readAtMidnight, DAY, DAY + DAY_MS + HOUR_MS, '1h')).toBe(true);
    const settled = at(DAY + DAY_MS + GAP_SETTLE_MS, gappy);
    expect(needsFetch(settled, DAY, DAY + DAY_MS + GAP_SETTLE_MS + HOUR_MS, '1h')).toBe(false);
  });

  it('the stored schema rejects ragged columns and bars outside the day', () => {
    const record = toCandleDayRecord({
      pair: 'btc_jpy',
      timeframe: '1h',
      dayStartMs: DAY,
      candles: fullDay(DAY),
      nowMs: DAY + DAY_MS,
    });
    expect(candleDaySchema.safeParse({ ...record, close: record.close.slice(1) }).success).toBe(false);
    expect(
      candleDaySchema.safeParse({ ...record, openTimesMs: record.openTimesMs.map((t) => t + DAY_MS) }).success,
    ).toBe(false);
  });
});
