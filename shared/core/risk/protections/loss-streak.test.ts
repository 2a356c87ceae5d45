import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../candle.js';
import { trade } from '../../strategy/test-fixtures.js';
import { protectionContext } from './context.fixture.js';
import { lossStreakProtection } from './loss-streak.js';
import type { ProtectionContext } from './types.js';

const T0 = Date.UTC(2024, 0, 10, 6);
const context = (nowMs: number, pnls: number[]): ProtectionContext =>
  protectionContext({ nowMs, closedTrades: pnls.map((p, i) => trade(p, T0 + i * HOUR_MS)) });

describe('three consecutive losses pause entries', () => {
  const p = lossStreakProtection(3, 24);
  const lastExit = T0 + 2 * HOUR_MS;
  it('pauses for the configured hours after the third loss', () => {
    expect(p.check(context(lastExit + HOUR_MS, [-1, -1, -1]))?.reason).toContain('3 consecutive losses');
    expect(p.check(context(lastExit + 24 * HOUR_MS - 1, [-1, -1, -1]))?.code).toBe('RISK.LIMIT');
  });
  it('resumes when the pause is over', () => {
    expect(p.check(context(lastExit + 24 * HOUR_MS, [-1, -1, -1]))).toBeUndefined();
  });
  it('needs the last three to be losses', () => {
    expect(p.check(context(lastExit + HOUR_MS, [-1, 5, -1, -1]))).toBeUndefined();
    expect(p.check(context(lastExit + HOUR_MS, [-1, -1]))).toBeUndefined();
  });
});
