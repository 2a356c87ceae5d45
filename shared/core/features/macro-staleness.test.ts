import { describe, expect, it } from 'vitest';
import type { MacroData } from '../macro.js';
import { DEFAULT_MACRO_MAX_AGE_DAYS, macroAvailableAtMs, macroDateMs, macroStaleness } from './macro-staleness.js';

const series = (name: 'vix' | 'fearGreed', dates: string[]): MacroData => ({
  [name]: { name, points: dates.map((date, i) => ({ date, value: 20 + i })) },
});
const VIX_WEEK = series('vix', ['2025-01-06', '2025-01-07', '2025-01-08', '2025-01-09', '2025-01-10']); // Mon..Fri

describe('macro staleness', () => {
  it('a US close is known from 22:00 UTC of its day; Fear & Greed from 00:00 UTC', () => {
    expect(macroAvailableAtMs('vix', '2025-01-10')).toBe(Date.parse('2025-01-10T22:00:00Z'));
    expect(macroAvailableAtMs('fearGreed', '2025-01-10')).toBe(Date.parse('2025-01-10T00:00:00Z'));
    expect(() => macroDateMs('10/01/2025')).toThrow(RangeError);
  });

  it('before Friday 22:00 the newest VIX is Thursday (1 day old), after it Friday (0 days)', () => {
    expect(macroStaleness(VIX_WEEK, Date.parse('2025-01-10T21:59:59Z')).vix).toEqual({
      lastDate: '2025-01-09',
      ageDays: 1,
      missing: false,
      stale: false,
    });
    expect(macroStaleness(VIX_WEEK, Date.parse('2025-01-10T22:00:00Z')).vix).toEqual({
      lastDate: '2025-01-10',
      ageDays: 0,
      missing: false,
      stale: false,
    });
  });

  it('a weekend plus a holiday Monday is normal (4 days); one more day is stale', () => {
    expect(DEFAULT_MACRO_MAX_AGE_DAYS).toBe(4);
    expect(macroStaleness(VIX_WEEK, Date.parse('2025-01-14T12:00:00Z')).vix).toMatchObject({
      lastDate: '2025-01-10',
      ageDays: 4,
      stale: false,
    });
    expect(macroStaleness(VIX_WEEK, Date.parse('2025-01-15T00:00:00Z')).vix).toMatchObject({ ageDays: 5, stale: true });
    expect(macroStaleness(VIX_WEEK, Date.parse('2025-01-15T00:00:00Z'), 7).vix.stale).toBe(false);
  });

  it('a series absent, empty, or not yet published is missing and stale', () => {
    const status = macroStaleness(
      { ...VIX_WEEK, dollarIndex: { name: 'dollarIndex', points: [] } },
      Date.parse('2025-01-06T12:00:00Z'),
    );
    expect(status.vix).toEqual({ lastDate: null, ageDays: null, missing: true, stale: true });
    expect(status.dollarIndex.missing).toBe(true);
    expect(status.fearGreed.missing).toBe(true);
    expect(macroStaleness(undefined, 0).treasury10y.stale).toBe(true);
  });
});
