import type { ExchangeOrder, OrderIntentMatch, OrderRequest, OrderSide, OrderType, PositionSide } from '../../ports/exchange.port.js';

/**
 * Order intents: what the tick means to send, written to Firestore BEFORE the order is sent and
 * completed with the exchange's answer after. An intent id is deterministic (tick id + purpose) so
 * that a retried or taken-over tick finds its own intent instead of creating a second order.
 */
export type IntentPurpose = 'entry' | 'exit' | 'stop' | 'take-profit';
/**
 * pending: written, answer not known yet (maybe sent); sent: the exchange has it (orderId known);
 * not-sent: looked up after a lost answer and not on the exchange; rejected: the exchange refused it.
 */
export type IntentStatus = 'pending' | 'sent' | 'not-sent' | 'rejected';

export interface OrderIntent {
  readonly intentId: string;
  readonly tickId: string;
  readonly barOpenMs: number;
  readonly purpose: IntentPurpose;
  readonly request: OrderRequest;
  /** Entries carry their protective prices so that a crash before the stop is placed can be healed. */
  readonly stopPriceJpy?: string;
  readonly takeProfitPriceJpy?: string;
  readonly status: IntentStatus;
  readonly attempt: number;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  readonly orderId?: string;
  readonly orderStatus?: string;
  readonly executedBtc?: string;
  readonly averagePriceJpy?: string;
  readonly errorCode?: string;
  readonly message?: string;
}

export function intentId(tickId: string, purpose: IntentPurpose): string {
  return `${tickId}_${purpose}`;
}

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
 * `done` (it reached the exchange or was refused: never send again), `resolve` (answer unknown:
 * look it up on the exchange first), `resend` (looked up and proven absent, same bar: may send).
 */
export function stepForExisting(intent: OrderIntent): 'done' | 'resolve' | 'resend' {
  if (intent.status === 'sent' || intent.status === 'rejected') return 'done';
  if (intent.status === 'pending') return 'resolve';
  return 'resend';
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
export function protectiveKind(order: Pick<ExchangeOrder, 'side' | 'positionSide' | 'type'>): { positionSide: PositionSide; kind: 'stop' | 'take-profit' } | undefined {
  if (order.positionSide === undefined || order.side !== closingSide(order.positionSide)) return undefined;
  if (STOP_TYPES.includes(order.type)) return { positionSide: order.positionSide, kind: 'stop' };
  if (order.type === 'limit' || order.type === 'take_profit') return { positionSide: order.positionSide, kind: 'take-profit' };
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
export function takeProfitRequest(pair: string, side: PositionSide, amountBtc: string, takeProfitPriceJpy: string): OrderRequest {
  return { pair, side: closingSide(side), positionSide: side, type: 'limit', amountBtc, priceJpy: takeProfitPriceJpy };
}
