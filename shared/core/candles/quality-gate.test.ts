import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCandlesCsv } from '../../../tools/lib/csv.js';
import { HOUR_MS, type Candle } from '../candle.js';
import { DataQualityError } from '../errors.js';
import { assertCandlesOk, checkCandles, type QualityGateResult } from './quality-gate.js';

const DAY = Date.UTC(2025, 0, 6); // a Monday

/** Rows of `HH:MM open high low close volume` on DAY (a row `HH:MM` past 23:59 rolls into the next day). */
function table(text: string): Candle[] {
  return text
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .map(([time, open, high, low, close, volume]) => {
      const [h, m] = (time as string).split(':').map(Number) as [number, number];
      return {
        openTimeMs: DAY + h * HOUR_MS + m * 60_000,
        open: Number(open),
        high: Number(high),
        low: Number(low),
        close: Number(close),
        volume: Number(volume),
      };
    });
}

const at = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return DAY + h * HOUR_MS + m * 60_000;
};

function failure(result: QualityGateResult): DataQualityError {
  if (result.ok) throw new Error('expected the gate to fail');
  return result.error;
}

const CLEAN = `
  00:00 100 104  99 103 5
  01:00 103 105 101 102 4
  02:00 102 103 100 101 0
  03:00 101 102  98 100 7
`;

describe('candle quality gate: scenario tables', () => {
  it('passes clean, closed, recent bars', () => {
    expect(checkCandles(table(CLEAN), { nowMs: at('04:00') + 5_000 })).toEqual({
      ok: true,
      bars: 4,
      flags: [],
      gapFlags: [],
    });
  });

  it('a recent gap blocks: DATA.MISSING_CANDLES (retryable), naming the first missing bar', () => {
    const error = failure(
      checkCandles(
        table(`
      00:00 100 104  99 103 5
      01:00 103 105 101 102 4
      04:00 102 103 100 101 1
    `),
        { nowMs: at('05:00') },
      ),
    );
    expect(error.code).toBe('DATA.MISSING_CANDLES');
    expect(error.retryable).toBe(true);
    expect(error.details).toMatchObject({
      gaps: 1,
      missingBars: 2,
      issues: [{ kind: 'gap', openTimeMs: at('02:00') }],
    });
  });

  // 00:00..05:00, then 06:00 and 07:00 missing, then 08:00..11:00; now 12:00 (window end).
  const OLD_GAP = `
    00:00 100 104  99 103 5
    01:00 103 105 101 102 4
    02:00 102 103 100 101 1
    03:00 101 102  98 100 7
    04:00 100 101  99 100 2
    05:00 100 102  99 101 3
    08:00 101 103 100 102 4
    09:00 102 104 101 103 5
    10:00 103 104 102 103 2
    11:00 103 105 102 104 3
  `;

  it('an old gap passes and is flagged with its time, length and age', () => {
    const result = checkCandles(table(OLD_GAP), { nowMs: at('12:00'), maxBlockingGapAgeBars: 4 });
    expect(result).toEqual({
      ok: true,
      bars: 10,
      flags: [],
      gapFlags: [{ firstMissingOpenMs: at('06:00'), at: '2025-01-06T06:00:00.000Z', missingBars: 2, ageBars: 4 }],
    });
  });

  it('the same gap blocks while its last missing bar is among the newest maxBlockingGapAgeBars slots', () => {
    // slots 07:00..11:00 are the newest 5: the missing 07:00 is one of them
    const error = failure(checkCandles(table(OLD_GAP), { nowMs: at('12:00'), maxBlockingGapAgeBars: 5 }));
    expect(error.code).toBe('DATA.MISSING_CANDLES');
    expect(error.details).toMatchObject({
      gaps: 1,
      missingBars: 2,
      flaggedGaps: 0,
      issues: [{ kind: 'gap', openTimeMs: at('06:00') }],
    });
    // default 24: a 2-bar gap 4 bars ago blocks
    expect(failure(checkCandles(table(OLD_GAP), { nowMs: at('12:00') })).code).toBe('DATA.MISSING_CANDLES');
  });

  it('an old gap does not hide a bad bar, and a recent gap is blocked while an older one is flagged', () => {
    const bad = table(OLD_GAP.replace('10:00 103 104 102 103 2', '10:00 103 102 101 103 2'));
    expect(failure(checkCandles(bad, { nowMs: at('12:00'), maxBlockingGapAgeBars: 4 })).code).toBe('DATA.BAD_CANDLES');
    const twoGaps = table(OLD_GAP.replace('09:00 102 104 101 103 5\n', ''));
    const result = checkCandles(twoGaps, { nowMs: at('12:00'), maxBlockingGapAgeBars: 4 });
    expect(failure(result).details).toMatchObject({
      gaps: 1,
      missingBars: 1,
      flaggedGaps: 1,
      issues: [{ kind: 'gap', openTimeMs: at('09:00') }],
    });
    expect(result.gapFlags).toMatchObject([{ firstMissingOpenMs: at('06:00'), missingBars: 2 }]);
  });

  it.each([
    ['high below the body', '01:00 103 102 101 102.5 4', 'high-below-body'],
    ['low above the body', '01:00 103 105 103.5 104 4', 'low-above-body'],
    ['a zero price', '01:00 103 105 0 102 4', 'non-positive-price'],
    ['negative volume', '01:00 103 105 101 102 -1', 'negative-volume'],
    ['a bar off the hour', '01:30 103 105 101 102 4', 'off-hour'],
    ['a duplicate time', '00:00 103 105 101 102 4', 'not-ascending'],
  ])('rejects %s as DATA.BAD_CANDLES naming the bar', (_name, row, kind) => {
    const candles = table(`00:00 100 104 99 103 5\n${row}\n02:00 102 103 100 101 1`);
    const error = failure(checkCandles(candles, { nowMs: at('03:00') }));
    expect(error.code).toBe('DATA.BAD_CANDLES');
    expect(error.retryable).toBe(false);
    expect((error.details.issues as Array<{ kind: string }>).map((x) => x.kind)).toContain(kind);
    expect(error.message).toContain(kind);
  });

  it('rejects a bar that has not closed yet', () => {
    const error = failure(checkCandles(table(CLEAN), { nowMs: at('03:30') }));
    expect(error.code).toBe('DATA.BAD_CANDLES');
    expect(error.details.issues).toMatchObject([{ kind: 'not-closed', openTimeMs: at('03:00') }]);
  });

  it('reports stale data when the newest closed bar is missing', () => {
    const error = failure(checkCandles(table(CLEAN), { nowMs: at('05:00') + 10_000 }));
    expect(error.code).toBe('DATA.STALE_CANDLES');
    expect(error.retryable).toBe(true);
    expect(checkCandles(table(CLEAN), { nowMs: at('05:00') + 10_000, maxLastCloseAgeMs: 2 * HOUR_MS }).ok).toBe(true);
  });

  it('reports too few bars as missing', () => {
    expect(failure(checkCandles([], { nowMs: at('05:00') })).code).toBe('DATA.MISSING_CANDLES');
    expect(failure(checkCandles(table(CLEAN), { nowMs: at('04:00'), minBars: 10 })).code).toBe('DATA.MISSING_CANDLES');
  });

  it('flags a jump beyond flagJumpAtr, rejects one beyond maxJumpAtr unless acknowledged', () => {
    const calm = Array.from({ length: 20 }, (_, i) => ({
      openTimeMs: DAY + i * HOUR_MS,
      open: 100,
      high: 101,
      low: 99,
      close: 100,
      volume: 1,
    }));
    const spike = { openTimeMs: DAY + 20 * HOUR_MS, open: 100, high: 125, low: 99, close: 120, volume: 1 }; // true range 26 = 13 x ATR 2
    const nowMs = DAY + 21 * HOUR_MS;
    const flagged = checkCandles([...calm, spike], { nowMs });
    expect(flagged.ok).toBe(true);
    expect(flagged.flags).toEqual([
      { openTimeMs: spike.openTimeMs, at: '2025-01-06T20:00:00.000Z', trueRange: 26, atr: 2, multiple: 13 },
    ]);
    const rejected = failure(checkCandles([...calm, spike], { nowMs, maxJumpAtr: 10 }));
    expect(rejected.code).toBe('DATA.BAD_CANDLES');
    expect(rejected.details.issues).toMatchObject([{ kind: 'jump', openTimeMs: spike.openTimeMs }]);
    expect(
      assertCandlesOk([...calm, spike], { nowMs, maxJumpAtr: 10, acknowledgedJumpOpenTimesMs: [spike.openTimeMs] }),
    ).toHaveLength(1);
  });

  it('a bad bar outranks a gap, and the error carries every issue', () => {
    const error = failure(
      checkCandles(
        table(`
      00:00 100 104  99 103 5
      02:00 103 102 101 102 4
    `),
        { nowMs: at('03:00') },
      ),
    );
    expect(error.code).toBe('DATA.BAD_CANDLES');
    expect((error.details.issues as Array<{ kind: string }>).map((x) => x.kind).sort()).toEqual([
      'gap',
      'high-below-body',
    ]);
  });

  it('assertCandlesOk throws the DataQualityError', () => {
    expect(() => assertCandlesOk(table(CLEAN), { nowMs: at('09:00') })).toThrow(DataQualityError);
  });
});

