import { utcDayStartMs } from '../../candle.js';
import type { Protection } from './types.js';

/** At most `maxEntries` new positions per UTC day (the day of the decision time). */
export function entriesPerDayProtection(maxEntries: number): Protection {
  return {
    name: 'entries-per-day',
    check({ nowMs, recentEntryTimesMs }) {
      const dayStartMs = utcDayStartMs(nowMs);
      const today = recentEntryTimesMs.filter((t) => t >= dayStartMs && t < dayStartMs + 86_400_000).length;
      if (today < maxEntries) return undefined;
      return {
        protection: 'entries-per-day',
        code: 'RISK.LIMIT',
        reason: `${today} entries today (max ${maxEntries})`,
      };
    },
  };
}
