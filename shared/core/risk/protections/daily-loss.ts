import { utcDayStartMs } from '../../candle.js';
import type { Protection } from './types.js';

/**
 * Stops entries for the rest of the UTC day once the day's realised loss reaches `limit` of the
 * equity the day started with (equity now plus what was lost today).
 */
export function dailyLossProtection(limit: number): Protection {
  return {
    name: 'daily-loss',
    check({ nowMs, equityJpy, closedTrades }) {
      const dayStartMs = utcDayStartMs(nowMs);
      let pnlToday = 0;
      for (let i = closedTrades.length - 1; i >= 0; i -= 1) {
        const trade = closedTrades[i];
        if (!trade || trade.exitTimeMs < dayStartMs) break;
        pnlToday += trade.pnlJpy;
      }
      const dayStartEquityJpy = equityJpy - pnlToday;
      if (pnlToday < 0 && dayStartEquityJpy > 0 && -pnlToday >= limit * dayStartEquityJpy) {
        return {
          protection: 'daily-loss',
          code: 'RISK.LIMIT',
          reason: `lost ${(-pnlToday).toFixed(0)} JPY today (>= ${(limit * 100).toFixed(2)} % of ${dayStartEquityJpy.toFixed(0)} JPY)`,
        };
      }
      return undefined;
    },
  };
}
