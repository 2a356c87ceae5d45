import { compareDecimal } from '../../core/money.js';
import type { ExchangeOrder, OrderIntentMatch } from '../../ports/exchange.port.js';

const sameDecimal = (a: string | undefined, b: string | undefined): boolean =>
  a === undefined || b === undefined ? a === b : compareDecimal(a, b) === 0;

/**
 * True when `order` is the one the intent describes. bitbank has no client order id, so the
 * match is pair, side, position side, type, amount, price, trigger price, and an order time not
 * before the intent was written (less `skewMs` for clock differences).
 */
export function matchesIntent(order: ExchangeOrder, match: OrderIntentMatch, skewMs: number): boolean {
  return (
    order.pair === match.pair &&
    order.side === match.side &&
    order.positionSide === match.positionSide &&
    order.type === match.type &&
    sameDecimal(order.amountBtc, match.amountBtc) &&
    (match.priceJpy === undefined || sameDecimal(order.priceJpy, match.priceJpy)) &&
    (match.triggerPriceJpy === undefined || sameDecimal(order.triggerPriceJpy, match.triggerPriceJpy)) &&
    order.orderedAtMs >= match.notBeforeMs - skewMs
  );
}

/** The earliest matching order (the one closest after the intent), or undefined. */
export function pickMatch(
  orders: readonly ExchangeOrder[],
  match: OrderIntentMatch,
  skewMs: number,
): ExchangeOrder | undefined {
  return orders
    .filter((o) => matchesIntent(o, match, skewMs))
    .sort((a, b) => a.orderedAtMs - b.orderedAtMs || Number(a.orderId) - Number(b.orderId))[0];
}
