import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../candle.js';
import { candlesFromCloses, planInput, trade } from './test-fixtures.js';
import { DEFAULT_STRATEGY_SETTINGS } from './settings.js';
import type { Strategy, StrategyTarget } from './strategy.js';
import { strategyPlanner } from './target.js';

const START = Date.UTC(2024, 0, 1);
const candles = candlesFromCloses(
  Array.from({ length: 10 }, () => 10_000_000),
  START,
);
const input = planInput(START + 10 * HOUR_MS, candles, { equityJpy: 10_000_000, equityPeakJpy: 10_000_000 });
const fixed = (target: StrategyTarget): Strategy => ({ name: 'fixed', requiredBars: () => 1, decide: () => target });
const LONG_HALF: StrategyTarget = { side: 'long', sizeFraction: 0.5, stopPriceJpy: 8_000_000, reasons: [] };
const uncapped = { ...DEFAULT_STRATEGY_SETTINGS, riskPerTrade: 1, maxPositionBtc: 10, kellyMaxFraction: 1 };

describe('strategyPlanner (the caps and protections around every strategy)', () => {
  it('sizes at the strategy fraction when no cap binds, on the lot grid, stop rounded away from the price', () => {
    const plan = strategyPlanner(fixed(LONG_HALF), uncapped)(input);
    expect(plan).toMatchObject({
      action: 'enter',
      side: 'long',
      amountBtc: '0.5000',
      stopPriceJpy: '8000000',
      takeProfitPriceJpy: '30000000',
    });
    // a strategy without a model gives no probability: none is made up for the tick record
    expect(plan.probabilityUp).toBeUndefined();
  });

  it('never exceeds MAX_POSITION_BTC, risk per trade or the Kelly cap, whatever the strategy asks', () => {
    expect(
      strategyPlanner(fixed({ ...LONG_HALF, sizeFraction: 5 }), { ...uncapped, maxPositionBtc: 0.0005 })(input),
    ).toMatchObject({ action: 'enter', amountBtc: '0.0005' });
    // risk 1 % of 10,000,000 over a 2,000,000 stop distance = 0.05 BTC
    expect(strategyPlanner(fixed(LONG_HALF), { ...uncapped, riskPerTrade: 0.01 })(input)).toMatchObject({
      action: 'enter',
      amountBtc: '0.0500',
    });
    expect(strategyPlanner(fixed(LONG_HALF), { ...uncapped, kellyMaxFraction: 0.05 })(input)).toMatchObject({
      action: 'enter',
      amountBtc: '0.0500',
    });
  });

  it('blocks entries with the protections and the kill switch, never exits', () => {
    const losses = [1, 2, 3].map((h) => trade(-1000, START + (6 + h) * HOUR_MS));
    expect(strategyPlanner(fixed(LONG_HALF), uncapped)({ ...input, closedTrades: losses })).toMatchObject({
      action: 'hold',
      blockedBy: 'RISK.LIMIT',
    });
    expect(strategyPlanner(fixed(LONG_HALF), uncapped)({ ...input, killSwitch: true })).toMatchObject({
      action: 'hold',
      blockedBy: 'RISK.KILL_SWITCH',
    });
    const position = {
      side: 'long' as const,
      amountBtc: '0.5',
      entryPriceJpy: 1e7,
      entryTimeMs: START,
      stopPriceJpy: 8e6,
      takeProfitPriceJpy: 3e7,
    };
    const flat = fixed({ side: 'flat', sizeFraction: 0, reasons: [] });
    expect(
      strategyPlanner(flat, uncapped)({ ...input, killSwitch: true, closedTrades: losses, position }),
    ).toMatchObject({ action: 'exit', reason: 'signal' });
  });

  it('holds (with the reason) when the capped size is below the exchange minimum, and refuses an entry without a protective stop', () => {
    const tiny = strategyPlanner(fixed({ ...LONG_HALF, sizeFraction: 0.00005 }), uncapped)(input);
    expect(tiny.action).toBe('hold');
    expect(tiny.reasons.join(' ')).toMatch(/below the exchange minimum/);
    expect(strategyPlanner(fixed({ ...LONG_HALF, stopPriceJpy: 11_000_000 }), uncapped)(input)).toMatchObject({
      action: 'hold',
      blockedBy: 'STRATEGY.FAILED',
    });
  });
});
