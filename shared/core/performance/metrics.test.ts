import { describe, expect, it } from 'vitest';
import {
  drawdownSeries,
  maxDrawdown,
  periodReturns,
  profitFactor,
  sharpeRatio,
  sortinoRatio,
  summarizePerformance,
  winRate,
} from './metrics.js';

describe('performance maths', () => {
  it('win rate and profit factor from net P&L', () => {
    const pnls = [300, -100, 200, -100, 0];
    expect(winRate(pnls)).toBeCloseTo(0.4, 12);
    expect(profitFactor(pnls)).toBeCloseTo(500 / 200, 12);
    expect(profitFactor([10])).toBeNull();
    expect(winRate([])).toBeNull();
  });

  it('drawdown is measured from the running peak', () => {
    const equity = [100, 120, 90, 110, 130, 117];
    const dd = drawdownSeries(equity);
    expect(dd[2]).toBeCloseTo(0.25, 12);
    expect(dd[5]).toBeCloseTo(0.1, 12);
    expect(maxDrawdown(equity)).toBeCloseTo(0.25, 12);
    expect(maxDrawdown([1, 2, 3])).toBe(0);
  });

  it('Sharpe and Sortino annualise hourly returns by sqrt(8760)', () => {
    const returns = [0.01, -0.01, 0.02, 0];
    const m = 0.005;
    const sd = Math.sqrt((0.005 ** 2 + 0.015 ** 2 + 0.015 ** 2 + 0.005 ** 2) / 3);
    expect(sharpeRatio(returns)).toBeCloseTo((m / sd) * Math.sqrt(8760), 9);
    const downside = Math.sqrt(0.0001 / 4);
    expect(sortinoRatio(returns)).toBeCloseTo((m / downside) * Math.sqrt(8760), 9);
    expect(sharpeRatio([0.01, 0.01])).toBeNull();
    expect(sortinoRatio([0.01, 0.02])).toBeNull();
  });

  it('summarises an equity curve', () => {
    const equity = [1000, 1010, 990, 1020];
    const r = Array.from(periodReturns(equity));
    [0.01, 990 / 1010 - 1, 1020 / 990 - 1].forEach((x, i) => expect(r[i]).toBeCloseTo(x, 12));
    const s = summarizePerformance({ equityJpy: equity, tradePnlsJpy: [30, -10], barsInPosition: 2 });
    expect(s.totalReturnPct).toBeCloseTo(2, 9);
    expect(s.exposurePct).toBe(50);
    expect(s.trades).toBe(2);
    expect(s.totalProfitJpy).toBe(20);
    expect(s.maxDrawdownPct).toBeCloseTo((1 - 990 / 1010) * 100, 9);
  });
});
