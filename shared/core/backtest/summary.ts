import { utcDayStartMs } from '../candle.js';
import { summarizePerformance, type PerformanceSummary } from '../performance/metrics.js';
import type { BacktestResult } from './types.js';

export interface BacktestSummary extends PerformanceSummary {
  readonly bars: number;
  readonly feesJpy: number;
  readonly interestJpy: number;
  readonly maxPositionBtc: number;
  readonly maxEntriesInADay: number;
  readonly gaps: number;
  readonly missingBars: number;
  readonly finalEquityJpy: number;
}

export function summarizeBacktest(result: BacktestResult): BacktestSummary {
  const barsInPosition = result.inPosition.reduce((a, b) => a + b, 0);
  const perf = summarizePerformance({
    equityJpy: result.equityJpy,
    tradePnlsJpy: result.trades.map((t) => t.pnlJpy),
    barsInPosition,
  });
  const perDay = new Map<number, number>();
  for (const t of result.trades)
    perDay.set(utcDayStartMs(t.entryTimeMs), (perDay.get(utcDayStartMs(t.entryTimeMs)) ?? 0) + 1);
  return {
    ...perf,
    bars: result.bars,
    feesJpy: result.feesJpy,
    interestJpy: result.interestJpy,
    maxPositionBtc: result.trades.reduce((m, t) => Math.max(m, Number(t.amountBtc)), 0),
    maxEntriesInADay: Math.max(0, ...perDay.values()),
    gaps: result.gaps,
    missingBars: result.missingBars,
    finalEquityJpy: result.equityJpy[result.equityJpy.length - 1] ?? 0,
  };
}
