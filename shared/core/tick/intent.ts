import type {
  ExchangeOrder,
  OrderIntentMatch,
  OrderRequest,
  OrderSide,
  OrderType,
  PositionSide,
} from '../../ports/exchange.port.js';
import type { ExitReason } from '../plan.js';
import type { RestingEntry } from './maker.js';

/**
 * Order intents: what the tick means to send, written to Firestore BEFORE the order is sent and
 * completed with the exchange's answer after. An intent id is deterministic (tick id + purpose + side,
 * and for protective orders their size) so that a retried or taken-over tick finds its own intent
 * instead of creating a second order. It is created with a precondition: a second writer stops.
 */
export type IntentPurpose =
  'entry' | 'entry-fallback' | 'exit' | 'exit-maker' | 'exit-fallback' | 'stop' | 'take-profit';
/** The purposes whose intents may explain a position (reconcile's entry hints). */
export const ENTRY_PURPOSES: readonly IntentPurpose[] = ['entry', 'entry-fallback'];
/**
 * Maker-first planned exits: the post-only closing limit (never a take-profit nor a foreign order to
 * reconcile) and its market fallback. Both carry the plan's exit reason for the tick that books them.
 */
export const MAKER_EXIT_PURPOSES: readonly IntentPurpose[] = ['exit-maker', 'exit-fallback'];
/**
 * pending: written, about to be sent (a crash here leaves it: maybe sent); unknown: the send failed
 * without an answer and a look-up has not found it yet (bitbank may still accept it late);
 * sent: the exchange has it (orderId known); not-sent: looked up after the settle window and not on
 * the exchange; rejected: the exchange refused it.
 */
export type IntentStatus = 'pending' | 'unknown' | 'sent' | 'not-sent' | 'rejected';

export interface OrderIntent {
  readonly intentId: string;
  readonly tickId: string;
  readonly barOpenMs: number;
  readonly purpose: IntentPurpose;
  readonly request: OrderRequest;
  /** Entries carry their protective prices so that a crash before the stop is placed can be healed. */
  readonly stopPriceJpy?: string;
  readonly takeProfitPriceJpy?: string;
  /** A maker-first entry (post-only limit) resting across ticks: its wait, and how it ended (./maker.ts). */
  readonly resting?: RestingEntry;
  /** A maker-first exit (or its fallback): why the plan exited, for the trade booked by a later tick. */
  readonly exitReason?: ExitReason;
  /**
   * The whole size a maker-first entry and its market fallback may open together: a position of the
   * side up to this size is theirs (the maker order fills in parts, the fallback sends the rest).
   */
  readonly entryTotalBtc?: string;
  readonly status: IntentStatus;
  readonly attempt: number;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  /** When this attempt was handed to the exchange (the settle window counts from here). */
  readonly sendAtMs?: number;
  readonly orderId?: string;
  readonly orderStatus?: string;
  readonly executedBtc?: string;
  readonly averagePriceJpy?: string;
  readonly errorCode?: string;
  readonly message?: string;
}

export function intentId(tickId: string, purpose: IntentPurpose, side: PositionSide, amountBtc?: string): string {
  return isProtective(purpose) && amountBtc !== undefined
    ? `${tickId}_${purpose}_${side}_${amountBtc}`
    : `${tickId}_${purpose}_${side}`;
}

export function isProtective(purpose: IntentPurpose): purpose is 'stop' | 'take-profit' {
  return purpose === 'stop' || purpose === 'take-profit';
}

/** The position side an intent's order opens or closes. */
export function intentSide(intent: Pick<OrderIntent, 'request'>): PositionSide {
  return intent.request.positionSide ?? (intent.request.side === 'buy' ? 'long' : 'short');
}

/**
 * How long after a send whose answer was lost the exchange may still accept the order: only a
 * look-up after this window may conclude "not on the exchange".
 */
export const ORDER_SETTLE_MS = 120_000;

/** Clocks differ a little between the bot and the exchange: look a bit before the intent's time. */
export const INTENT_MATCH_SKEW_MS = 120_000;

