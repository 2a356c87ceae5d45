import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../candle.js';
import { DEFAULT_STRATEGY_SETTINGS, type StrategySettings } from '../strategy/settings.js';
import { TEST_RULES, trade } from '../strategy/test-fixtures.js';
import { positionSize } from './sizing.js';

const T = Date.UTC(2024, 0, 10);
const trades = (pnls: number[]) => pnls.map((p, i) => trade(p, T + i * HOUR_MS));
const size = (over: Partial<StrategySettings>, pnls: number[] = [], equityJpy = 1_000_000, stopDistanceJpy = 100_000) =>
  positionSize({
    equityJpy,
    priceJpy: 10_000_000,
    stopDistanceJpy,
    closedTrades: trades(pnls),
    rules: TEST_RULES,
    settings: { ...DEFAULT_STRATEGY_SETTINGS, ...over },
  });

describe('positionSize', () => {
  it('risk per trade over the stop distance, floored to the lot', () => {
    // 0.5 % of 1,000,000 / 70,000 = 0.0714.. BTC
    expect(size({ maxPositionBtc: 10, kellyMaxFraction: 1 }, [], 1_000_000, 70_000)).toMatchObject({
      ok: true,
      amountBtc: '0.0714',
      limitedBy: 'risk-per-trade',
    });
  });

  it('MAX_POSITION_BTC and the 5 % Kelly ceiling cap it', () => {
    expect(size({})).toMatchObject({ ok: true, amountBtc: '0.0005', limitedBy: 'max-position' });
    // 5 % of 1,000,000 at 10,000,000 = 0.005 BTC
    expect(size({ maxPositionBtc: 10, riskPerTrade: 0.05 })).toMatchObject({
      ok: true,
      amountBtc: '0.0050',
      limitedBy: 'kelly',
    });
  });

  it('after KELLY_MIN_TRADES, the fractional Kelly of the window binds', () => {
    // 6 wins of 100, 5 losses of 100: Kelly 1/11, half 0.04545: 0.004545 BTC -> 0.0045
    const pnls = [100, -100, 100, -100, 100, -100, 100, -100, 100, -100, 100];
    expect(size({ maxPositionBtc: 10, riskPerTrade: 0.05 }, pnls)).toMatchObject({
      ok: true,
      amountBtc: '0.0045',
      limitedBy: 'kelly',
    });
    // Nine trades: still in the warm-up.
    expect(size({ maxPositionBtc: 10, riskPerTrade: 0.05 }, pnls.slice(0, 9))).toMatchObject({
      ok: true,
      amountBtc: '0.0050',
    });
  });

  it('a Kelly cap below the exchange minimum probes at the minimum, or holds when so set', () => {
    // Kelly 1/11 x 0.01 = 0.0009 of equity: 0.00009 BTC < 0.0001
    const pnls = [100, -100, 100, -100, 100, -100, 100, -100, 100, -100, 100];
    expect(size({ maxPositionBtc: 10, riskPerTrade: 0.05, kellyFraction: 0.01 }, pnls)).toMatchObject({
      ok: true,
      amountBtc: '0.0001',
      limitedBy: 'kelly-probe',
    });
    expect(
      size({ maxPositionBtc: 10, riskPerTrade: 0.05, kellyFraction: 0.01, kellyNonPositive: 'hold' }, pnls),
    ).toMatchObject({ ok: false });
  });

  it('below the exchange minimum for other reasons: no order, with the reason', () => {
    const r = size({ maxPositionBtc: 0.00005 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('below the exchange minimum 0.0001');
  });
});
