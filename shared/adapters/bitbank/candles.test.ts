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
  const justClosed = { nowMs: D0 + 3 * HOUR_MS };
  it('returns the expected bars ascending and drops the rest of the day', () => {
    const rows = [row(D0 + 2 * HOUR_MS), row(D0), row(D0 + HOUR_MS), row(D0 + 3 * HOUR_MS)];
    const assembled = assembleCandles(rows, expected, '1h', justClosed);
    expect(assembled.candles.map((c) => c.openTimeMs)).toEqual(expected);
    expect(assembled.gapOpenTimesMs).toEqual([]);
  });

  it('a recent bar not published yet is DATA.MISSING_CANDLES (retryable), never a silent gap', () => {
    expect(codeOf(() => assembleCandles([row(D0), row(D0 + 2 * HOUR_MS)], expected, '1h', justClosed))).toBe(
      'DATA.MISSING_CANDLES',
    );
    expect(codeOf(() => assembleCandles([row(D0), row(D0 + HOUR_MS)], expected, '1h', justClosed))).toBe(
      'DATA.MISSING_CANDLES',
    );
  });

  it('a settled day is returned with its real gap, the missing bar times listed', () => {
    // the whole day 1 Jan, read at 03:00 on 2 Jan: the 05:00 and 06:00 bars were never published
    const day = expectedBarOpens(D0, D0 + DAY_MS, D0 + DAY_MS + 3 * HOUR_MS, '1h');
    const holes = [D0 + 5 * HOUR_MS, D0 + 6 * HOUR_MS];
    const rows = day.filter((t) => !holes.includes(t)).map((t) => row(t));
    const assembled = assembleCandles(rows, day, '1h', { nowMs: D0 + DAY_MS + 3 * HOUR_MS });
    expect(assembled.gapOpenTimesMs).toEqual(holes);
    expect(assembled.candles.map((c) => c.openTimeMs)).toEqual(day.filter((t) => !holes.includes(t)));
  });

  it('the settle time decides: a bar missing for less than it fails, for longer it is a gap', () => {
    const rows = [row(D0), row(D0 + 2 * HOUR_MS)]; // 01:00 (closed 02:00) missing
    expect(codeOf(() => assembleCandles(rows, expected, '1h', { nowMs: D0 + 4 * HOUR_MS - 1 }))).toBe(
      'DATA.MISSING_CANDLES',
    ); // closed 2 h - 1 ms ago
    expect(assembleCandles(rows, expected, '1h', { nowMs: D0 + 4 * HOUR_MS }).gapOpenTimesMs).toEqual([D0 + HOUR_MS]); // closed 2 h ago: settled
    expect(
      assembleCandles(rows, expected, '1h', { nowMs: D0 + 3 * HOUR_MS, settleMs: HOUR_MS }).gapOpenTimesMs,
    ).toEqual([D0 + HOUR_MS]);
  });

  it('a malformed or duplicated bar is DATA.BAD_CANDLES', () => {
    const good = [row(D0), row(D0 + HOUR_MS)];
    expect(codeOf(() => assembleCandles([...good, row(D0 + 2 * HOUR_MS, 100, 95)], expected, '1h', justClosed))).toBe(
      'DATA.BAD_CANDLES',
    );
    expect(
      codeOf(() =>
        assembleCandles([...good, [D0 + 2 * HOUR_MS, 100, 110, 90, undefined, 1]], expected, '1h', justClosed),
      ),
    ).toBe('DATA.BAD_CANDLES');
    expect(
      codeOf(() =>
        assembleCandles([...good, row(D0 + 2 * HOUR_MS, 100, 110, 90, 105, -1)], expected, '1h', justClosed),
      ),
    ).toBe('DATA.BAD_CANDLES');
    expect(
      codeOf(() =>
        assembleCandles([...good, row(D0 + 2 * HOUR_MS), row(D0 + 2 * HOUR_MS)], expected, '1h', justClosed),
      ),
    ).toBe('DATA.BAD_CANDLES');
  });
});
