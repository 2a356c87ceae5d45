import type { Planner, TradePlan } from './plan.js';

/**
 * Which bitbank market the bot trades (`BOT_MARKET`). Margin: long and short, `position_side` on every
 * order, a day's interest at each 00:00 JST a position is open, the exchange's loss-cut. Spot: long or
 * flat only (a buy of BTC with JPY, a sell of the BTC the bot bought), no interest, no loss-cut.
 */
export const MARKETS = ['margin', 'spot'] as const;
export type Market = (typeof MARKETS)[number];

/**
 * The cross-setting rule of spot: it cannot go short, so a strategy's short entry is treated as flat
 * (held flat, with the reason). Exits and long entries pass unchanged; on margin every plan passes.
 */
export function planForMarket(plan: TradePlan, market: Market): TradePlan {
  if (market === 'margin' || plan.action !== 'enter' || plan.side === 'long') return plan;
  const reasons = [...plan.reasons, 'spot cannot go short: the short signal is held flat'];
  return { action: 'hold', probabilityUp: plan.probabilityUp, reasons };
}

/** A planner whose plans follow the market's rule (the backtest and the tick wrap the same way). */
export function plannerForMarket(planner: Planner, market: Market): Planner {
  return market === 'margin' ? planner : (input) => planForMarket(planner(input), market);
}
