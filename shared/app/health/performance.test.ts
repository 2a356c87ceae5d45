import { describe, expect, it } from 'vitest';
import { grade, performanceOf, THRESHOLDS } from './performance.js';
import type { History } from './history.js';

describe('performance grades', () => {
  it('grades higher-is-better and lower-is-better metrics at the thresholds', () => {
    expect([0.1, 0.07, 0.01, null].map((v) => grade(v, THRESHOLDS.kelly))).toEqual(['good', 'warning', 'poor', 'insufficient-data']);
    expect([0.5, 0.45, 0.3].map((v) => grade(v, THRESHOLDS.winRate))).toEqual(['good', 'warning', 'poor']);
    expect([0.05, 0.1, 0.12, 0.2].map((v) => grade(v, THRESHOLDS.maxDrawdown, true))).toEqual(['good', 'good', 'warning', 'poor']);
    expect([1.2, 0.5, 0.2].map((v) => grade(v, THRESHOLDS.sharpe))).toEqual(['good', 'warning', 'poor']);
  });

  it('does not grade win rate or Kelly from fewer than 10 trades, nor drawdown from one equity point', () => {
    const trade = (pnlJpy: number) => ({ pair: 'btc_jpy', side: 'long' as const, amountBtc: '0.001', entryTimeMs: 0, exitTimeMs: 1, entryPriceJpy: 1, exitPriceJpy: 1, pnlJpy, feesJpy: 0, interestJpy: 0, exitReason: 'signal' as const, closingOrderId: 'o', tradeIds: [] });
    const history: History = { ticks: [], incidents: [], loadedAtMs: 0, trades: [trade(10), trade(20)], equity: [{ atMs: 0, tickId: 't', equityJpy: 100, peakJpy: 100, mode: 'paper' }] };
    const report = performanceOf(history);
    expect(report.winRate).toEqual({ value: 1, grade: 'insufficient-data' });
    expect(report.kelly).toEqual({ value: 1, grade: 'insufficient-data' });
    expect(report.maxDrawdown).toEqual({ value: null, grade: 'insufficient-data' });
    expect(report.totalProfitJpy).toBe(30);
  });
});
