import { Decimal } from 'decimal.js';
import { HOUR_MS } from '../candle.js';
import type { Execution } from '../fills/fill-model.js';
import { toOrderAmount, toOrderPrice, type LotRules } from '../money.js';
import type { OrderRequest, OrderSide, OrderStatus, PositionSide, Ticker } from '../../ports/exchange.port.js';
import { closingSide, entrySide } from './intent.js';

/**
 * Maker-first entries in the tick, pure. With EXECUTION maker-only or maker-then-taker an entry goes
 * out as a post-only limit at the best bid (buy) / ask (sell) and rests across ticks. Each later tick
 * judges it (restingVerdict): filled; still inside its MAKER_WAIT_BARS; or to be cancelled, after
 * which the unfilled remainder goes out at market (maker-then-taker, `fallbackAmount`) or is given
 * up (maker-only). A kill switch, an exit or a strategy flip cancels it without fallback. The timing
 * is the backtest's (shared/core/fills/fill-model.ts `makerStep`): placed at bar B's open, judged at
 * B + MAKER_WAIT_BARS, whose open is the fallback's.
 *
 * Planned exits go the same way (`makerExitRequest`, judged by the same restingVerdict): after the
 * wait the unfilled rest of the position goes out at market (maker-then-taker, `exitFallbackAmount`);
 * with maker-only the attempt is given up and the next tick's exit plan places a new post-only exit,
 * as the backtest does (an expired maker-only order is dropped and the next exit plan works again),
 * while the stop stays on the exchange. An exit is never stopped by the kill switch; it is cancelled
 * without fallback once its position is gone (`closed`: the stop or take-profit filled first).
 */
export type MakerExecution = Exclude<Execution, 'taker'>;
/** `closed`: a resting exit whose position is gone (its stop or take-profit filled first). */
export type CancelReason = 'expired' | 'kill-switch' | 'exit' | 'flip' | 'closed';
/** How a resting entry ended: the tick no longer looks at it. */
export type RestingOutcome = 'filled' | 'fallback' | 'given-up' | 'cancelled';

/** Stored on the maker entry's intent: enough for any later tick (or a crashed tick's successor) to finish it. */
export interface RestingEntry {
  readonly execution: MakerExecution;
  readonly waitBars: number;
  /** Written before the cancel is sent, so that a retry finishes the same decision. */
  readonly cancelReason?: CancelReason;
  readonly outcome?: RestingOutcome;
}

export type RestingVerdict =
  | { readonly kind: 'wait' }
  | { readonly kind: 'filled' }
  /** Cancel what still works (if anything), then send the remainder at market when `fallback`. */
  | { readonly kind: 'cancel'; readonly reason: CancelReason; readonly fallback: boolean };

export interface RestingInput {
  readonly resting: RestingEntry;
  /** The bar the post-only order was placed in, and the bar now. */
  readonly placedBarOpenMs: number;
  readonly barOpenMs: number;
  /** The order as the exchange shows it now. */
  readonly orderStatus: OrderStatus;
  /** Set when this tick must stop the entry whatever its age (kill switch, planned exit, other side). */
  readonly stopReason?: Exclude<CancelReason, 'expired'>;
}

const OPEN: readonly OrderStatus[] = ['INACTIVE', 'UNFILLED', 'PARTIALLY_FILLED'];

export function barsResting(placedBarOpenMs: number, barOpenMs: number): number {
  return Math.floor((barOpenMs - placedBarOpenMs) / HOUR_MS);
}

/** What this tick does with a resting maker entry (the decision, once taken, sticks: `cancelReason`). */
export function restingVerdict(input: RestingInput): RestingVerdict {
  const { resting } = input;
  if (input.orderStatus === 'FULLY_FILLED') return { kind: 'filled' };
  const waited = barsResting(input.placedBarOpenMs, input.barOpenMs) >= resting.waitBars;
  const reason = resting.cancelReason ?? input.stopReason ?? (waited ? 'expired' : undefined);
  // Still inside its wait: an open order keeps working; one the exchange cancelled (a post-only that
  // would have taken) leaves nothing working, and the fallback still comes at the end of the wait.
  if (reason === undefined) return { kind: 'wait' };
  return { kind: 'cancel', reason, fallback: reason === 'expired' && resting.execution === 'maker-then-taker' };
}

export function isWorking(status: string | undefined): boolean {
  return OPEN.includes(status as OrderStatus);
}

/** The market order's size for what the maker order left unfilled; undefined below the exchange's minimum. */
export function fallbackAmount(requestedBtc: string, executedBtc: string, rules: LotRules): string | undefined {
  const remainder = new Decimal(requestedBtc).minus(executedBtc);
  return remainder.lte(0) ? undefined : toOrderAmount(remainder.toString(), rules);
}

/** The post-only entry: a buy at the best bid, a sell at the best ask (on the tick grid, never crossing). */
export function makerEntryRequest(
  pair: string,
  side: PositionSide,
  amountBtc: string,
  ticker: Pick<Ticker, 'bidJpy' | 'askJpy'>,
  rules: LotRules,
): OrderRequest {
  return postOnlyRequest(pair, entrySide(side), side, amountBtc, ticker, rules);
}

/**
 * The post-only planned exit of a `side` position: a sell at the best ask closes a long, a buy at the
 * best bid closes a short (`position_side` on margin). It rests beside the position's stop and
 * take-profit (an exit never strips a stop first); reconcile knows it by its intent (`exit-maker`).
 */
export function makerExitRequest(
  pair: string,
  side: PositionSide,
  amountBtc: string,
  ticker: Pick<Ticker, 'bidJpy' | 'askJpy'>,
  rules: LotRules,
): OrderRequest {
  return postOnlyRequest(pair, closingSide(side), side, amountBtc, ticker, rules);
}

function postOnlyRequest(
  pair: string,
  orderSide: OrderSide,
  side: PositionSide,
  amountBtc: string,
  ticker: Pick<Ticker, 'bidJpy' | 'askJpy'>,
  rules: LotRules,
): OrderRequest {
  const priceJpy =
    orderSide === 'buy' ? toOrderPrice(ticker.bidJpy, rules, 'down') : toOrderPrice(ticker.askJpy, rules, 'up');
  return { pair, side: orderSide, positionSide: side, type: 'limit', amountBtc, priceJpy, postOnly: true };
}

/**
 * A fallback is sent only while the market is still between the plan's stop and take-profit: past
 * either, the market order would open a position its own stop or take-profit closes at once.
 */
export function fallbackInRange(
  side: PositionSide,
  ticker: Pick<Ticker, 'bidJpy' | 'askJpy'>,
  stopPriceJpy?: string,
  takeProfitPriceJpy?: string,
): boolean {
  const fillJpy = Number(side === 'long' ? ticker.askJpy : ticker.bidJpy);
  const beyond = (limit: string | undefined, above: boolean): boolean =>
    limit !== undefined && (above ? fillJpy >= Number(limit) : fillJpy <= Number(limit));
  const long = side === 'long';
  return !beyond(stopPriceJpy, !long) && !beyond(takeProfitPriceJpy, long);
}

/**
 * The market exit after a maker exit's wait: the position the exchange shows now (never more: a
 * closing order larger than the position is refused, and the rest must not open the other side);
 * undefined when nothing (or less than the minimum) is left.
 */
export function exitFallbackAmount(positionBtc: string | undefined, rules: LotRules): string | undefined {
  if (positionBtc === undefined || new Decimal(positionBtc).lte(0)) return undefined;
  return toOrderAmount(positionBtc, rules);
}
