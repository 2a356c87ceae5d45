import { Decimal } from 'decimal.js';
import { HOUR_MS, type Candle } from '../../shared/core/candle.js';
import type { Account } from './account.js';
import { chargedRates, defaultMarketState, LOT_BTC, type MarketState } from './market.js';
import { BitbankApiError, isClosing, TRIGGER_TYPES, type OrderRequest } from './order-request.js';

export type OrderStatus =
  | 'INACTIVE'
  | 'UNFILLED'
  | 'PARTIALLY_FILLED'
  | 'FULLY_FILLED'
  | 'CANCELED_UNFILLED'
  | 'CANCELED_PARTIALLY_FILLED'
  | 'REJECTED';
const OPEN: readonly OrderStatus[] = ['INACTIVE', 'UNFILLED', 'PARTIALLY_FILLED'];

export interface FakeOrder extends OrderRequest {
  orderId: number;
  executed: Decimal;
  cost: Decimal;
  /** JPY locked for a resting spot limit buy / BTC for a spot sell. */
  locked: Decimal;
  status: OrderStatus;
  orderedAtMs: number;
  triggeredAtMs: number | undefined;
  canceledAtMs: number | undefined;
  executedAtMs: number | undefined;
}

export interface FakeTrade {
  tradeId: number;
  orderId: number;
  side: 'buy' | 'sell';
  positionSide: string | undefined;
  type: string;
  amount: Decimal;
  price: Decimal;
  makerTaker: 'maker' | 'taker';
  fee: Decimal;
  profitLoss: Decimal | undefined;
  interest: Decimal | undefined;
  executedAtMs: number;
}

export interface BookOptions {
  /** A resting limit fills at most this fraction of a bar's volume per bar (partial fills). Default 0.1. */
  maxFillFractionOfVolume?: number;
  /** The market whose fee rates are charged (the exchange's, settable by the admin API). */
  market?: MarketState;
}

/**
 * Orders, trades and the fill model. Market orders (and limits that cross) fill at once at the
 * ask/bid as taker; resting limits fill as maker at their price when a replayed bar trades
 * THROUGH them (buy: low < price; sell: high > price), at most `maxFillFractionOfVolume` of the
 * bar's volume per bar. Trigger orders are INACTIVE until the bar's range reaches the trigger,
 * then fill as taker at the trigger or at the bar's open when it gapped past it (the worse price
 * for stops, the better one for take-profits); a stop_limit becomes a resting limit, which can
 * fill from the next bar on (the order of prices inside a bar is unknown).
 */
export class Book {
  readonly orders: FakeOrder[] = [];
  readonly trades: FakeTrade[] = [];
  private nextOrderId = 1_000_001;
  private nextTradeId = 5_000_001;
  private readonly fillFraction: number;
  private readonly market: MarketState;

  constructor(
    private readonly account: Account,
    options: BookOptions = {},
  ) {
    this.fillFraction = options.maxFillFractionOfVolume ?? 0.1;
    this.market = options.market ?? defaultMarketState();
  }

  find(orderId: number): FakeOrder {
    const order = this.orders.find((o) => o.orderId === orderId);
    if (!order) throw new BitbankApiError(50009);
    return order;
  }

  openOrders(): FakeOrder[] {
    return this.orders.filter((o) => OPEN.includes(o.status));
  }

  place(request: OrderRequest, nowMs: number, quote: { last: Decimal; bid: Decimal; ask: Decimal }): FakeOrder {
    if (this.openOrders().length >= 30) throw new BitbankApiError(60011);
    this.checkFunds(request, quote);
    const order: FakeOrder = {
      ...request,
      orderId: this.nextOrderId++,
      executed: new Decimal(0),
      cost: new Decimal(0),
      locked: new Decimal(0),
      status: TRIGGER_TYPES.includes(request.type) ? 'INACTIVE' : 'UNFILLED',
      orderedAtMs: nowMs,
      triggeredAtMs: undefined,
      canceledAtMs: undefined,
      executedAtMs: undefined,
    };
    this.orders.push(order);
    const marketPrice = order.side === 'buy' ? quote.ask : quote.bid;
    if (order.type === 'market') this.fill(order, order.amount, marketPrice, 'taker', nowMs);
    else if (order.type === 'limit') this.placeLimit(order, marketPrice, nowMs);
    else if (this.reached(order, quote.last)) this.trigger(order, marketPrice, nowMs);
    return order;
  }

