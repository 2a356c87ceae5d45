import { describe, expect, it } from 'vitest';
import { toCandleColumns } from './candle-columns.js';
import { timeFeatures } from './time.js';

describe('time features', () => {
  it('hour, weekday (Monday 0) and session flags of the bar open, UTC', () => {
    const open = (
      iso: string,
    ): { openTimeMs: number; open: number; high: number; low: number; close: number; volume: number } => ({
      openTimeMs: Date.parse(iso),
      open: 1,
      high: 1,
      low: 1,
      close: 1,
      volume: 0,
    });
    const c = toCandleColumns([
      open('2025-01-06T00:00:00Z'),
      open('2025-01-06T05:00:00Z'),
      open('2025-01-06T06:00:00Z'),
      open('2025-01-11T13:00:00Z'),
      open('2025-01-12T20:00:00Z'),
      open('2025-01-12T21:00:00Z'),
    ]);
    const t = timeFeatures(c);
    expect(Array.from(t.hour_utc as Float64Array)).toEqual([0, 5, 6, 13, 20, 21]);
    expect(Array.from(t.weekday_utc as Float64Array)).toEqual([0, 0, 0, 5, 6, 6]); // Monday, Saturday, Sunday
    expect(Array.from(t.tokyo_session as Float64Array)).toEqual([1, 1, 0, 0, 0, 0]);
    expect(Array.from(t.us_session as Float64Array)).toEqual([0, 0, 0, 1, 1, 0]);
  });
});
