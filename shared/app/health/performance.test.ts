import { describe, expect, it } from 'vitest';
import { grade, performanceOf, THRESHOLDS } from './performance.js';
import { totalsOf } from '../../core/performance/trade-totals.js';
import type { History } from './history.js';

describe('performance grades', () => {
  it('grades higher-is-better and lower-is-better metrics at the thresholds', () => {
    expect([0.1, 0.07, 0.01, null].map((v) => grade(v, THRESHOLDS.kelly))).toEqual([
      'good',
      'warning',
      'poor',
      'insufficient-data',
    ]);
    expect([0.5, 0.45, 0.3].map((v) => grade(v, THRESHOLDS.winRate))).toEqual(['good', 'warning', 'poor']);
    expect([0.05, 0.1, 0.12, 0.2].map((v) => grade(v, THRESHOLDS.maxDrawdown, true))).toEqual([
      'good',
      'good',
      'warning',
      'poor',
    ]);
    expect([1.2, 0.5, 0.2].map((v) => grade(v, THRESHOLDS.sharpe))).toEqual(['good', 'warning', 'poor']);
  });

  it('does not grade win rate or Kelly from fewer than 10 trades, nor drawdown from one equity point', () => {
    const history: History = {
      ticks: [],
      incidents: [],
      loadedAtMs: 0,
      trades: totalsOf([10, 20]),
      recentTrades: [],
      equity: [{ atMs: 0, equityJpy: 100 }],
    };
    const report = performanceOf(history);
    expect(report.winRate).toEqual({ value: 1, grade: 'insufficient-data' });
    expect(report.kelly).toEqual({ value: 1, grade: 'insufficient-data' });
    expect(report.maxDrawdown).toEqual({ value: null, grade: 'insufficient-data' });
    expect(report.totalProfitJpy).toBe(30);
  });
});