export function toIntentMatch(intent: OrderIntent): OrderIntentMatch {
  const r = intent.request;
  return {
    pair: r.pair,
    side: r.side,
    ...(r.positionSide ? { positionSide: r.positionSide } : {}),
    type: r.type,
    amountBtc: r.amountBtc,
    ...(r.priceJpy ? { priceJpy: r.priceJpy } : {}),
    ...(r.triggerPriceJpy ? { triggerPriceJpy: r.triggerPriceJpy } : {}),
    notBeforeMs: intent.createdAtMs - INTENT_MATCH_SKEW_MS,
  };
}

/**
 * What to do with an intent already stored under the id being written:
 * `done` (never send again), `resolve` (answer unknown: look it up on the exchange first), `resend`
 * (a new attempt). What reached the exchange is done. A protective order proven absent or refused is
 * attempted again (a position must not stay without its stop because one attempt failed); an entry
 * or exit whose attempt failed is not re-sent in its bar (the next bar plans afresh).
 */
export function stepForExisting(intent: OrderIntent): 'done' | 'resolve' | 'resend' {
  if (intent.status === 'sent') return 'done';
  if (intent.status === 'pending' || intent.status === 'unknown') return 'resolve';
  return isProtective(intent.purpose) ? 'resend' : 'done';
}

/**
 * The intent after a look-up on the exchange: `sent` when found; when not found, `not-sent` only once
 * the settle window after its send has passed, else `unknown` (the order may still be accepted late).
 */
export function afterLookUp(intent: OrderIntent, found: ExchangeOrder | undefined, nowMs: number): OrderIntent {
  if (found) return withAnswer(intent, found, nowMs);
  const sendAtMs = intent.sendAtMs ?? intent.createdAtMs;
  if (nowMs - sendAtMs >= ORDER_SETTLE_MS) return { ...intent, status: 'not-sent', updatedAtMs: nowMs };
  return { ...intent, status: 'unknown', sendAtMs, updatedAtMs: nowMs };
}

/** The intent after the exchange answered (or after a look-up found the order). */
export function withAnswer(intent: OrderIntent, order: ExchangeOrder, nowMs: number): OrderIntent {
  return {
    ...intent,
    status: 'sent',
    orderId: order.orderId,
    orderStatus: order.status,
    executedBtc: order.executedBtc,
    ...(order.averagePriceJpy !== undefined ? { averagePriceJpy: order.averagePriceJpy } : {}),
    updatedAtMs: nowMs,
  };
}

export function entrySide(side: PositionSide): OrderSide {
  return side === 'long' ? 'buy' : 'sell';
}

export function closingSide(side: PositionSide): OrderSide {
  return side === 'long' ? 'sell' : 'buy';
}

const STOP_TYPES: readonly OrderType[] = ['stop', 'stop_limit', 'stop_loss'];

/** A resting order that closes a position of `side` and is a stop (by type) or a take-profit (a closing limit). */
export function protectiveKind(
  order: Pick<ExchangeOrder, 'side' | 'positionSide' | 'type'>,
): { positionSide: PositionSide; kind: 'stop' | 'take-profit' } | undefined {
  if (order.positionSide === undefined || order.side !== closingSide(order.positionSide)) return undefined;
  if (STOP_TYPES.includes(order.type)) return { positionSide: order.positionSide, kind: 'stop' };
  if (order.type === 'limit' || order.type === 'take_profit')
    return { positionSide: order.positionSide, kind: 'take-profit' };
  return undefined;
}

export function entryRequest(pair: string, side: PositionSide, amountBtc: string): OrderRequest {
  return { pair, side: entrySide(side), positionSide: side, type: 'market', amountBtc };
}

export function exitRequest(pair: string, side: PositionSide, amountBtc: string): OrderRequest {
  return { pair, side: closingSide(side), positionSide: side, type: 'market', amountBtc };
}

/** Stop: a stop-market order in the closing direction, triggered at the stop price. */
export function stopRequest(pair: string, side: PositionSide, amountBtc: string, stopPriceJpy: string): OrderRequest {
  return { pair, side: closingSide(side), positionSide: side, type: 'stop', amountBtc, triggerPriceJpy: stopPriceJpy };
}

/** Take-profit: a resting closing limit at the target (maker when it fills). */
export function takeProfitRequest(
  pair: string,
  side: PositionSide,
  amountBtc: string,
  takeProfitPriceJpy: string,
): OrderRequest {
  return { pair, side: closingSide(side), positionSide: side, type: 'limit', amountBtc, priceJpy: takeProfitPriceJpy };
}
