import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '../../candle.js';
import { protectionContext } from './context.fixture.js';
import { entriesPerDayProtection } from './entries-per-day.js';
import type { ProtectionContext } from './types.js';

const DAY = Date.UTC(2024, 0, 10);
const context = (entries: number[]): ProtectionContext =>
  protectionContext({ nowMs: DAY + 23 * HOUR_MS, recentEntryTimesMs: entries });

describe('at most 3 entries a UTC day', () => {
  const p = entriesPerDayProtection(3);
  it('allows the third and blocks the fourth', () => {
    expect(p.check(context([DAY, DAY + HOUR_MS]))).toBeUndefined();
    expect(p.check(context([DAY, DAY + HOUR_MS, DAY + 2 * HOUR_MS]))?.code).toBe('RISK.LIMIT');
  });
  it('counts only today', () => {
    expect(p.check(context([DAY - DAY_MS, DAY - 1, DAY + HOUR_MS, DAY + 2 * HOUR_MS]))).toBeUndefined();
  });
});
