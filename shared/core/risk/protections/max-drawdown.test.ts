import { describe, expect, it } from 'vitest';
import { protectionContext } from './context.fixture.js';
import { maxDrawdownProtection } from './max-drawdown.js';
import type { ProtectionContext } from './types.js';

const context = (equityJpy: number, equityPeakJpy: number): ProtectionContext =>
  protectionContext({ equityJpy, equityPeakJpy });

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
