import { describe, expect, it } from 'vitest';
import type { PlanInput, TradePlan } from './plan.js';
import { planForMarket, plannerForMarket } from './market.js';

const enter = (side: 'long' | 'short'): TradePlan => ({
  action: 'enter',
  side,
  amountBtc: '0.0010',
  stopPriceJpy: '9000000',
  takeProfitPriceJpy: '11000000',
  probabilityUp: 0.4,
  reasons: ['signal'],
});
const exit: TradePlan = { action: 'exit', reason: 'signal', probabilityUp: undefined, reasons: ['signal flipped'] };

describe('planForMarket: spot is long or flat', () => {
  it('a short entry on spot is held flat, with the reason', () => {
    const plan = planForMarket(enter('short'), 'spot');
    expect(plan).toMatchObject({ action: 'hold', probabilityUp: 0.4 });
    expect(plan.reasons).toEqual(['signal', 'spot cannot go short: the short signal is held flat']);
  });

  it('a long entry and an exit pass on spot; every plan passes on margin', () => {
    expect(planForMarket(enter('long'), 'spot')).toEqual(enter('long'));
    expect(planForMarket(exit, 'spot')).toEqual(exit);
    expect(planForMarket(enter('short'), 'margin')).toEqual(enter('short'));
  });

  it('plannerForMarket wraps a planner the same way', () => {
    const shortAlways = () => enter('short');
    expect(plannerForMarket(shortAlways, 'spot')({} as PlanInput).action).toBe('hold');
    expect(plannerForMarket(shortAlways, 'margin')({} as PlanInput).action).toBe('enter');
  });
});
