import type { Protection } from './types.js';

/**
 * No new position unless the margin account is NORMAL, the side is open for new margin orders,
 * and (with positions) the margin ratio stays `roomPoints` percentage points above the
 * margin-call level the API reports. Unknown status blocks.
 */
export function marginProtection(roomPoints: number): Protection {
  return {
    name: 'margin',
    check({ marginStatus, side, rules }) {
      const block = (reason: string) => ({ protection: 'margin', code: 'RISK.LIMIT' as const, reason });
      if (!marginStatus) return block('margin status unknown');
      if (marginStatus.status !== 'NORMAL') return block(`margin status ${marginStatus.status}`);
      if (side === 'long' && rules.marginLongOpenStopped) return block('exchange stopped new margin longs');
      if (side === 'short' && rules.marginShortOpenStopped) return block('exchange stopped new margin shorts');
      const ratio = marginStatus.marginBalancePercentage;
      const call = marginStatus.marginCallPercentage;
      if (ratio !== null && call !== null && ratio < call + roomPoints) {
        return block(`margin ratio ${ratio} % is within ${roomPoints} points of the margin call at ${call} %`);
      }
      return undefined;
    },
  };
}
