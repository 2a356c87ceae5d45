import { z } from 'zod';
import { Decimal } from 'decimal.js';
import { collection } from '../../ports/store.port.js';
import type { Candle } from '../../core/candle.js';
import {
  feeRate,
  restingLimitFill,
  stopFill,
  takeProfitTriggerFill,
  type Fill,
  type Liquidity,
} from '../../core/fills/fill-model.js';
import type { ExchangeOrder, ExchangeTrade, MarketRules, PositionSide } from '../../ports/exchange.port.js';
import { OrderError } from '../../core/errors.js';
import { interestChargesBetween } from '../../core/fills/interest.js';

/**
 * The paper exchange's state in Firestore. Fills follow the one fill model of the backtester
 * (shared/core/fills/fill-model.ts): market orders fill at once at the ask (buy) or bid (sell),
 * moved by the slippage, with the taker fee, stamped at the bar's open; a resting stop fills, in the
 * first bar that reaches its trigger, at the trigger (stamped at the bar's close) or at the bar's
 * open if the bar gapped through it; a resting limit fills at its price with the maker fee only when
 * a bar trades through it; when a bar reaches both a stop and a limit, the stop fills first. Margin
 * orders pay the margin fee rates. Margin interest: a day's at each 00:00 JST the position is open
 * (shared/core/fills/interest.ts), paid when it closes.
 */
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/);
const side = z.enum(['long', 'short']);
const positionSchema = z.object({
  side,
  amountBtc: decimal,
  averagePriceJpy: z.number().finite(),
  openedAtMs: z.number().int(),
});
export type PaperPosition = z.infer<typeof positionSchema>;

export const paperAccountSchema = z.object({
  pair: z.string(),
  cashJpy: z.number().finite(),
  /** Spot BTC held (orders without position_side). */
  btc: decimal.default('0'),
  positions: z.array(positionSchema),
  /** Bars with open time before this were already checked against resting orders. */
  processedUntilMs: z.number().int(),
  nextOrderId: z.number().int().min(1),
  nextTradeId: z.number().int().min(1),
  updatedAtMs: z.number().int(),
});
export type PaperAccount = z.infer<typeof paperAccountSchema>;

const orderSchema = z.object({
  orderId: z.string(),
  pair: z.string(),
  side: z.enum(['buy', 'sell']),
  positionSide: side.optional(),
  type: z.enum(['limit', 'market', 'stop', 'stop_limit', 'take_profit', 'stop_loss']),
  amountBtc: decimal,
  remainingBtc: decimal,
  executedBtc: decimal,
  priceJpy: decimal.optional(),
  averagePriceJpy: decimal.optional(),
  triggerPriceJpy: decimal.optional(),
  status: z.enum([
    'INACTIVE',
    'UNFILLED',
    'PARTIALLY_FILLED',
    'FULLY_FILLED',
    'CANCELED_UNFILLED',
    'CANCELED_PARTIALLY_FILLED',
    'REJECTED',
  ]),
  orderedAtMs: z.number().int(),
  open: z.boolean(),
});
export type PaperOrder = z.infer<typeof orderSchema>;

const tradeSchema = z.object({
  tradeId: z.string(),
  orderId: z.string(),
  pair: z.string(),
  side: z.enum(['buy', 'sell']),
  positionSide: side.optional(),
  type: orderSchema.shape.type,
  amountBtc: decimal,
  priceJpy: decimal,
  feeJpy: decimal,
  makerTaker: z.enum(['maker', 'taker']),
  profitLossJpy: decimal.optional(),
  interestJpy: decimal.optional(),
  executedAtMs: z.number().int(),
});

export const paperAccounts = collection('paperAccounts', paperAccountSchema);
export const paperOrders = collection('paperOrders', orderSchema);
export const paperTrades = collection('paperTrades', tradeSchema, { days: 365, fromField: 'executedAtMs' });

const money = (n: Decimal | number): string => new Decimal(n).toDecimalPlaces(4).toString();

export function isClosing(order: Pick<ExchangeOrder, 'side' | 'positionSide'>): boolean {
  return (
    (order.positionSide === 'long' && order.side === 'sell') || (order.positionSide === 'short' && order.side === 'buy')
  );
}

/**
 * Fills `order` completely at `priceJpy`, updating the account in place; returns the trade. A
 * closing order larger than the position is rejected (a closing order with no position left is
 * cancelled by the caller).
 */
