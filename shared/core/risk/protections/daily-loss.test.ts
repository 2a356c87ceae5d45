import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../candle.js';
import { trade } from '../../strategy/test-fixtures.js';
import { protectionContext } from './context.fixture.js';
import { dailyLossProtection } from './daily-loss.js';
import type { ProtectionContext } from './types.js';

const DAY = Date.UTC(2024, 0, 10);
const context = (equityJpy: number, pnls: number[]): ProtectionContext =>
  protectionContext({
    nowMs: DAY + 20 * HOUR_MS,
    side: 'short',
    equityJpy,
    closedTrades: pnls.map((p, i) => trade(p, DAY + (i + 1) * HOUR_MS)),
  });

describe('daily loss 3 %', () => {
  const p = dailyLossProtection(0.03);
  it('blocks at 3 % of the equity the day started with', () => {
    // started the day at 100,000; lost 3,000 today -> 97,000 now
    expect(p.check(context(97_000, [-1_000, -2_000]))?.code).toBe('RISK.LIMIT');
  });
  it("allows just below the limit, and net of today's wins", () => {
    expect(p.check(context(97_001, [-2_999]))).toBeUndefined();
    expect(p.check(context(98_000, [-3_000, 1_000]))).toBeUndefined();
  });
  it('forgets yesterday at 00:00 UTC', () => {
    const c = context(97_000, []);
    expect(p.check({ ...c, closedTrades: [trade(-3_000, DAY - 1)] })).toBeUndefined();
  });
});
