import type { StrategySettings } from '../../strategy/settings.js';
import { circuitBreakProtection } from './circuit-break.js';
import { dailyLossProtection } from './daily-loss.js';
import { entriesPerDayProtection } from './entries-per-day.js';
import { lossStreakProtection } from './loss-streak.js';
import { marginProtection } from './margin.js';
import { maxDrawdownProtection } from './max-drawdown.js';
import type { Protection, ProtectionBlock, ProtectionContext } from './types.js';

export type { Protection, ProtectionBlock, ProtectionContext } from './types.js';
export {
  circuitBreakProtection,
  dailyLossProtection,
  entriesPerDayProtection,
  lossStreakProtection,
  marginProtection,
  maxDrawdownProtection,
};

/** The configured set, the kill-switch breaker first (its code must win). */
export function defaultProtections(settings: StrategySettings): readonly Protection[] {
  return [
    maxDrawdownProtection(settings.maxDrawdown),
    circuitBreakProtection(),
    marginProtection(settings.marginRoomPoints),
    dailyLossProtection(settings.dailyLossLimit),
    lossStreakProtection(settings.maxConsecutiveLosses, settings.lossPauseHours),
    entriesPerDayProtection(settings.maxEntriesPerDay),
  ];
}

/** Every block that applies (the first is the one reported). */
export function checkProtections(protections: readonly Protection[], context: ProtectionContext): ProtectionBlock[] {
  const blocks: ProtectionBlock[] = [];
  for (const p of protections) {
    const block = p.check(context);
    if (block) blocks.push(block);
  }
  return blocks;
}
