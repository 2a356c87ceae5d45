import { HOUR_MS, type Candle } from '../candle.js';
import type { MarketRules, OrderSide } from '../../ports/exchange.port.js';

/**
 * The one fill model of the backtester and paper mode (the fake bitbank keeps its own book: it plays
 * the exchange). Bars are 1 h candles; the order of prices inside a bar is unknown, so:
 * - a market order fills at once at its reference price (the bar's open in the backtest, the ask/bid
 *   in paper mode) moved against it by the slippage fraction, taker fee;
 * - a resting limit (a post-only entry or exit, a take-profit) fills only when a bar while it rests
 *   trades THROUGH its price (buy: low < price; sell: high > price; touching is not enough), at its
 *   price, maker fee, stamped at the bar's last millisecond;
 * - a limit that would take at once (buy at or above the ask, sell at or below the bid) is cancelled
 *   unfilled when post-only, as bitbank does, and otherwise fills as a market order;
 * - a stop triggers when a bar reaches it and fills as taker at the trigger (stamped at the bar's last
 *   millisecond) or at the bar's open when the bar opened through it, with slippage;
 * - a take-profit trigger order fills as taker at its trigger, or at the better open it gapped to;
 * - when one bar reaches both a stop and a limit or take-profit, the stop fills first (pessimistic);
 * - `EXECUTION` says how entries and planned exits go out: `taker` (a market order), `maker-only`
 *   (a post-only limit at the best bid/ask, given up when still unfilled after the wait) or
 *   `maker-then-taker` (the same, replaced by a market order at the open of the bar after the wait).
 * Margin interest is in ./interest.ts.
 */
export const EXECUTIONS = ['maker-then-taker', 'maker-only', 'taker'] as const;
export type Execution = (typeof EXECUTIONS)[number];
export type Liquidity = 'maker' | 'taker';

export interface Fill {
  readonly priceJpy: number;
  readonly atMs: number;
  readonly liquidity: Liquidity;
}

/** Margin orders (with a position side) pay bitbank's margin rates, spot orders the spot rates. */
export function feeRate(rules: MarketRules, liquidity: Liquidity, margin: boolean): number {
  if (margin) return liquidity === 'maker' ? rules.marginMakerFeeRate : rules.marginTakerFeeRate;
  return liquidity === 'maker' ? rules.makerFeeRate : rules.takerFeeRate;
}

export function feeJpy(
  rules: MarketRules,
  liquidity: Liquidity,
  margin: boolean,
  amountBtc: number,
  priceJpy: number,
): number {
  return amountBtc * priceJpy * feeRate(rules, liquidity, margin);
}

/** A taker's price: the reference moved against the order by `slippage` (a fraction: 0.0005 = 5 bp). */
export function takerPrice(side: OrderSide, referenceJpy: number, slippage: number): number {
  return side === 'buy' ? referenceJpy * (1 + slippage) : referenceJpy * (1 - slippage);
}

export function marketFill(side: OrderSide, referenceJpy: number, atMs: number, slippage: number): Fill {
  return { priceJpy: takerPrice(side, referenceJpy, slippage), atMs, liquidity: 'taker' };
}

/** Would a limit at `priceJpy` take liquidity at once against this bid/ask? */
export function limitCrosses(side: OrderSide, priceJpy: number, bidJpy: number, askJpy: number): boolean {
  return side === 'buy' ? priceJpy >= askJpy : priceJpy <= bidJpy;
}

const lastMs = (bar: Candle): number => bar.openTimeMs + HOUR_MS - 1;

/** A resting limit in one bar: filled at its price as maker only when the bar traded through it. */
export function restingLimitFill(side: OrderSide, limitJpy: number, bar: Candle): Fill | undefined {
  const through = side === 'buy' ? bar.low < limitJpy : bar.high > limitJpy;
  return through ? { priceJpy: limitJpy, atMs: lastMs(bar), liquidity: 'maker' } : undefined;
}

/** A stop in one bar (a sell stop protects a long): taker at the trigger, or at the open when the bar opened through it. */
export function stopFill(side: OrderSide, triggerJpy: number, bar: Candle, slippage: number): Fill | undefined {
  const buy = side === 'buy';
  if (buy ? bar.open >= triggerJpy : bar.open <= triggerJpy)
    return marketFill(side, bar.open, bar.openTimeMs, slippage);
  if (buy ? bar.high >= triggerJpy : bar.low <= triggerJpy) return marketFill(side, triggerJpy, lastMs(bar), slippage);
  return undefined;
}

/** A take-profit trigger order in one bar (a sell take-profit closes a long): taker at the trigger, or at the better open. */
export function takeProfitTriggerFill(side: OrderSide, triggerJpy: number, bar: Candle): Fill | undefined {
  const sell = side === 'sell';
  if (sell ? bar.open >= triggerJpy : bar.open <= triggerJpy)
    return { priceJpy: bar.open, atMs: bar.openTimeMs, liquidity: 'taker' };
  if (sell ? bar.high >= triggerJpy : bar.low <= triggerJpy)
    return { priceJpy: triggerJpy, atMs: lastMs(bar), liquidity: 'taker' };
  return undefined;
}

/** A working post-only order of the maker-first execution: its price and the bars it may still rest. */
export interface MakerAttempt {
  readonly side: OrderSide;
  readonly priceJpy: number;
  readonly barsLeft: number;
}

export type MakerStep =
  | { readonly kind: 'filled'; readonly fill: Fill }
  | { readonly kind: 'resting'; readonly attempt: MakerAttempt }
  /** Unfilled after the wait: `fallback` = a market order at the next bar's open (maker-then-taker); otherwise given up. */
  | { readonly kind: 'expired'; readonly fallback: boolean };

/** One bar in the life of a post-only order placed before it. */
export function makerStep(attempt: MakerAttempt, bar: Candle, execution: Exclude<Execution, 'taker'>): MakerStep {
  const fill = restingLimitFill(attempt.side, attempt.priceJpy, bar);
  if (fill) return { kind: 'filled', fill };
  if (attempt.barsLeft > 1) return { kind: 'resting', attempt: { ...attempt, barsLeft: attempt.barsLeft - 1 } };
  return { kind: 'expired', fallback: execution === 'maker-then-taker' };
}
