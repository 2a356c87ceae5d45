import { DAY_MS, utcDayStartMs } from '../candle.js';
import { maxDrawdown } from '../performance/metrics.js';
import type { BacktestResult, BacktestTrade } from '../backtest/types.js';

const DAYS_PER_YEAR = 365;

/** Equity at the last counted bar of each UTC day (the series every research figure is computed on). */
export interface DailyEquity {
  readonly dayMs: readonly number[];
  readonly equityJpy: Float64Array;
}

export function dailyEquity(result: BacktestResult, initialEquityJpy: number): DailyEquity {
  const days: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < result.bars; i += 1) {
    const day = utcDayStartMs(result.openTimeMs[i] as number);
    if (days[days.length - 1] === day) values[values.length - 1] = result.equityJpy[i] as number;
    else {
      days.push(day);
      values.push(result.equityJpy[i] as number);
    }
  }
  // The day before the first counted bar holds the starting equity, so the first day's return counts.
  return { dayMs: [(days[0] ?? 0) - DAY_MS, ...days], equityJpy: Float64Array.from([initialEquityJpy, ...values]) };
}

export function dailyReturns(equity: ArrayLike<number>): Float64Array {
  const out = new Float64Array(Math.max(0, equity.length - 1));
  for (let i = 1; i < equity.length; i += 1) out[i - 1] = (equity[i] as number) / (equity[i - 1] as number) - 1;
  return out;
}

/** Annualised Sharpe of daily returns (365 days: crypto trades every day); null without variance. */
export function annualSharpe(returns: ArrayLike<number>): number | null {
  const n = returns.length;
  if (n < 2) return null;
  let sum = 0;
  for (let i = 0; i < n; i += 1) sum += returns[i] as number;
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i += 1) sq += ((returns[i] as number) - mean) ** 2;
  const sd = Math.sqrt(sq / (n - 1));
  return sd > 0 ? (mean / sd) * Math.sqrt(DAYS_PER_YEAR) : null;
}

export interface SideFigures {
  readonly trades: number;
  readonly pnlJpy: number;
  readonly winRate: number | null;
  readonly feesJpy: number;
  readonly interestJpy: number;
}

export interface YearFigures {
  readonly year: number;
  readonly returnPct: number;
  readonly sharpe: number | null;
  readonly maxDrawdownPct: number;
}

export interface ResearchFigures {
  readonly days: number;
  readonly totalReturnPct: number;
  readonly cagrPct: number;
  readonly sharpe: number | null;
  readonly maxDrawdownPct: number;
  /** Share of counted bars with a position open, %. */
  readonly exposurePct: number;
  readonly roundTrips: number;
  readonly roundTripsPerMonth: number;
  /** Traded value (entries and exits) over the mean equity, per year. */
  readonly turnoverPerYear: number;
  readonly feesJpy: number;
  readonly interestJpy: number;
  /** Fees plus interest over the starting equity, %. */
  readonly costsPct: number;
  /** Fees plus interest per year over the mean equity, % (comparable between runs whose equity grew differently). */
  readonly costsPerYearPct: number;
  readonly bySide: { readonly long: SideFigures; readonly short: SideFigures };
  readonly perYear: readonly YearFigures[];
}

const r4 = (x: number) => Number(x.toFixed(4));

function side(trades: readonly BacktestTrade[], which: 'long' | 'short'): SideFigures {
  const mine = trades.filter((t) => t.side === which);
  const sum = (f: (t: BacktestTrade) => number) => Math.round(mine.reduce((a, t) => a + f(t), 0));
  return { trades: mine.length, pnlJpy: sum((t) => t.pnlJpy), winRate: mine.length ? r4(mine.filter((t) => t.pnlJpy > 0).length / mine.length) : null, feesJpy: sum((t) => t.feesJpy), interestJpy: sum((t) => t.interestJpy) };
}

/** The figures of one run, from its trades and its daily equity (time comes from the bars, never the clock). */
export function researchFigures(result: BacktestResult, initialEquityJpy: number): ResearchFigures {
  const daily = dailyEquity(result, initialEquityJpy);
  const returns = dailyReturns(daily.equityJpy);
  const days = returns.length;
  const final = daily.equityJpy[daily.equityJpy.length - 1] as number;
  const inPosition = result.inPosition.reduce((a, b) => a + b, 0);
  let meanEquity = 0;
  for (const e of daily.equityJpy) meanEquity += e / daily.equityJpy.length;
  const traded = result.trades.reduce((a, t) => a + Number(t.amountBtc) * (t.entryPriceJpy + t.exitPriceJpy), 0);
  const years = days / DAYS_PER_YEAR;
  const perYear: YearFigures[] = [];
  for (let i = 0; i < days; ) {
    const year = new Date(daily.dayMs[i + 1] as number).getUTCFullYear();
    let j = i;
    while (j < days && new Date(daily.dayMs[j + 1] as number).getUTCFullYear() === year) j += 1;
    const slice = daily.equityJpy.subarray(i, j + 1);
    perYear.push({ year, returnPct: r4(((slice[slice.length - 1] as number) / (slice[0] as number) - 1) * 100), sharpe: nullable(annualSharpe(returns.subarray(i, j))), maxDrawdownPct: r4(maxDrawdown(slice) * 100) });
    i = j;
  }
  return {
    days,
    totalReturnPct: r4((final / initialEquityJpy - 1) * 100),
    cagrPct: years > 0 && final > 0 ? r4(((final / initialEquityJpy) ** (1 / years) - 1) * 100) : 0,
    sharpe: nullable(annualSharpe(returns)),
    maxDrawdownPct: r4(maxDrawdown(daily.equityJpy) * 100),
    exposurePct: result.bars ? r4((inPosition / result.bars) * 100) : 0,
    roundTrips: result.trades.length,
    roundTripsPerMonth: years > 0 ? r4(result.trades.length / (years * 12)) : 0,
    turnoverPerYear: years > 0 && meanEquity > 0 ? r4(traded / meanEquity / years) : 0,
    feesJpy: Math.round(result.feesJpy),
    interestJpy: Math.round(result.interestJpy),
    costsPct: r4(((result.feesJpy + result.interestJpy) / initialEquityJpy) * 100),
    costsPerYearPct: years > 0 && meanEquity > 0 ? r4(((result.feesJpy + result.interestJpy) / meanEquity / years) * 100) : 0,
    bySide: { long: side(result.trades, 'long'), short: side(result.trades, 'short') },
    perYear,
  };
}

const nullable = (x: number | null) => (x === null ? null : r4(x));
