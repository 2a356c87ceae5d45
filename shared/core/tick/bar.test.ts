import { describe, expect, it } from 'vitest';
import { classifyBarTiming, resolveBarOpenMs, tickId } from './bar.js';

const H = 3_600_000;
const T = Date.UTC(2026, 10, 26, 10, 0, 0);

describe('resolveBarOpenMs', () => {
  it('floors the Cloud Scheduler header to the hour', () => {
    expect(resolveBarOpenMs({ scheduleTime: '2026-11-26T10:00:07.123Z' }, '1h')).toBe(T);
    expect(resolveBarOpenMs({ scheduleTime: '2026-11-26T10:59:59Z', body: { bar: 0 } }, '1h')).toBe(T);
  });
  it('takes a manual bar (ISO or ms) from the body when there is no header', () => {
    expect(resolveBarOpenMs({ body: { bar: '2026-11-26T10:30:00Z' } }, '1h')).toBe(T);
    expect(resolveBarOpenMs({ body: { bar: T + 5 } }, '1h')).toBe(T);
  });
  it.each([[{}], [{ body: {} }], [{ body: { bar: 'yesterday' } }], [{ body: { bar: -5 } }], [{ scheduleTime: 'garbage' }], [{ body: 'text' }]])(
    'is TICK.BAD_REQUEST for %j',
    (request) => {
      expect(() => resolveBarOpenMs(request, '1h')).toThrow(expect.objectContaining({ code: 'TICK.BAD_REQUEST' }));
    },
  );
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