  private placeLimit(order: FakeOrder, marketPrice: Decimal, nowMs: number): void {
    const price = order.price as Decimal;
    const crosses = order.side === 'buy' ? price.gte(marketPrice) : price.lte(marketPrice);
    if (crosses && order.postOnly) {
      order.status = 'CANCELED_UNFILLED';
      order.canceledAtMs = nowMs;
    } else if (crosses) this.fill(order, order.amount, marketPrice, 'taker', nowMs);
    else this.lock(order);
  }

  private checkFunds(request: OrderRequest, quote: { last: Decimal; ask: Decimal }): void {
    const reference = request.price ?? request.triggerPrice ?? quote.ask;
    if (request.positionSide === undefined) {
      if (request.type === 'market' || request.type === 'limit') {
        const enough =
          request.side === 'buy'
            ? this.account
                .freeJpy()
                .gte(
                  request.amount
                    .mul(request.type === 'market' ? quote.ask : reference)
                    .mul(new Decimal(1).plus(chargedRates(this.market).taker)),
                )
            : this.account.freeBtc().gte(request.amount);
        if (!enough) throw new BitbankApiError(60001);
      }
    } else if (isClosing(request)) {
      if (this.account.openAmount(request.positionSide).lt(request.amount)) throw new BitbankApiError(60001);
    } else if (this.account.credit(quote.last).lt(request.amount.mul(reference))) throw new BitbankApiError(60001);
  }

  private lock(order: FakeOrder): void {
    if (order.positionSide !== undefined) return;
    const remaining = order.amount.minus(order.executed);
    order.locked = order.side === 'buy' ? remaining.mul(order.price as Decimal) : remaining;
    if (order.side === 'buy') this.account.lockedJpy = this.account.lockedJpy.plus(order.locked);
    else this.account.lockedBtc = this.account.lockedBtc.plus(order.locked);
  }

  private unlock(order: FakeOrder): void {
    if (order.side === 'buy') this.account.lockedJpy = this.account.lockedJpy.minus(order.locked);
    else this.account.lockedBtc = this.account.lockedBtc.minus(order.locked);
    order.locked = new Decimal(0);
  }

  cancel(orderId: number, nowMs: number): FakeOrder {
    const order = this.find(orderId);
    if (order.status === 'CANCELED_UNFILLED' || order.status === 'CANCELED_PARTIALLY_FILLED')
      throw new BitbankApiError(50026);
    if (order.status === 'FULLY_FILLED') throw new BitbankApiError(50027);
    if (order.status === 'REJECTED') throw new BitbankApiError(50010);
    this.close(order, nowMs);
    return order;
  }

  private close(order: FakeOrder, nowMs: number): void {
    this.unlock(order);
    order.status = order.executed.isZero() ? 'CANCELED_UNFILLED' : 'CANCELED_PARTIALLY_FILLED';
    order.canceledAtMs = nowMs;
  }

  /** Has the price reached the trigger? Stops trigger on the adverse move, take-profits on the favourable one. */
  private reached(order: FakeOrder, price: Decimal, low = price, high = price): boolean {
    const trigger = order.triggerPrice as Decimal;
    const upward = (order.type === 'take_profit') === (order.side === 'sell');
    return upward ? high.gte(trigger) : low.lte(trigger);
  }

  private trigger(order: FakeOrder, fillPrice: Decimal, atMs: number): void {
    order.triggeredAtMs = atMs;
    if (order.type !== 'stop_limit') {
      order.status = 'UNFILLED';
      this.fill(order, order.amount, fillPrice, 'taker', atMs);
      return;
    }
    order.status = 'UNFILLED';
    const price = order.price as Decimal;
    const marketable = order.side === 'buy' ? price.gte(fillPrice) : price.lte(fillPrice);
    if (marketable) this.fill(order, order.amount, fillPrice, 'taker', atMs);
    else this.lock(order);
  }

