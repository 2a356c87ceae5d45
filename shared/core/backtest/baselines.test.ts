import { describe, expect, it } from 'vitest';
import { TEST_RULES } from '../strategy/test-fixtures.js';
import { alwaysFlatPlanner, buyAndHoldPlanner, movingAverageCrossoverPlanner } from './baselines.js';
import { runBacktest } from './engine.js';
import { P, T0 } from './scenario.fixture.js';
import { HOUR_MS } from '../candle.js';

// 48 bars rising 10,000 JPY a bar, then 48 falling.
const closes = [
  ...Array.from({ length: 48 }, (_, i) => P + (i + 1) * 10_000),
  ...Array.from({ length: 48 }, (_, i) => P + 480_000 - (i + 1) * 10_000),
];
const candles = closes.map((close, i) => {
  const open = i === 0 ? P : closes[i - 1]!;
  return {
    openTimeMs: T0 + i * HOUR_MS,
    open,
    high: Math.max(open, close) + 1_000,
    low: Math.min(open, close) - 1_000,
    close,
    volume: 1,
  };
});
const run = (planner: Parameters<typeof runBacktest>[0]['planner']) =>
  runBacktest({ candles, planner, rules: TEST_RULES, initialEquityJpy: 1_000_000 });

describe('baselines through the same engine', () => {
  it('buy-and-hold enters at the second bar open and is closed at the last close, fees and interest paid', () => {
    const r = run(buyAndHoldPlanner(0.0005));
    expect(r.trades).toHaveLength(1);
    const t = r.trades[0]!;
    expect([t.entryPriceJpy, t.exitPriceJpy, t.exitReason]).toEqual([candles[1]!.open, closes[95], 'reconcile']);
    const gross = 0.0005 * (closes[95]! - candles[1]!.open);
    const fees = 0.0005 * (candles[1]!.open + closes[95]!) * TEST_RULES.marginTakerFeeRate;
    // Held from 01:00 UTC on day 1 to 24:00 on day 4: four 00:00 JST (15:00 UTC) charges of a day's interest.
    const interest = 0.0005 * candles[1]!.open * TEST_RULES.marginLongInterestDaily * 4;
    expect(t.pnlJpy).toBeCloseTo(gross - fees - interest, 6);
    expect(r.equityJpy[r.equityJpy.length - 1]).toBeCloseTo(1_000_000 + t.pnlJpy, 6);
  });

  it('always flat never trades', () => {
    const r = run(alwaysFlatPlanner());
    expect(r.trades).toEqual([]);
    expect(new Set(r.equityJpy)).toEqual(new Set([1_000_000]));
  });

  it('the moving-average crossover goes long in the rise and flips short after the turn', () => {
    const r = run(movingAverageCrossoverPlanner(0.0005, 5, 20));
    expect(r.trades[0]!.side).toBe('long');
    expect(r.trades.some((t) => t.side === 'short')).toBe(true);
    const flip = r.trades.find((t) => t.side === 'long' && t.exitReason === 'signal')!;
    expect(flip.exitTimeMs).toBeGreaterThan(T0 + 48 * HOUR_MS);
  });
});
