import { Decimal } from 'decimal.js';
import { OrderError } from '../../core/errors.js';
import { isOnStep } from '../../core/money.js';
import type { MarketRules, OrderRequest } from '../../ports/exchange.port.js';

/** The JSON body of `POST /v1/user/spot/order`: every number an exact decimal string. */
export interface BitbankOrderBody {
  pair: string;
  amount: string;
  side: 'buy' | 'sell';
  type: OrderRequest['type'];
  price?: string;
  trigger_price?: string;
  position_side?: 'long' | 'short';
  post_only?: boolean;
}

const DECIMAL = /^\d+(\.\d+)?$/;
const NEEDS_PRICE = new Set<OrderRequest['type']>(['limit', 'stop_limit']);
const NEEDS_TRIGGER = new Set<OrderRequest['type']>(['stop', 'stop_limit', 'take_profit', 'stop_loss']);

function reject(message: string, request: OrderRequest): never {
  throw new OrderError('EXCHANGE.ORDER_REJECTED', `order not sent: ${message}`, {
    details: {
      pair: request.pair,
      side: request.side,
      type: request.type,
      amountBtc: request.amountBtc,
      priceJpy: request.priceJpy,
    },
  });
}

function checkPrice(value: string | undefined, name: string, rules: MarketRules, request: OrderRequest): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !DECIMAL.test(value))
    reject(`${name} must be a decimal string, got ${String(value)}`, request);
  if (!new Decimal(value).gt(0)) reject(`${name} must be positive, got ${value}`, request);
  if (!isOnStep(value, rules.tickJpy)) reject(`${name} ${value} is not on the ${rules.tickJpy} JPY tick`, request);
}

/**
 * Checks an order against the market rules and builds its body. Amounts and prices must already
 * be exact strings on the lot / tick grid (the caller rounds with shared/core/money.ts); anything
 * else is EXCHANGE.ORDER_REJECTED before a request is made: the adapter never rounds or sends a float.
 */
export function toOrderBody(request: OrderRequest, rules: MarketRules): BitbankOrderBody {
  if (request.pair !== rules.pair) reject(`pair ${request.pair} does not match the rules for ${rules.pair}`, request);
  const amount = request.amountBtc;
  if (typeof amount !== 'string' || !DECIMAL.test(amount))
    reject(`amount must be a decimal string, got ${String(amount)}`, request);
  if (!isOnStep(amount, rules.lotBtc)) reject(`amount ${amount} is not on the ${rules.lotBtc} BTC lot`, request);
  if (new Decimal(amount).lt(rules.minAmountBtc))
    reject(`amount ${amount} is below the minimum ${rules.minAmountBtc} BTC`, request);
  const max = request.type === 'market' ? rules.maxMarketAmountBtc : rules.maxLimitAmountBtc;
  if (new Decimal(amount).gt(max))
    reject(`amount ${amount} is above the maximum ${max} BTC for ${request.type} orders`, request);
  if (NEEDS_PRICE.has(request.type) && request.priceJpy === undefined)
    reject(`a ${request.type} order needs a price`, request);
  if (!NEEDS_PRICE.has(request.type) && request.priceJpy !== undefined)
    reject(`a ${request.type} order takes no price`, request);
  if (NEEDS_TRIGGER.has(request.type) && request.triggerPriceJpy === undefined)
    reject(`a ${request.type} order needs a trigger price`, request);
  if (!NEEDS_TRIGGER.has(request.type) && request.triggerPriceJpy !== undefined)
    reject(`a ${request.type} order takes no trigger price`, request);
  if (request.postOnly && request.type !== 'limit') reject('post-only applies to limit orders only', request);
  checkPrice(request.priceJpy, 'price', rules, request);
  checkPrice(request.triggerPriceJpy, 'trigger price', rules, request);
  return {
    pair: request.pair,
    amount,
    side: request.side,
    type: request.type,
    ...(request.priceJpy !== undefined ? { price: request.priceJpy } : {}),
    ...(request.triggerPriceJpy !== undefined ? { trigger_price: request.triggerPriceJpy } : {}),
    ...(request.positionSide !== undefined ? { position_side: request.positionSide } : {}),
    ...(request.postOnly ? { post_only: true } : {}),
  };
}
