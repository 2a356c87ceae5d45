import { NORMAL_MARGIN, TEST_RULES } from '../../strategy/test-fixtures.js';
import type { ProtectionContext } from './types.js';

/** A clean protection context (flat, at the equity peak, NORMAL margin, no circuit break) with overrides; for tests. */
export function protectionContext(over: Partial<ProtectionContext> = {}): ProtectionContext {
  return {
    nowMs: Date.UTC(2024, 0, 10),
    side: 'long',
    equityJpy: 100_000,
    equityPeakJpy: 100_000,
    closedTrades: [],
    recentEntryTimesMs: [],
    marginStatus: NORMAL_MARGIN,
    circuitBreak: 'NONE',
    rules: TEST_RULES,
    ...over,
  };
}
