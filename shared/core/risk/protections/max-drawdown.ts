import type { Protection } from './types.js';

/**
 * The drawdown breaker: equity `maxDrawdown` or more below its peak stops trading until a person
 * resets it. It answers RISK.KILL_SWITCH so the tick can set the kill switch.
 */
export function maxDrawdownProtection(maxDrawdown: number): Protection {
  return {
    name: 'max-drawdown',
    check({ equityJpy, equityPeakJpy }) {
      if (!(equityPeakJpy > 0)) return undefined;
      const drawdown = 1 - equityJpy / equityPeakJpy;
      if (drawdown < maxDrawdown) return undefined;
      return {
        protection: 'max-drawdown',
        code: 'RISK.KILL_SWITCH',
        reason: `drawdown ${(drawdown * 100).toFixed(2)} % >= ${(maxDrawdown * 100).toFixed(2)} %: trading stopped until a person resets the kill switch`,
      };
    },
  };
}
