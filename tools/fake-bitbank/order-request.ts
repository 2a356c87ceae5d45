import { Decimal } from 'decimal.js';
import { LOT_BTC, PAIR, type MarketState } from './market.js';
import type { PositionSide } from './account.js';

/** `losscut` is the exchange's own forced close; clients cannot place it (40024). */
export type OrderType = 'limit' | 'market' | 'stop' | 'stop_limit' | 'take_profit' | 'stop_loss' | 'losscut';
export const TRIGGER_TYPES: readonly OrderType[] = ['stop', 'stop_limit', 'take_profit', 'stop_loss'];
const ALL_TYPES: readonly string[] = ['limit', 'market', 'stop', 'stop_limit', 'take_profit', 'stop_loss'];

export interface OrderRequest {
  side: 'buy' | 'sell';
  positionSide: PositionSide | undefined;
  type: OrderType;
  amount: Decimal;
  price: Decimal | undefined;
  triggerPrice: Decimal | undefined;
  postOnly: boolean;
}

/** Thrown with a bitbank error code; the router answers `{success:0,data:{code}}`. */
export class BitbankApiError extends Error {
  constructor(
    readonly code: number,
    readonly httpStatus = 200,
  ) {
    super(`bitbank error ${code}`);
  }
}

const DECIMAL = /^\d+(\.\d+)?$/;

function parsePrice(value: unknown, missing: number): Decimal {
  if (value === undefined || value === null || value === '') throw new BitbankApiError(missing);
  const text = String(value);
  if (!DECIMAL.test(text) || !new Decimal(text).isInteger() || new Decimal(text).lte(0))
    throw new BitbankApiError(40020);
  return new Decimal(text);
}

/** Validates a `POST /v1/user/spot/order` body with bitbank's codes (30xxx missing, 40xxx invalid, 60xxx limits). */
export function parseOrderRequest(body: Record<string, unknown>, market: MarketState): OrderRequest {
  if (body.pair === undefined) throw new BitbankApiError(30009);
  if (body.pair !== PAIR) throw new BitbankApiError(40017);
  if (body.amount === undefined || body.amount === '') throw new BitbankApiError(30001);
  const amountText = String(body.amount);
  if (!DECIMAL.test(amountText) || !new Decimal(amountText).mod(LOT_BTC).isZero() || new Decimal(amountText).lte(0))
    throw new BitbankApiError(40001);
  const amount = new Decimal(amountText);
  if (body.side === undefined) throw new BitbankApiError(30013);
  if (body.side !== 'buy' && body.side !== 'sell') throw new BitbankApiError(40021);
  if (body.type === undefined) throw new BitbankApiError(30015);
  if (typeof body.type !== 'string' || !ALL_TYPES.includes(body.type)) throw new BitbankApiError(40024);
  const type = body.type as OrderType;
  if (
    body.position_side !== undefined &&
    body.position_side !== null &&
    body.position_side !== 'long' &&
    body.position_side !== 'short'
  )
    throw new BitbankApiError(40164);
  const positionSide = (body.position_side ?? undefined) as PositionSide | undefined;
  if (body.post_only !== undefined && typeof body.post_only !== 'boolean') throw new BitbankApiError(40113);
  const postOnly = body.post_only === true;
  if (postOnly && type !== 'limit') throw new BitbankApiError(40114);
  const price = type === 'limit' || type === 'stop_limit' ? parsePrice(body.price, 30012) : undefined;
  const triggerPrice = TRIGGER_TYPES.includes(type) ? parsePrice(body.trigger_price, 30012) : undefined;
  if (amount.lt(market.minAmountBtc)) throw new BitbankApiError(60004);
  if (amount.gt(type === 'market' ? '10' : '1000')) throw new BitbankApiError(60003);
  const closing = positionSide !== undefined && (positionSide === 'long') === (body.side === 'sell');
  if ((type === 'take_profit' || type === 'stop_loss') && !closing) throw new BitbankApiError(60019);
  if (positionSide !== undefined && !closing) {
    if (positionSide === 'long' && market.stopMarginLongOrder) throw new BitbankApiError(70024);
    if (positionSide === 'short' && market.stopMarginShortOrder) throw new BitbankApiError(70025);
  }
  if (type === 'market' && market.circuitBreakMode !== 'NONE') throw new BitbankApiError(70020);
  return { side: body.side, positionSide, type, amount, price, triggerPrice, postOnly };
}

/** True for the orders that close a margin position (sell+long, buy+short). */
export function isClosing(order: { side: 'buy' | 'sell'; positionSide: PositionSide | undefined }): boolean {
  return order.positionSide !== undefined && (order.positionSide === 'long') === (order.side === 'sell');
}
