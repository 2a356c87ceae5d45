import { toOrderAmount, toOrderPrice } from '../money.js';
import type { Planner, TradePlan } from '../plan.js';
import type { MarketRules, PositionSide } from '../../ports/exchange.port.js';

/**
 * Baselines run through the same engine (fills, fees, interest, gaps) so the model's value after
 * costs is visible. They trade the same fixed size and place no stops (the engine needs a stop
 * price, so they get one no bar can reach).
 */
const far = (side: PositionSide, rules: MarketRules) => ({
  stopPriceJpy: side === 'long' ? rules.tickJpy : toOrderPrice(1e12, rules, 'up'),
  takeProfitPriceJpy: side === 'long' ? toOrderPrice(1e12, rules, 'up') : rules.tickJpy,
});

function enter(side: PositionSide, amountBtc: string, rules: MarketRules, reason: string): TradePlan {
  return {
    action: 'enter',
    side,
    amountBtc,
    ...far(side, rules),
    probabilityUp: side === 'long' ? 1 : 0,
    reasons: [reason],
  };
}

const HOLD: TradePlan = { action: 'hold', probabilityUp: undefined, reasons: ['baseline'] };

export function alwaysFlatPlanner(): Planner {
  return () => HOLD;
}

export function buyAndHoldPlanner(sizeBtc: number): Planner {
  return (input) => {
    const amount = toOrderAmount(sizeBtc, input.rules);
    if (input.position || amount === undefined) return HOLD;
    return enter('long', amount, input.rules, 'buy and hold');
  };
}

/** Long while the fast simple moving average of closes is above the slow one, short while below. */
export function movingAverageCrossoverPlanner(sizeBtc: number, fastBars = 50, slowBars = 200): Planner {
  const sma = (closes: readonly number[], n: number) => closes.slice(-n).reduce((a, b) => a + b, 0) / n;
  return (input) => {
    if (input.candles.length < slowBars) return HOLD;
    const closes = input.candles.slice(-slowBars).map((c) => c.close);
    const want: PositionSide = sma(closes, fastBars) > sma(closes, slowBars) ? 'long' : 'short';
    if (input.position)
      return input.position.side === want
        ? HOLD
        : { action: 'exit', reason: 'signal', probabilityUp: undefined, reasons: ['crossover'] };
    const amount = toOrderAmount(sizeBtc, input.rules);
    return amount === undefined ? HOLD : enter(want, amount, input.rules, `sma${fastBars} vs sma${slowBars}`);
  };
}
