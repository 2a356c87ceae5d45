import { kellyFraction } from './kelly.js';

/**
 * Performance maths shared by the backtester and the health function. Pure; inputs are the
 * equity curve sampled once per bar (hourly) and the closed trades' net P&L.
 */
export const HOURS_PER_YEAR = 24 * 365;

export function winRate(pnls: readonly number[]): number | null {
  if (pnls.length === 0) return null;
  return pnls.filter((p) => p > 0).length / pnls.length;
}

/** Gross profit over gross loss; null when there is no loss to divide by. */
export function profitFactor(pnls: readonly number[]): number | null {
  let gain = 0;
  let loss = 0;
  for (const p of pnls) {
    if (p > 0) gain += p;
    else loss -= p;
  }
  return loss > 0 ? gain / loss : null;
}

export function totalProfit(pnls: readonly number[]): number {
  return pnls.reduce((a, b) => a + b, 0);
}

/** Drawdown from the running peak at each point, as a fraction (0 = at the peak, 0.2 = 20 % below). */
export function drawdownSeries(equity: ArrayLike<number>): Float64Array {
  const out = new Float64Array(equity.length);
  let peak = -Infinity;
  for (let i = 0; i < equity.length; i += 1) {
    const e = equity[i] as number;
    if (e > peak) peak = e;
    out[i] = peak > 0 ? 1 - e / peak : 0;
  }
  return out;
}

export function maxDrawdown(equity: ArrayLike<number>): number {
  let worst = 0;
  for (const d of drawdownSeries(equity)) if (d > worst) worst = d;
  return worst;
}

/** Simple returns between consecutive equity points. */
export function periodReturns(equity: ArrayLike<number>): Float64Array {
  const out = new Float64Array(Math.max(0, equity.length - 1));
  for (let i = 1; i < equity.length; i += 1) {
    const previous = equity[i - 1] as number;
    out[i - 1] = previous > 0 ? (equity[i] as number) / previous - 1 : 0;
  }
  return out;
}

function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i += 1) s += values[i] as number;
  return values.length > 0 ? s / values.length : 0;
}

/** Annualised Sharpe ratio of per-period returns (risk-free rate 0); null when undefined. */
export function sharpeRatio(returns: ArrayLike<number>, periodsPerYear = HOURS_PER_YEAR): number | null {
  if (returns.length < 2) return null;
  const m = mean(returns);
  let ss = 0;
  for (let i = 0; i < returns.length; i += 1) ss += ((returns[i] as number) - m) ** 2;
  const sd = Math.sqrt(ss / (returns.length - 1));
  return sd > 0 ? (m / sd) * Math.sqrt(periodsPerYear) : null;
}

/** Annualised Sortino ratio: mean over the downside deviation (target 0); null when no downside. */
export function sortinoRatio(returns: ArrayLike<number>, periodsPerYear = HOURS_PER_YEAR): number | null {
  if (returns.length < 2) return null;
  let downside = 0;
  for (let i = 0; i < returns.length; i += 1) downside += Math.min(0, returns[i] as number) ** 2;
  const dd = Math.sqrt(downside / returns.length);
  return dd > 0 ? (mean(returns) / dd) * Math.sqrt(periodsPerYear) : null;
}

export interface PerformanceSummary {
  readonly trades: number;
  readonly winRate: number | null;
  readonly kelly: number | null;
  readonly totalProfitJpy: number;
  readonly totalReturnPct: number;
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly maxDrawdownPct: number;
  readonly profitFactor: number | null;
  readonly exposurePct: number;
}

/**
 * One summary from an hourly equity curve, the closed trades' net P&L and the number of bars a
 * position was open.
 */
export function summarizePerformance(input: {
  equityJpy: ArrayLike<number>;
  tradePnlsJpy: readonly number[];
  barsInPosition: number;
}): PerformanceSummary {
  const { equityJpy, tradePnlsJpy, barsInPosition } = input;
  const returns = periodReturns(equityJpy);
  const first = equityJpy.length > 0 ? (equityJpy[0] as number) : 0;
  const last = equityJpy.length > 0 ? (equityJpy[equityJpy.length - 1] as number) : 0;
  return {
    trades: tradePnlsJpy.length,
    winRate: winRate(tradePnlsJpy),
    kelly: kellyFraction(tradePnlsJpy) ?? null,
    totalProfitJpy: totalProfit(tradePnlsJpy),
    totalReturnPct: first > 0 ? (last / first - 1) * 100 : 0,
    sharpe: sharpeRatio(returns),
    sortino: sortinoRatio(returns),
    maxDrawdownPct: maxDrawdown(equityJpy) * 100,
    profitFactor: profitFactor(tradePnlsJpy),
    exposurePct: equityJpy.length > 0 ? (barsInPosition / equityJpy.length) * 100 : 0,
  };
}
