import { describe, expect, it } from 'vitest';
import { NORMAL_MARGIN, TEST_RULES } from '../../strategy/test-fixtures.js';
import { protectionContext } from './context.fixture.js';
import { marginProtection } from './margin.js';
import type { ProtectionContext } from './types.js';

const base: ProtectionContext = protectionContext();

describe('margin status', () => {
  const p = marginProtection(30);
  it('allows NORMAL without positions', () => {
    expect(p.check(base)).toBeUndefined();
  });
  it('blocks unknown, CALL, LOSSCUT and the other states', () => {
    expect(p.check({ ...base, marginStatus: undefined })?.reason).toBe('margin status unknown');
    for (const status of ['CALL', 'LOSSCUT', 'DEBT', 'SETTLED'] as const) {
      expect(p.check({ ...base, marginStatus: { ...NORMAL_MARGIN, status } })?.code).toBe('RISK.LIMIT');
    }
  });
  it('needs room above the margin-call level read from the API', () => {
    const withPositions = (ratio: number) => ({
      ...NORMAL_MARGIN,
      marginBalancePercentage: ratio,
      marginCallPercentage: 85,
      losscutPercentage: 50,
    });
    expect(p.check({ ...base, marginStatus: withPositions(114) })?.reason).toContain('within 30 points');
    expect(p.check({ ...base, marginStatus: withPositions(115) })).toBeUndefined();
  });
  it('respects the exchange stopping new margin positions on one side', () => {
    const rules = { ...TEST_RULES, marginShortOpenStopped: true };
    expect(p.check({ ...base, rules })).toBeUndefined();
    expect(p.check({ ...base, rules, side: 'short' })?.reason).toContain('shorts');
  });
});
