import { FEATURE_WINDOW_BARS } from '../features/index.js';
import { HOUR_MS } from '../candle.js';
import { createPlanner, type PlannerOptions } from './planner.js';
import { requiredCandles } from './settings.js';
import { flatTarget, type Strategy } from './strategy.js';

/**
 * The model planner as the strategy `ml`: p(up) against the model's base rate, ATR stop and
 * take-profit, time limit (see planner.ts). Its plan is read back as a target; the executor then
 * applies the caps and protections again (they agree: the planner applies the same ones).
 */
export function mlStrategy(options: PlannerOptions): Strategy {
  const planner = createPlanner(options);
  const bars = Math.max(FEATURE_WINDOW_BARS, requiredCandles(options.settings));
  return {
    name: 'ml',
    requiredBars: (barMs) => {
      if (barMs !== HOUR_MS) throw new RangeError('the ml strategy runs on hourly candles only');
      return bars;
    },
    decide(input) {
      const plan = planner(input);
      const reasons = plan.reasons;
      if (plan.action === 'enter') {
        const close = input.candles[input.candles.length - 1]?.close ?? Number.NaN;
        return {
          side: plan.side,
          sizeFraction: (Number(plan.amountBtc) * close) / input.equityJpy,
          stopPriceJpy: Number(plan.stopPriceJpy),
          takeProfitPriceJpy: Number(plan.takeProfitPriceJpy),
          probabilityUp: plan.probabilityUp,
          reasons,
        };
      }
      const extra = { ...(plan.probabilityUp === undefined ? {} : { probabilityUp: plan.probabilityUp }) };
      if (plan.action === 'exit') return flatTarget(reasons, { ...extra, position: 'exit', exitReason: plan.reason });
      return flatTarget(reasons, {
        ...extra,
        position: 'keep',
        ...(plan.blockedBy === undefined ? {} : { blockedBy: plan.blockedBy }),
      });
    },
  };
}
