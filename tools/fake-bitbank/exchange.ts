import { Decimal } from 'decimal.js';
import { HOUR_MS, type Candle } from '../../shared/core/candle.js';
import { Account } from './account.js';
import { Book, type FakeOrder } from './book.js';
import { orderPayload, tradePayload } from './payloads.js';
import { chargedRates, defaultMarketState, PAIR, type MarketState } from './market.js';
import { BitbankApiError, parseOrderRequest } from './order-request.js';
import { Replay } from './replay.js';

export interface ExchangeOptions {
  candles: readonly Candle[];
  nowMs?: number;
  initialJpy?: number;
  initialBtc?: number;
  maxFillFractionOfVolume?: number;
}

type Query = Record<string, string>;
type Body = Record<string, unknown>;

function orderId(value: unknown): number {
  if (value === undefined || value === null || value === '') throw new BitbankApiError(30006);
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id <= 0) throw new BitbankApiError(40013);
  return id;
}

function orderIds(value: unknown): number[] {
  if (value === undefined || value === null) throw new BitbankApiError(30007);
  if (!Array.isArray(value) || value.length === 0) throw new BitbankApiError(40014);
  if (value.length > 30) throw new BitbankApiError(40015);
  return value.map((v) => {
    const id = Number(v);
    if (!Number.isSafeInteger(id) || id <= 0) throw new BitbankApiError(40014);
    return id;
  });
}

/** since/end: bitbank documents ms; ccxt sends seconds. Values below 1e11 are read as seconds. */
function timeParam(value: string | undefined, invalid: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new BitbankApiError(invalid);
  return n < 1e11 ? n * 1000 : n;
}

function count(value: string | undefined, max: number, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > max) throw new BitbankApiError(40006);
  return n;
}

function checkPair(value: unknown, required: boolean): void {
  if (value === undefined || value === '') {
    if (required) throw new BitbankApiError(30009);
    return;
  }
  if (value !== PAIR) throw new BitbankApiError(40017);
}

/** The fake exchange's state and its private API (each method returns `data` or throws a bitbank code). */
export class FakeExchange {
  readonly replay: Replay;
  readonly account: Account;
  readonly book: Book;
  readonly market: MarketState = defaultMarketState();
  nowMs: number;

  constructor(options: ExchangeOptions) {
    if (options.candles.length === 0) throw new Error('the fake bitbank needs candles to replay');
    this.replay = new Replay(options.candles);
    this.account = new Account(options.initialJpy ?? 1_000_000, options.initialBtc ?? 0.01);
    this.book = new Book(this.account, {
      maxFillFractionOfVolume: options.maxFillFractionOfVolume,
      market: this.market,
    });
    const start = options.candles[Math.min(199, options.candles.length - 1)] as Candle;
    this.nowMs = options.nowMs ?? start.openTimeMs + HOUR_MS;
  }

  /** Moves the replay clock forward: every bar that closes on the way is matched, interest accrues. */
  setClock(nowMs: number): void {
    if (!Number.isSafeInteger(nowMs)) throw new RangeError(`nowMs must be an integer, got ${nowMs}`);
    if (nowMs < this.nowMs) throw new RangeError(`the replay clock only moves forward (${nowMs} < ${this.nowMs})`);
    let previous = this.nowMs;
    for (const bar of this.replay.closedDuring(this.nowMs, nowMs)) {
      const closeMs = bar.openTimeMs + HOUR_MS;
      this.account.accrueInterest(previous, closeMs, chargedRates(this.market).interestDaily);
      this.nowMs = closeMs;
      this.book.onBar(bar);
      this.lossCut(bar);
      previous = closeMs;
    }
    this.account.accrueInterest(previous, nowMs, chargedRates(this.market).interestDaily);
    this.nowMs = nowMs;
  }

  /**
   * Loss-cut: when the margin ratio at the bar's worst price (low, then high) falls below the
   * loss-cut percentage, every position is closed there with a `losscut` order, as bitbank does.
   */
  private lossCut(bar: Candle): void {
    for (const price of [bar.low, bar.high]) {
      const at = new Decimal(price).toDecimalPlaces(0);
      if (
        this.account.positions.size === 0 ||
        (this.account.marginStatus(at) as { status: string }).status !== 'LOSSCUT'
      )
        continue;
      for (const side of [...this.account.positions.keys()])
        this.book.forceClose(side, at, bar.openTimeMs + HOUR_MS - 1);
    }
  }

