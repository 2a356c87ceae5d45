import { describe, expect, it } from 'vitest';
import { HOUR_MS, type Candle } from '../../shared/core/candle.js';
import { Replay, toOhlcvRow } from './replay.js';

const T0 = Date.UTC(2024, 0, 1);
const candles: Candle[] = [0, 1, 2, 4, 5].map((h) => ({
  openTimeMs: T0 + h * HOUR_MS,
  open: 100 + h,
  high: 110 + h,
  low: 90 + h,
  close: 105 + h,
  volume: 1 + h,
}));
const replay = new Replay(candles);
const opens = (list: Candle[]): number[] => list.map((c) => (c.openTimeMs - T0) / HOUR_MS);

describe('Replay', () => {
  it('serves only bars that closed by the clock, keeping gaps', () => {
    expect(opens(replay.day(T0, T0 + 2 * HOUR_MS))).toEqual([0, 1]);
    expect(opens(replay.day(T0, T0 + 2 * HOUR_MS + 1))).toEqual([0, 1]);
    expect(opens(replay.day(T0, T0 + 6 * HOUR_MS))).toEqual([0, 1, 2, 4, 5]);
  });

  it('lists the bars the clock passes: closed in (from, to]', () => {
    expect(opens(replay.closedDuring(T0 + HOUR_MS, T0 + 3 * HOUR_MS))).toEqual([1, 2]);
    expect(opens(replay.closedDuring(T0 + 2 * HOUR_MS + 1, T0 + 5 * HOUR_MS))).toEqual([2, 4]);
    expect(replay.closedDuring(T0 + 3 * HOUR_MS, T0 + 4 * HOUR_MS)).toEqual([]);
  });

  it('quotes last = close of the last closed bar, bid/ask 0.05 % around it on the tick', () => {
    expect(replay.quote(T0 + 3 * HOUR_MS + 10)).toEqual({ last: '107', bid: '106', ask: '108' });
    expect(replay.quote(T0 + 10).last).toBe('100'); // before any close: the first open
    expect(replay.ticker(T0 + 6 * HOUR_MS)).toMatchObject({
      last: '110',
      open: '100',
      high: '115',
      low: '90',
      vol: '17.0000',
    });
  });

  it('formats bitbank ohlcv rows: strings and ms', () => {
    expect(toOhlcvRow(candles[0] as Candle)).toEqual(['100', '110', '90', '105', '1.0000', T0]);
  });
});
