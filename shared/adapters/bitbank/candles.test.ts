import { describe, expect, it } from 'vitest';
import { BotError } from '../../core/errors.js';
import { DAY_MS, HOUR_MS } from '../../core/candle.js';
import { assembleCandles, daysCovering, expectedBarOpens, type OhlcvRow } from './candles.js';

const D0 = Date.UTC(2024, 0, 1);
const row = (t: number, o = 100, h = 110, l = 90, c = 105, v = 1): OhlcvRow => [t, o, h, l, c, v];
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    return (error as BotError).code;
  }
  return 'none';
};

describe('expectedBarOpens', () => {
  it('lists only bars closed by now, inside [from, to)', () => {
    const opens = expectedBarOpens(D0 + 30 * 60_000, D0 + DAY_MS, D0 + 3 * HOUR_MS + 1, '1h');
    expect(opens).toEqual([D0 + HOUR_MS, D0 + 2 * HOUR_MS]);
    // a bar closing exactly at now counts as closed
    expect(expectedBarOpens(D0, D0 + DAY_MS, D0 + 2 * HOUR_MS, '1h')).toEqual([D0, D0 + HOUR_MS]);
  });

  it('covers a multi-day range with one request per UTC day', () => {
    const opens = expectedBarOpens(D0 + 20 * HOUR_MS, D0 + 3 * DAY_MS, D0 + 10 * DAY_MS, '1h');
    expect(opens).toHaveLength(52);
    expect(daysCovering(opens)).toEqual([D0, D0 + DAY_MS, D0 + 2 * DAY_MS]);
  });
});

describe('assembleCandles', () => {
  const expected = [D0, D0 + HOUR_MS, D0 + 2 * HOUR_MS];
  it('returns the expected bars ascending and drops the rest of the day', () => {
    const rows = [row(D0 + 2 * HOUR_MS), row(D0), row(D0 + HOUR_MS), row(D0 + 3 * HOUR_MS)];
    expect(assembleCandles(rows, expected, '1h').map((c) => c.openTimeMs)).toEqual(expected);
  });

  it('a missing bar is DATA.MISSING_CANDLES, never a silent gap', () => {
    expect(codeOf(() => assembleCandles([row(D0), row(D0 + 2 * HOUR_MS)], expected, '1h'))).toBe('DATA.MISSING_CANDLES');
  });

  it('a malformed or duplicated bar is DATA.BAD_CANDLES', () => {
    const good = [row(D0), row(D0 + HOUR_MS)];
    expect(codeOf(() => assembleCandles([...good, row(D0 + 2 * HOUR_MS, 100, 95)], expected, '1h'))).toBe('DATA.BAD_CANDLES');
    expect(codeOf(() => assembleCandles([...good, [D0 + 2 * HOUR_MS, 100, 110, 90, undefined, 1]], expected, '1h'))).toBe('DATA.BAD_CANDLES');
    expect(codeOf(() => assembleCandles([...good, row(D0 + 2 * HOUR_MS, 100, 110, 90, 105, -1)], expected, '1h'))).toBe('DATA.BAD_CANDLES');
    expect(codeOf(() => assembleCandles([...good, row(D0 + 2 * HOUR_MS), row(D0 + 2 * HOUR_MS)], expected, '1h'))).toBe('DATA.BAD_CANDLES');
  });
});
