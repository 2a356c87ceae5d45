import { kellyOf, summarizePerformance, winRateOf } from '../../core/performance/index.js';
import type { HealthDeps } from './health-deps.js';
import { loadHistory, type History } from './history.js';

export type Grade = 'good' | 'warning' | 'poor' | 'insufficient-data';

/** Thresholds (good / warning) of the system we replace; drawdown is "lower is better". */
export const THRESHOLDS = {
  kelly: { good: 0.1, warning: 0.05 },
  winRate: { good: 0.5, warning: 0.4 },
  maxDrawdown: { good: 0.1, warning: 0.15 },
  sharpe: { good: 1.0, warning: 0.5 },
} as const;

export function grade(value: number | null, t: { good: number; warning: number }, lowerIsBetter = false): Grade {
  if (value === null || !Number.isFinite(value)) return 'insufficient-data';
  if (lowerIsBetter) return value <= t.good ? 'good' : value <= t.warning ? 'warning' : 'poor';
  return value >= t.good ? 'good' : value >= t.warning ? 'warning' : 'poor';
}

/** Win rate and Kelly from fewer closed trades than this are shown but not graded (as the planner's KELLY_MIN_TRADES default). */
export const MIN_TRADES_TO_GRADE = 10;

export interface PerformanceReport {
  trades: number;
  totalProfitJpy: number;
  winRate: { value: number | null; grade: Grade };
  kelly: { value: number | null; grade: Grade };
  maxDrawdown: { value: number | null; grade: Grade };
  sharpe: { value: number | null; grade: Grade };
  equityPoints: number;
  since: string | null;
}

/** The core's performance maths over the trade totals (a year) and the equity curve (30 days). */
export function performanceOf(history: History): PerformanceReport {
  const curve = history.equity.map((e) => e.equityJpy);
  const s = summarizePerformance({ equityJpy: curve, tradePnlsJpy: [], barsInPosition: 0 });
  const maxDd = curve.length > 1 ? s.maxDrawdownPct / 100 : null;
  const t = history.trades;
  const enough = t.count >= MIN_TRADES_TO_GRADE;
  const winRate = winRateOf(t);
  const kelly = kellyOf(t) ?? null;
  return {
    trades: t.count,
    totalProfitJpy: t.netJpy,
    winRate: { value: winRate, grade: enough ? grade(winRate, THRESHOLDS.winRate) : 'insufficient-data' },
    kelly: { value: kelly, grade: enough ? grade(kelly, THRESHOLDS.kelly) : 'insufficient-data' },
    maxDrawdown: { value: maxDd, grade: grade(maxDd, THRESHOLDS.maxDrawdown, true) },
    sharpe: { value: s.sharpe, grade: grade(s.sharpe, THRESHOLDS.sharpe) },
    equityPoints: curve.length,
    since: history.equity[0] ? new Date(history.equity[0].atMs).toISOString() : null,
  };
}

export async function performanceReport(deps: HealthDeps): Promise<PerformanceReport> {
  return performanceOf(await loadHistory(deps));
}