  /** Processes one replayed bar that has just closed. */
  onBar(bar: Candle): void {
    const open = new Decimal(bar.open);
    const high = new Decimal(bar.high);
    const low = new Decimal(bar.low);
    const closeMs = bar.openTimeMs + HOUR_MS;
    for (const order of this.openOrders()) {
      if (order.orderedAtMs >= closeMs) continue;
      const atMs = Math.max(order.orderedAtMs, bar.openTimeMs);
      if (order.status === 'INACTIVE') {
        if (!this.reached(order, open, low, high)) continue;
        const trigger = order.triggerPrice as Decimal;
        const upward = (order.type === 'take_profit') === (order.side === 'sell');
        const gapped = upward ? open.gt(trigger) : open.lt(trigger);
        this.trigger(order, (gapped ? open : trigger).toDecimalPlaces(0), atMs);
        continue; // a stop_limit left resting can fill from the next bar on (intrabar order unknown)
      }
      const price = order.price as Decimal;
      const through = order.side === 'buy' ? low.lt(price) : high.gt(price);
      if (!through) continue;
      const cap = new Decimal(bar.volume).mul(this.fillFraction).toDecimalPlaces(4, Decimal.ROUND_DOWN);
      const amount = Decimal.min(order.amount.minus(order.executed), cap);
      if (amount.gte(LOT_BTC)) this.fill(order, amount, price, 'maker', atMs);
    }
  }

  /** The exchange's forced close of a margin position (loss-cut): a taker market order of type `losscut`. */
  forceClose(positionSide: 'long' | 'short', price: Decimal, atMs: number): FakeOrder {
    const order: FakeOrder = {
      side: positionSide === 'long' ? 'sell' : 'buy',
      positionSide,
      type: 'losscut',
      amount: this.account.openAmount(positionSide),
      price: undefined,
      triggerPrice: undefined,
      postOnly: false,
      orderId: this.nextOrderId++,
      executed: new Decimal(0),
      cost: new Decimal(0),
      locked: new Decimal(0),
      status: 'UNFILLED',
      orderedAtMs: atMs,
      triggeredAtMs: undefined,
      canceledAtMs: undefined,
      executedAtMs: undefined,
    };
    this.orders.push(order);
    this.fill(order, order.amount, price, 'taker', atMs);
    return order;
  }

  private fill(order: FakeOrder, wanted: Decimal, price: Decimal, makerTaker: 'maker' | 'taker', atMs: number): void {
    let amount = wanted;
    if (isClosing(order)) amount = Decimal.min(amount, this.account.openAmount(order.positionSide as 'long' | 'short'));
    if (order.positionSide === undefined && order.locked.isZero()) {
      const affordable =
        order.side === 'buy' ? this.account.freeJpy().gte(amount.mul(price)) : this.account.freeBtc().gte(amount);
      if (!affordable) amount = new Decimal(0);
    }
    if (amount.isZero()) {
      this.close(order, atMs);
      return;
    }
    const rates = chargedRates(this.market);
    const fee = amount
      .mul(price)
      .mul(makerTaker === 'maker' ? rates.maker : rates.taker)
      .toDecimalPlaces(4, Decimal.ROUND_HALF_EVEN);
    if (order.positionSide === undefined) {
      this.unlock(order);
      this.account.spotFill(order.side, amount, price, fee);
    }
    let profitLoss: Decimal | undefined;
    let interest: Decimal | undefined;
    if (order.positionSide !== undefined && isClosing(order))
      ({ profitLoss, interest } = this.account.closePosition(order.positionSide, amount, price, fee));
    else if (order.positionSide !== undefined) this.account.openPosition(order.positionSide, amount, price, fee);
    order.executed = order.executed.plus(amount);
    order.cost = order.cost.plus(amount.mul(price));
    order.executedAtMs = atMs;
    order.status = order.executed.eq(order.amount) ? 'FULLY_FILLED' : 'PARTIALLY_FILLED';
    if (order.status === 'PARTIALLY_FILLED' && order.positionSide === undefined && order.type !== 'market')
      this.lock(order);
    if (order.status === 'PARTIALLY_FILLED' && (order.type === 'market' || wanted.gt(amount))) this.close(order, atMs);
    this.trades.push({
      tradeId: this.nextTradeId++,
      orderId: order.orderId,
      side: order.side,
      positionSide: order.positionSide,
      type: order.type,
      amount,
      price,
      makerTaker,
      fee,
      profitLoss,
      interest,
      executedAtMs: atMs,
    });
  }
}
