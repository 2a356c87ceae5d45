import type { Protection } from './types.js';

/**
 * The drawdown breaker: equity `maxDrawdown` or more below its peak stops trading until a person
 * resets it. It answers RISK.KILL_SWITCH so the tick can set the kill switch.
 */
export function maxDrawdownProtection(maxDrawdown: number): Protection {
  return {
    name: 'max-drawdown',
    check({ equityJpy, equityPeakJpy }) {
      const reason = drawdownBreach(equityJpy, equityPeakJpy, maxDrawdown);
      return reason === undefined ? undefined : { protection: 'max-drawdown', code: 'RISK.KILL_SWITCH', reason };
    },
  };
}

/**
 * The breaker's one rule: the reason it trips (equity `maxDrawdown` or more below its peak), or
 * undefined. The tick latches it into the kill switch (shared/app/equity-peak.ts), so it stays
 * tripped when equity recovers, until a person turns the switch off and resets the peak.
 */
export function drawdownBreach(equityJpy: number, equityPeakJpy: number, maxDrawdown: number): string | undefined {
  if (!(equityPeakJpy > 0)) return undefined;
  const drawdown = 1 - equityJpy / equityPeakJpy;
  if (drawdown < maxDrawdown) return undefined;
  return `drawdown ${(drawdown * 100).toFixed(2)} % >= ${(maxDrawdown * 100).toFixed(2)} %: trading stopped until a person resets the kill switch`;
}