describe('candle quality gate on the shared file', () => {
  const file = fileURLToPath(new URL('../../../data/candles/binance-btcusdt-1h-2017-2022.csv', import.meta.url));
  const candles = readCandlesCsv(file, { quotePerUsd: 150 });
  const nowMs = (candles.at(-1) as Candle).openTimeMs + HOUR_MS;

  it('the 27 real gaps (127 missing hours) are old: flagged, not blocking; the 33-hour one from 2018-02-08 among them', () => {
    const passed = checkCandles(candles, { nowMs });
    expect(passed.ok).toBe(true);
    expect(passed.gapFlags).toHaveLength(27);
    expect(passed.gapFlags.reduce((sum, g) => sum + g.missingBars, 0)).toBe(127);
    expect(passed.gapFlags).toContainEqual(
      expect.objectContaining({ at: '2018-02-08T01:00:00.000Z', missingBars: 33 }),
    );
  });

  it('with every gap blocking, the same gaps fail the gate', () => {
    const result = checkCandles(candles, { nowMs, maxBlockingGapAgeBars: Number.POSITIVE_INFINITY });
    const error = failure(result);
    expect(error.code).toBe('DATA.MISSING_CANDLES');
    expect(error.details).toMatchObject({ gaps: 27, missingBars: 127 });
    expect(result.ok ? [] : result.issues.filter((x) => x.kind === 'gap').map((x) => x.detail)).toContain(
      '33 bar(s) missing before 2018-02-09T10:00:00.000Z',
    );
  });

  it('every other check passes on the real bars: the gaps are the only issues, jumps are only flagged', () => {
    const result = checkCandles(candles, { nowMs, maxBlockingGapAgeBars: Number.POSITIVE_INFINITY });
    expect(result.ok ? [] : [...new Set(result.issues.map((x) => x.kind))]).toEqual(['gap']);
    expect(result.flags.length).toBeGreaterThan(0);
    expect(Math.max(...result.flags.map((f) => f.multiple))).toBeLessThan(30);
  });
});
