import { Decimal } from 'decimal.js';
import type { FakeOrder, FakeTrade } from './book.js';
import { PAIR } from './market.js';

const jpy4 = (d: Decimal): string => d.toDecimalPlaces(4, Decimal.ROUND_HALF_EVEN).toFixed(4);

/** bitbank's order object (ccxt's parseOrder reads order_id, pair, ordered_at, price, start/executed/remaining_amount, average_price, status, type, side). */
export function orderPayload(o: FakeOrder): Record<string, unknown> {
  return {
    order_id: o.orderId,
    pair: PAIR,
    side: o.side,
    ...(o.positionSide ? { position_side: o.positionSide } : {}),
    type: o.type,
    start_amount: o.amount.toFixed(4),
    remaining_amount: o.amount.minus(o.executed).toFixed(4),
    executed_amount: o.executed.toFixed(4),
    price: o.price?.toFixed(0),
    post_only: o.postOnly,
    user_cancelable: true,
    average_price: o.executed.isZero() ? '0' : jpy4(o.cost.div(o.executed)),
    ordered_at: o.orderedAtMs,
    expire_at: o.orderedAtMs + 180 * 86_400_000,
    triggered_at: o.triggeredAtMs,
    trigger_price: o.triggerPrice?.toFixed(0),
    canceled_at: o.canceledAtMs,
    executed_at: o.status === 'FULLY_FILLED' ? o.executedAtMs : undefined,
    status: o.status,
  };
}

export function tradePayload(t: FakeTrade): Record<string, unknown> {
  return {
    trade_id: t.tradeId,
    pair: PAIR,
    order_id: t.orderId,
    side: t.side,
    ...(t.positionSide ? { position_side: t.positionSide } : {}),
    type: t.type,
    amount: t.amount.toFixed(4),
    price: t.price.toFixed(0),
    maker_taker: t.makerTaker,
    fee_amount_base: '0.00000000',
    fee_amount_quote: jpy4(t.fee),
    fee_occurred_amount_quote: jpy4(t.fee),
    ...(t.profitLoss !== undefined ? { profit_loss: jpy4(t.profitLoss) } : {}),
    ...(t.interest !== undefined ? { interest: jpy4(t.interest) } : {}),
    executed_at: t.executedAtMs,
  };
}
