import { HOUR_MS } from '../../candle.js';
import type { Protection } from './types.js';

/** After `maxLosses` consecutive losing trades, no entry until `pauseHours` after the last of them. */
export function lossStreakProtection(maxLosses: number, pauseHours: number): Protection {
  return {
    name: 'loss-streak',
    check({ nowMs, closedTrades }) {
      if (closedTrades.length < maxLosses) return undefined;
      const streak = closedTrades.slice(-maxLosses);
      if (!streak.every((t) => t.pnlJpy < 0)) return undefined;
      const lastExitMs = Math.max(...streak.map((t) => t.exitTimeMs));
      const resumeMs = lastExitMs + pauseHours * HOUR_MS;
      if (nowMs >= resumeMs) return undefined;
      return {
        protection: 'loss-streak',
        code: 'RISK.LIMIT',
        reason: `${maxLosses} consecutive losses; paused until ${new Date(resumeMs).toISOString()}`,
      };
    },
  };
}
