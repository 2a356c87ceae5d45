import type { Protection } from './types.js';

/** No entry while the exchange is in any circuit-break mode. */
export function circuitBreakProtection(): Protection {
  return {
    name: 'circuit-break',
    check({ circuitBreak }) {
      if (circuitBreak === 'NONE') return undefined;
      return { protection: 'circuit-break', code: 'EXCHANGE.CIRCUIT_BREAK', reason: `exchange in ${circuitBreak}` };
    },
  };
}
