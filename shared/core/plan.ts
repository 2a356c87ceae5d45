import type { Candle } from './candle.js';
import type { MacroData } from './macro.js';
import type { OutcomeCode } from './codes.js';
import type { CircuitBreakMode, MarginStatus, MarketRules, PositionSide } from '../ports/exchange.port.js';

/**
 * The contract between the tick (and the backtester, the replay, paper trading) and the brain:
 * one pure function `Planner` decides what to do at a bar close. The same planner serves live,
 * paper, replay and backtest; only what feeds it differs.
 */
export interface OpenPosition {
  readonly side: PositionSide;
  readonly amountBtc: string;
  readonly entryPriceJpy: number;
  readonly entryTimeMs: number;
  readonly stopPriceJpy: number;
  readonly takeProfitPriceJpy: number;
}

export type ExitReason = 'signal' | 'stop' | 'take-profit' | 'time-limit' | 'kill-switch' | 'reconcile';

export interface ClosedTrade {
  readonly side: PositionSide;
  readonly amountBtc: string;
  readonly entryTimeMs: number;
  readonly exitTimeMs: number;
  readonly entryPriceJpy: number;
  readonly exitPriceJpy: number;
  /** Net of fees and margin interest. */
  readonly pnlJpy: number;
  readonly feesJpy: number;
  readonly interestJpy: number;
  readonly exitReason: ExitReason;
}

export interface PlanInput {
  /** Close time of the bar being decided (= open of the next bar), ms UTC. */
  readonly nowMs: number;
  /** Closed candles, ascending, the last one being the bar just closed. */
  readonly candles: readonly Candle[];
  /** Daily macro series; undefined when the configuration runs without macro. */
  readonly macro: MacroData | undefined;
  readonly position: OpenPosition | undefined;
  readonly equityJpy: number;
  readonly equityPeakJpy: number;
  /** Recent closed trades, ascending by exit time (for Kelly, loss streaks, daily limits). */
  readonly closedTrades: readonly ClosedTrade[];
  /** Entry times of positions opened recently (for the entries-per-day limit). */
  readonly recentEntryTimesMs: readonly number[];
  readonly rules: MarketRules;
  readonly marginStatus: MarginStatus | undefined;
  readonly circuitBreak: CircuitBreakMode;
  readonly killSwitch: boolean;
}

export type TradePlan =
  | {
      readonly action: 'hold';
      readonly probabilityUp: number | undefined;
      /** Why nothing is done (e.g. a protection's code). */
      readonly blockedBy?: OutcomeCode;
      readonly reasons: readonly string[];
    }
  | {
      readonly action: 'enter';
      readonly side: PositionSide;
      readonly amountBtc: string;
      readonly stopPriceJpy: string;
      readonly takeProfitPriceJpy: string;
      /** The model's p(up); undefined for a strategy without a model (trend): none is made up. */
      readonly probabilityUp: number | undefined;
      readonly reasons: readonly string[];
    }
  | {
      readonly action: 'exit';
      readonly reason: ExitReason;
      readonly probabilityUp: number | undefined;
      readonly reasons: readonly string[];
    };

export type Planner = (input: PlanInput) => TradePlan;
