import { describe, expect, it } from 'vitest';
import { NORMAL_MARGIN, TEST_RULES } from '../../strategy/test-fixtures.js';
import { circuitBreakProtection } from './circuit-break.js';
import type { ProtectionContext } from './types.js';

const base: ProtectionContext = {
  nowMs: Date.UTC(2024, 0, 10),
  side: 'long',
  equityJpy: 100_000,
  equityPeakJpy: 100_000,
  closedTrades: [],
  recentEntryTimesMs: [],
  marginStatus: NORMAL_MARGIN,
  circuitBreak: 'NONE',
  rules: TEST_RULES,
};

describe('circuit break', () => {
  const p = circuitBreakProtection();
  it('blocks entries in every circuit-break mode', () => {
    expect(p.check(base)).toBeUndefined();
    for (const mode of ['CIRCUIT_BREAK', 'FULL_RANGE_CIRCUIT_BREAK', 'RESUMPTION', 'LISTING'] as const) {
      expect(p.check({ ...base, circuitBreak: mode })?.code).toBe('EXCHANGE.CIRCUIT_BREAK');
    }
  });
});
