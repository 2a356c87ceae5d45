import { describe, expect, it } from 'vitest';
import { classifyBarTiming, parseBarTime, resolveBarOpenMs, resolveTickBar, tickId } from './bar.js';

const H = 3_600_000;
const T = Date.UTC(2026, 10, 26, 10, 0, 0);

describe('resolveBarOpenMs', () => {
  it('floors the Cloud Scheduler header to the hour', () => {
    expect(resolveBarOpenMs({ scheduleTime: '2026-11-26T10:00:07.123Z' }, '1h')).toBe(T);
    expect(resolveBarOpenMs({ scheduleTime: '2026-11-26T10:59:59Z', body: { bar: 0 } }, '1h')).toBe(T);
  });
  it('takes a manual bar (RFC 3339 with a zone) from the body when there is no header', () => {
    expect(resolveBarOpenMs({ body: { bar: '2026-11-26T10:30:00Z' } }, '1h')).toBe(T);
    expect(resolveBarOpenMs({ body: { bar: '2026-11-26T19:30:00+09:00' } }, '1h')).toBe(T);
  });
  it.each([
    [{}],
    [{ body: {} }],
    [{ body: { bar: 'yesterday' } }],
    [{ body: { bar: -5 } }],
    [{ scheduleTime: 'garbage' }],
    [{ body: 'text' }],
    // seconds since the epoch (read as ms they were a 1970 bar), numbers of any kind, no zone, prose dates
    [{ scheduleTime: '1559556000' }],
    [{ body: { bar: 1559556000 } }],
    [{ body: { bar: T } }],
    [{ scheduleTime: 'June 3 2019' }],
    [{ scheduleTime: '2019-06-03 11:00' }],
    [{ scheduleTime: '2019-06-03T11:00:00' }],
    [{ body: { bar: '2019-06-03T11:00' } }],
  ])('is TICK.BAD_REQUEST for %j', (request) => {
    expect(() => resolveBarOpenMs(request, '1h')).toThrow(expect.objectContaining({ code: 'TICK.BAD_REQUEST' }));
  });
  it('parses RFC 3339 with a zone only, and checks the calendar', () => {
    expect(parseBarTime('2019-06-03T11:00:00Z', 'x')).toBe(Date.UTC(2019, 5, 3, 11));
    expect(parseBarTime('2019-06-03t11:00:00.5z', 'x')).toBe(Date.UTC(2019, 5, 3, 11, 0, 0, 500));
    expect(parseBarTime('2019-06-03T11:00:00-01:30', 'x')).toBe(Date.UTC(2019, 5, 3, 12, 30));
    for (const bad of [
      '2019-02-29T00:00:00Z',
      '2019-13-01T00:00:00Z',
      '2019-06-03T24:00:00Z',
      '2019-06-03T11:60:00Z',
      '2019-06-03T11:00:00+24:00',
      '2019-06-03T11:00:00+0900',
      ' 2019-06-03T11:00:00Z',
      '+002019-06-03T11:00:00Z',
    ]) {
      expect(() => parseBarTime(bad, 'x'), bad).toThrow(expect.objectContaining({ code: 'TICK.BAD_REQUEST' }));
    }
  });
  it('a tick bar must be past (within the skew) and not older than the limit', () => {
    const limit = 30 * 86_400_000;
    expect(resolveTickBar({ scheduleTime: '2026-11-26T10:00:07Z' }, '1h', T + 5_000, limit)).toBe(T);
    expect(resolveTickBar({ scheduleTime: '2026-11-26T10:00:00Z' }, '1h', T + limit, limit)).toBe(T);
    expect(() => resolveTickBar({ scheduleTime: '2026-11-26T10:00:00Z' }, '1h', T + limit + 1, limit)).toThrow(
      expect.objectContaining({ code: 'TICK.BAD_REQUEST' }),
    );
    expect(() => resolveTickBar({ scheduleTime: '2026-11-26T12:00:00Z' }, '1h', T, limit)).toThrow(
      expect.objectContaining({ code: 'TICK.BAD_REQUEST' }),
    );
  });
  it('names the claim document by pair, timeframe and bar', () => {
    expect(tickId('btc_jpy', '1h', T)).toBe(`btc_jpy_1h_${T}`);
  });
});

describe('classifyBarTiming', () => {
  it('is on time within the allowed bars, too late after, future beyond the skew', () => {
    expect(classifyBarTiming(T, T + 30_000, '1h', 2)).toEqual({ kind: 'on-time', lateBars: 30_000 / H });
    expect(classifyBarTiming(T, T + 2 * H, '1h', 2).kind).toBe('on-time');
    expect(classifyBarTiming(T, T + 2 * H + 1, '1h', 2).kind).toBe('too-late');
    expect(classifyBarTiming(T, T - 30_000, '1h', 2).kind).toBe('on-time');
    expect(classifyBarTiming(T, T - 10 * 60_000, '1h', 2)).toEqual({ kind: 'future', earlyMs: 600_000 });
  });
});
