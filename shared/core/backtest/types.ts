import type { Market } from '../market.js';
import type { Candle } from '../candle.js';
import type { MacroData } from '../macro.js';
import type { OutcomeCode } from '../codes.js';
import type { ClosedTrade, Planner } from '../plan.js';
import type { MarginStatus, MarketRules } from '../../ports/exchange.port.js';
import type { Execution } from '../fills/fill-model.js';

export interface BacktestOptions {
  readonly candles: readonly Candle[];
  readonly macro?: MacroData;
  readonly planner: Planner;
  readonly rules: MarketRules;
  readonly initialEquityJpy: number;
  /** Adverse price move on market and stop fills, fraction (0.0005 = 5 bp). */
  readonly slippage?: number;
  /** How entries and planned exits go out (shared/core/fills/fill-model.ts); default taker. */
  readonly execution?: Execution;
  /** Bars a post-only order rests before its fallback (maker-first execution); default 1. */
  readonly makerWaitBars?: number;
  /** BOT_MARKET: spot pays spot fees and no interest (absent: margin). Long/flat is the planner's part (plannerForMarket). */
  readonly market?: Market;
  /** Daily margin interest, fraction of the position's entry value per day; defaults to the rules'. */
  readonly interestDaily?: { readonly long: number; readonly short: number };
  /** First bar index that may trade and is counted (earlier bars only warm up). Default 0. */
  readonly startIndex?: number;
  /** Candles handed to the planner each bar (a sliding window, never across a gap). Default 300. */
  readonly windowBars?: number;
  /** Keep the planner's window across data gaps (a daily strategy reads days, not contiguous hours). Default false: the window restarts after a gap. */
  readonly windowAcrossGaps?: boolean;
  /** Candle length, ms (hourly files by default; daily files for a daily strategy). Interest accrues per bar pro rata. */
  readonly barMs?: number;
  /** What the exchange reports; the backtest has no margin account of its own. Default NORMAL. */
  readonly marginStatus?: MarginStatus;
  readonly onProgress?: (doneBars: number, totalBars: number) => void;
}

/** A closed trade plus what the planner saw when it decided to enter (for the independent audit). */
export interface BacktestTrade extends ClosedTrade {
  readonly stopPriceJpy: number;
  readonly takeProfitPriceJpy: number;
  /** Index (into the counted bars) of the bar whose close the entry was decided at. */
  readonly decisionBar: number;
  readonly decisionTimeMs: number;
  readonly decisionPriceJpy: number;
}

export interface BacktestResult {
  /** Counted bars (from startIndex). */
  readonly bars: number;
  readonly openTimeMs: Float64Array;
  readonly closeJpy: Float64Array;
  /** Mark-to-market equity at each counted bar's close. */
  readonly equityJpy: Float64Array;
  /** 1 where a position was open during the bar. */
  readonly inPosition: Uint8Array;
  readonly trades: readonly BacktestTrade[];
  /** Gaps in the data (missing hours): positions are closed at the first bar after and the planner restarts its window. */
  readonly gaps: number;
  readonly missingBars: number;
  /** All fees; split by liquidity below. */
  readonly feesJpy: number;
  readonly makerFeesJpy: number;
  readonly takerFeesJpy: number;
  /** Value traded (amount x price) by liquidity. */
  readonly makerNotionalJpy: number;
  readonly takerNotionalJpy: number;
  readonly interestJpy: number;
  /** Post-only orders placed (maker-first execution) and how many of them filled. */
  readonly makerAttempts: number;
  readonly makerFills: number;
  readonly killSwitchAtMs: number | undefined;
  /** How often each hold code was given. */
  readonly holdCodes: Readonly<Record<string, number>>;
}

export type { OutcomeCode };