  private quote(): { last: Decimal; bid: Decimal; ask: Decimal } {
    const q = this.replay.quote(this.nowMs);
    return { last: new Decimal(q.last), bid: new Decimal(q.bid), ask: new Decimal(q.ask) };
  }

  lastPrice(): Decimal {
    return this.quote().last;
  }

  assets(): unknown {
    return this.account.assetsPayload();
  }

  createOrder(body: Body): unknown {
    const request = parseOrderRequest(body, this.market);
    return orderPayload(this.book.place(request, this.nowMs, this.quote()));
  }

  getOrder(query: Query): unknown {
    checkPair(query.pair, true);
    return orderPayload(this.book.find(orderId(query.order_id)));
  }

  cancelOrder(body: Body): unknown {
    checkPair(body.pair, true);
    return orderPayload(this.book.cancel(orderId(body.order_id), this.nowMs));
  }

  cancelOrders(body: Body): unknown {
    checkPair(body.pair, true);
    const orders: FakeOrder[] = [];
    for (const id of orderIds(body.order_ids)) {
      const order = this.book.orders.find((o) => o.orderId === id);
      if (!order) continue;
      if (['INACTIVE', 'UNFILLED', 'PARTIALLY_FILLED'].includes(order.status)) this.book.cancel(id, this.nowMs);
      orders.push(order);
    }
    return { orders: orders.map(orderPayload) };
  }

  ordersInfo(body: Body): unknown {
    checkPair(body.pair, true);
    const ids = new Set(orderIds(body.order_ids));
    return { orders: this.book.orders.filter((o) => ids.has(o.orderId)).map(orderPayload) };
  }

  activeOrders(query: Query): unknown {
    checkPair(query.pair, true);
    const since = timeParam(query.since, 40022);
    const end = timeParam(query.end, 40007);
    const fromId = query.from_id === undefined ? undefined : Number(query.from_id);
    const endId = query.end_id === undefined ? undefined : Number(query.end_id);
    if (fromId !== undefined && !Number.isSafeInteger(fromId)) throw new BitbankApiError(40009);
    if (endId !== undefined && !Number.isSafeInteger(endId)) throw new BitbankApiError(40008);
    const orders = this.book
      .openOrders()
      .filter((o) => (since === undefined || o.orderedAtMs >= since) && (end === undefined || o.orderedAtMs <= end))
      .filter((o) => (fromId === undefined || o.orderId >= fromId) && (endId === undefined || o.orderId <= endId))
      .sort((a, b) => b.orderId - a.orderId)
      .slice(0, count(query.count, 1000, 100));
    return { orders: orders.map(orderPayload) };
  }

  tradeHistory(query: Query): unknown {
    checkPair(query.pair, false);
    const since = timeParam(query.since, 40022);
    const end = timeParam(query.end, 40007);
    const id = query.order_id === undefined ? undefined : orderId(query.order_id);
    if (query.order !== undefined && query.order !== 'asc' && query.order !== 'desc') throw new BitbankApiError(40001);
    const trades = this.book.trades
      .filter(
        (t) =>
          (id === undefined || t.orderId === id) &&
          (since === undefined || t.executedAtMs >= since) &&
          (end === undefined || t.executedAtMs <= end),
      )
      .sort((a, b) => (query.order === 'asc' ? a.tradeId - b.tradeId : b.tradeId - a.tradeId))
      .slice(0, count(query.count, 1000, 1000));
    return { trades: trades.map(tradePayload) };
  }

  marginStatus(): unknown {
    return this.account.marginStatus(this.lastPrice());
  }

  marginPositions(): unknown {
    return this.account.positionsPayload();
  }

  setBalances(balances: { jpy?: number | undefined; btc?: number | undefined }): void {
    if (balances.jpy !== undefined) this.account.jpy = new Decimal(balances.jpy);
    if (balances.btc !== undefined) this.account.btc = new Decimal(balances.btc);
  }
}
