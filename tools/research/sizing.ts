import type { StrategySettings } from '../../shared/core/strategy/index.js';

/** Research sizing: the strategy's own fraction of equity, the live caps lifted (reported as `sizing: own`). Protections that would stop a research run for good (drawdown breaker, loss pause) are off too. */
export function ownSizing(settings: StrategySettings, strategy?: string): StrategySettings {
  // ml sizes by risk per trade over its ATR stop: that is its own rule, kept; the daily strategies size by their fraction of equity.
  return { ...settings, riskPerTrade: strategy === 'ml' ? settings.riskPerTrade : 1, maxPositionBtc: 1e6, kellyMaxFraction: 1, kellyMinTrades: Number.MAX_SAFE_INTEGER, maxDrawdown: 1, dailyLossLimit: 1, maxConsecutiveLosses: Number.MAX_SAFE_INTEGER, maxEntriesPerDay: Number.MAX_SAFE_INTEGER };
}
