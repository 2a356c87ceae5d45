import { describe, expect, it } from 'vitest';
import { protectionContext } from './context.fixture.js';
import { circuitBreakProtection } from './circuit-break.js';
import type { ProtectionContext } from './types.js';

const base: ProtectionContext = protectionContext();

describe('circuit break', () => {
  const p = circuitBreakProtection();
  it('blocks entries in every circuit-break mode', () => {
    expect(p.check(base)).toBeUndefined();
    for (const mode of ['CIRCUIT_BREAK', 'FULL_RANGE_CIRCUIT_BREAK', 'RESUMPTION', 'LISTING'] as const) {
      expect(p.check({ ...base, circuitBreak: mode })?.code).toBe('EXCHANGE.CIRCUIT_BREAK');
    }
  });
});
