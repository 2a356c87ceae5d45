import { Decimal } from 'decimal.js';
import { HOUR_MS } from '../candle.js';
import type { Execution } from '../fills/fill-model.js';
import { toOrderAmount, toOrderPrice, type LotRules } from '../money.js';
import type { OrderRequest, OrderStatus, PositionSide, Ticker } from '../../ports/exchange.port.js';
import { entrySide } from './intent.js';

/**
 * Maker-first entries in the tick, pure. With EXECUTION maker-only or maker-then-taker an entry goes
 * out as a post-only limit at the best bid (buy) / ask (sell) and rests across ticks. Each later tick
 * judges it (restingVerdict): filled; still inside its MAKER_WAIT_BARS; or to be cancelled, after
 * which the unfilled remainder goes out at market (maker-then-taker, `fallbackAmount`) or is given
 * up (maker-only). A kill switch, an exit or a strategy flip cancels it without fallback. The timing
 * is the backtest's (shared/core/fills/fill-model.ts `makerStep`): placed at bar B's open, judged at
 * B + MAKER_WAIT_BARS, whose open is the fallback's.
 */
export type MakerExecution = Exclude<Execution, 'taker'>;
export type CancelReason = 'expired' | 'kill-switch' | 'exit' | 'flip';
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
  const orderSide = entrySide(side);
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