export function applyFill(
  account: PaperAccount,
  order: PaperOrder,
  priceJpy: number,
  atMs: number,
  makerTaker: Liquidity,
  rules: MarketRules,
): ExchangeTrade {
  const amount = new Decimal(order.amountBtc);
  const fee = amount.mul(priceJpy).mul(feeRate(rules, makerTaker, order.positionSide !== undefined));
  const settled =
    order.positionSide === undefined
      ? applySpot(account, order.side, amount, amount.mul(priceJpy).plus(order.side === 'buy' ? fee : fee.neg()))
      : applyMargin(account, order, order.positionSide, amount, priceJpy, fee, atMs, rules);
  Object.assign(order, {
    remainingBtc: '0',
    executedBtc: order.amountBtc,
    averagePriceJpy: String(priceJpy),
    status: 'FULLY_FILLED',
    open: false,
  });
  const tradeId = String(account.nextTradeId++);
  return {
    tradeId,
    orderId: order.orderId,
    pair: order.pair,
    side: order.side,
    ...(order.positionSide ? { positionSide: order.positionSide } : {}),
    type: order.type,
    amountBtc: order.amountBtc,
    priceJpy: String(priceJpy),
    feeJpy: money(fee),
    makerTaker,
    ...(settled ? { profitLossJpy: money(settled.profitLoss), interestJpy: money(settled.interest) } : {}),
    executedAtMs: atMs,
  };
}

function applyMargin(
  account: PaperAccount,
  order: PaperOrder,
  positionSide: PositionSide,
  amount: Decimal,
  priceJpy: number,
  fee: Decimal,
  atMs: number,
  rules: MarketRules,
): { profitLoss: Decimal; interest: Decimal } | undefined {
  const index = account.positions.findIndex((p) => p.side === positionSide);
  const position = account.positions[index];
  if (isClosing(order)) {
    if (!position || amount.gt(position.amountBtc))
      throw new OrderError(
        'EXCHANGE.ORDER_REJECTED',
        `paper: closing ${order.amountBtc} BTC exceeds the ${positionSide} position`,
      );
    const direction = positionSide === 'long' ? 1 : -1;
    const profitLoss = new Decimal(priceJpy).minus(position.averagePriceJpy).mul(amount).mul(direction);
    const rate = positionSide === 'long' ? rules.marginLongInterestDaily : rules.marginShortInterestDaily;
    const interest = amount
      .mul(position.averagePriceJpy)
      .mul(rate)
      .mul(interestChargesBetween(position.openedAtMs, atMs));
    const left = new Decimal(position.amountBtc).minus(amount);
    if (left.isZero()) account.positions.splice(index, 1);
    else account.positions[index] = { ...position, amountBtc: left.toString() };
    account.cashJpy += profitLoss.minus(fee).minus(interest).toNumber();
    return { profitLoss, interest };
  }
  if (position) {
    const total = amount.plus(position.amountBtc);
    const average = amount.mul(priceJpy).plus(new Decimal(position.amountBtc).mul(position.averagePriceJpy)).div(total);
    account.positions[index] = { ...position, amountBtc: total.toString(), averagePriceJpy: average.toNumber() };
  } else {
    account.positions.push({
      side: positionSide,
      amountBtc: amount.toString(),
      averagePriceJpy: priceJpy,
      openedAtMs: atMs,
    });
  }
  account.cashJpy -= fee.toNumber();
  return undefined;
}

/** Spot: buying spends JPY (price plus fee), selling spends BTC; never below zero. */
function applySpot(account: PaperAccount, side: 'buy' | 'sell', amountBtc: Decimal, cashJpy: Decimal): undefined {
  if (side === 'buy') {
    if (cashJpy.gt(account.cashJpy))
      throw new OrderError(
        'EXCHANGE.INSUFFICIENT_FUNDS',
        `paper: ${cashJpy.toFixed(0)} JPY needed, ${Math.floor(account.cashJpy)} held`,
      );
    account.cashJpy -= cashJpy.toNumber();
    account.btc = amountBtc.plus(account.btc).toString();
  } else {
    if (amountBtc.gt(account.btc))
      throw new OrderError(
        'EXCHANGE.INSUFFICIENT_FUNDS',
        `paper: ${amountBtc.toString()} BTC needed, ${account.btc} held`,
      );
    account.btc = new Decimal(account.btc).minus(amountBtc).toString();
    account.cashJpy += cashJpy.toNumber();
  }
  return undefined;
}

/**
 * The price, time and liquidity at which a resting order fills in `bar` (the fill model's rules), or
 * undefined when the bar does not reach it. A stop_limit is modelled as a stop.
 */
export function restingFillPrice(order: PaperOrder, bar: Candle, slippage = 0): Fill | undefined {
  if (order.type === 'stop' || order.type === 'stop_loss' || order.type === 'stop_limit')
    return stopFill(order.side, Number(order.triggerPriceJpy), bar, slippage);
  if (order.type === 'take_profit') return takeProfitTriggerFill(order.side, Number(order.triggerPriceJpy), bar);
  if (order.type === 'limit') return restingLimitFill(order.side, Number(order.priceJpy), bar);
  return undefined;
}

/** Stops before limits: when one bar reaches both, the stop is assumed to have filled first. */
export function restingOrderRank(order: PaperOrder): number {
  return order.type === 'stop' || order.type === 'stop_loss' || order.type === 'stop_limit' ? 0 : 1;
}
