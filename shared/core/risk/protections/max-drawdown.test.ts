import { describe, expect, it } from 'vitest';
import { NORMAL_MARGIN, TEST_RULES } from '../../strategy/test-fixtures.js';
import { maxDrawdownProtection } from './max-drawdown.js';
import type { ProtectionContext } from './types.js';

const context = (equityJpy: number, equityPeakJpy: number): ProtectionContext => ({
  nowMs: Date.UTC(2024, 0, 10),
  side: 'long',
  equityJpy,
  equityPeakJpy,
  closedTrades: [],
  recentEntryTimesMs: [],
  marginStatus: NORMAL_MARGIN,
  circuitBreak: 'NONE',
  rules: TEST_RULES,
});

describe('maximum drawdown breaker', () => {
  const p = maxDrawdownProtection(0.15);
  it('trips at 15 % below the peak with the kill-switch code', () => {
    const block = p.check(context(102_000, 120_000));
    expect(block?.code).toBe('RISK.KILL_SWITCH');
    expect(block?.reason).toContain('until a person resets');
  });
  it('stays open just above it', () => {
    expect(p.check(context(102_001, 120_000))).toBeUndefined();
  });
});
