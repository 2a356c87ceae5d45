import { Decimal } from 'decimal.js';
import { HOUR_MS, barOpenMs } from '../../core/candle.js';
import { OrderError } from '../../core/errors.js';
import { limitCrosses, marketFill } from '../../core/fills/fill-model.js';
import { compareDecimal, isOnStep, toOrderAmount } from '../../core/money.js';
import type { Clock } from '../../ports/clock.port.js';
import type { Exchange, ExchangeOrder, ExchangeTrade, MarketRules, OrderRequest } from '../../ports/exchange.port.js';
import type { Store } from '../../ports/store.port.js';
import { pickMatch } from '../bitbank/find-order.js';
import {
  applyFill,
  isClosing,
  paperAccounts,
  paperOrders,
  paperTrades,
  restingFillPrice,
  restingOrderRank,
  type PaperAccount,
  type PaperOrder,
} from './paper-state.js';

/** What the paper exchange reads from the real market (the bitbank adapter's public endpoints). */
export type MarketFeed = Pick<
  Exchange,
  'fetchClosedCandles' | 'fetchTicker' | 'loadMarketRules' | 'fetchCircuitBreakMode'
>;

export interface PaperExchangeOptions {
  store: Store;
  market: MarketFeed;
  clock: Clock;
  pair: string;
  initialJpy: number;
  /** Leverage allowed on equity (bitbank individuals: about 2x). */
  leverage?: number;
  /** Adverse move on market and stop fills beyond the ask/bid, fraction (the backtester's `slippage`); default 0. */
  slippage?: number;
}

const FIND_SKEW_MS = 5_000;
const RULES_TTL_MS = 60_000;

/**
 * The Exchange port in paper mode: market data from the real feed, orders and positions simulated
 * with the backtester's fill model (shared/core/fills/fill-model.ts, see paper-state.ts), state in
 * Firestore so that it survives instances. Resting orders are checked against every bar that closed
 * since the last look. A limit that would take at once fills as a market order, or, post-only, is
 * cancelled unfilled (CANCELED_UNFILLED) as bitbank does.
 */
export function createPaperExchange(options: PaperExchangeOptions): Exchange {
  const { store, market, clock, pair } = options;
  const leverage = options.leverage ?? 2;
  const slippage = options.slippage ?? 0;
  const fresh = (nowMs: number): PaperAccount => ({
    pair,
    cashJpy: options.initialJpy,
    btc: '0',
    positions: [],
    processedUntilMs: barOpenMs(nowMs),
    nextOrderId: 1,
    nextTradeId: 1,
    updatedAtMs: nowMs,
  });

  /** Brings resting orders up to the bars closed by now; returns the account. */
  /** Market rules reused for a minute (fees and lot rules change rarely; the minimum amount is re-read after). */
  const rulesCache = new Map<string, { atMs: number; rules: Promise<MarketRules> }>();
  function rulesFor(p: string, signal?: AbortSignal): Promise<MarketRules> {
    const nowMs = clock.nowMs();
    const hit = rulesCache.get(p);
    if (hit && nowMs - hit.atMs < RULES_TTL_MS && nowMs >= hit.atMs) return hit.rules;
    const rules = market.loadMarketRules(p, signal);
    rulesCache.set(p, { atMs: nowMs, rules });
    rules.catch(() => rulesCache.delete(p));
    return rules;
  }

  /** One sync at a time per instance: concurrent reads of one tick share it instead of racing transactions. */
  let inflight: Promise<PaperAccount> | undefined;
  function sync(signal?: AbortSignal): Promise<PaperAccount> {
    inflight ??= syncOnce(signal).finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  async function syncOnce(signal?: AbortSignal): Promise<PaperAccount> {
    const nowMs = clock.nowMs();
    const untilMs = barOpenMs(nowMs);
    const before = await store.get(paperAccounts, pair);
    if (before && before.processedUntilMs >= untilMs) return before;
    const candles = before
      ? await market.fetchClosedCandles({
          pair,
          timeframe: '1h',
          fromMs: before.processedUntilMs,
          toMs: untilMs,
          nowMs,
          ...(signal ? { signal } : {}),
        })
      : [];
    const rules = before ? await rulesFor(pair, signal) : undefined;
    return store.runTransaction(async (tx) => {
      const account = (await tx.get(paperAccounts, pair)) ?? fresh(nowMs);
      if (account.processedUntilMs >= untilMs) return account;
      const resting = (await store.list(paperOrders, { where: [['open', '==', true]] }))
        .map((d) => d.data)
        .filter((o) => o.pair === pair);
      const fills: ExchangeTrade[] = [];
      for (const bar of candles.filter((c) => c.openTimeMs >= account.processedUntilMs)) {
        const due = resting
          .filter((o) => o.open && barOpenMs(o.orderedAtMs) <= bar.openTimeMs)
          .sort((a, b) => restingOrderRank(a) - restingOrderRank(b));
        for (const order of due) {
          const fill = restingFillPrice(order, bar, slippage);
          if (!fill || !rules) continue;
          const position = account.positions.find((p) => p.side === order.positionSide);
          if (isClosing(order) && (!position || new Decimal(order.amountBtc).gt(position.amountBtc))) {
            Object.assign(order, { status: 'CANCELED_UNFILLED', open: false });
            continue;
          }
          try {
            fills.push(
              applyFill(account, order, fill.priceJpy, Math.max(fill.atMs, order.orderedAtMs), fill.liquidity, rules),
            );
          } catch {
            Object.assign(order, { status: 'CANCELED_UNFILLED', open: false }); // funds gone since it was placed
          }
        }
      }
      // Only bars actually seen count as processed: a bar the feed does not serve yet is checked next time.
      const lastSeen = candles[candles.length - 1];
      if (lastSeen) account.processedUntilMs = Math.max(account.processedUntilMs, lastSeen.openTimeMs + HOUR_MS);
      account.updatedAtMs = nowMs;
      tx.set(paperAccounts, pair, account);
      for (const order of resting) tx.set(paperOrders, order.orderId, order);
      for (const trade of fills) tx.set(paperTrades, trade.tradeId, trade);
      return account;
    });
  }

  function toExchangeOrder(order: PaperOrder): ExchangeOrder {
    const { open: _open, ...rest } = order;
    return rest;
  }

  const exchange: Exchange = {
    fetchClosedCandles: (request) => market.fetchClosedCandles(request),
    loadMarketRules: (p, signal) => rulesFor(p, signal),
    fetchTicker: (p, signal) => market.fetchTicker(p, signal),
    fetchCircuitBreakMode: (p, signal) => market.fetchCircuitBreakMode(p, signal),

    async fetchBalances(signal) {
      const account = await sync(signal);
      const cash = String(account.cashJpy);
      return [
        { asset: 'jpy', freeAmount: cash, onhandAmount: cash, lockedAmount: '0' },
        { asset: 'btc', freeAmount: account.btc, onhandAmount: account.btc, lockedAmount: '0' },
      ];
    },

    async fetchMarginStatus(signal) {
      const account = await sync(signal);
      const ticker = account.positions.length > 0 ? await market.fetchTicker(pair, signal) : undefined;
      const unrealized = account.positions.reduce(
        (s, p) =>
          s + (Number(ticker?.lastJpy) - p.averagePriceJpy) * Number(p.amountBtc) * (p.side === 'long' ? 1 : -1),
        0,
      );
      const equityJpy = account.cashJpy + unrealized;
      const used = account.positions.reduce((s, p) => s + p.averagePriceJpy * Number(p.amountBtc), 0);
      const available = String(Math.max(0, Math.floor(equityJpy * leverage - used)));
      const ratioPercent = used > 0 ? (equityJpy / used) * 100 : null;
      return {
        status: paperMarginStatus(ratioPercent),
        totalMarginBalanceJpy: String(equityJpy),
        marginBalancePercentage: ratioPercent,
        marginCallPercentage: used > 0 ? PAPER_MARGIN_CALL_PERCENT : null,
        losscutPercentage: used > 0 ? PAPER_LOSSCUT_PERCENT : null,
        availableLongJpy: available,
        availableShortJpy: available,
      };
    },

    async fetchMarginPositions(p, signal) {
      const account = await sync(signal);
      return account.positions
        .filter(() => p === pair)
        .map((x) => ({
          pair,
          side: x.side,
          amountBtc: x.amountBtc,
          averagePriceJpy: String(x.averagePriceJpy),
          unrealizedFeeJpy: '0',
          unrealizedInterestJpy: '0',
        }));
    },

    async placeOrder(request, signal) {
      await sync(signal);
      const rules = await rulesFor(request.pair, signal);
      validate(request, rules);
      const ticker =
        request.type === 'market' || request.type === 'limit'
          ? await market.fetchTicker(request.pair, signal)
          : undefined;
      const nowMs = clock.nowMs();
      return store.runTransaction(async (tx) => {
        const account = (await tx.get(paperAccounts, pair)) ?? fresh(nowMs);
        const order: PaperOrder = {
          orderId: String(account.nextOrderId++),
          pair: request.pair,
          side: request.side,
          ...(request.positionSide ? { positionSide: request.positionSide } : {}),
          type: request.type,
          amountBtc: request.amountBtc,
          remainingBtc: request.amountBtc,
          executedBtc: '0',
          ...(request.priceJpy ? { priceJpy: request.priceJpy } : {}),
          ...(request.triggerPriceJpy ? { triggerPriceJpy: request.triggerPriceJpy } : {}),
          status: 'UNFILLED',
          orderedAtMs: nowMs,
          open: true,
        };
        const takes =
          ticker !== undefined &&
          (request.type === 'market' ||
            limitCrosses(request.side, Number(request.priceJpy), Number(ticker.bidJpy), Number(ticker.askJpy)));
        if (takes && request.postOnly) {
          Object.assign(order, { status: 'CANCELED_UNFILLED', open: false });
        } else if (takes) {
          const fill = marketFill(
            request.side,
            Number(request.side === 'buy' ? ticker.askJpy : ticker.bidJpy),
            barOpenMs(nowMs),
            slippage,
          );
          if (request.positionSide && !isClosing(request))
            checkMargin(account, Number(request.amountBtc) * fill.priceJpy);
          // Stamped at the bar's open, as the backtester executes a decision (protections count from it).
          const trade = applyFill(account, order, fill.priceJpy, fill.atMs, 'taker', rules);
          tx.set(paperTrades, trade.tradeId, trade);
        }
        account.updatedAtMs = nowMs;
        tx.set(paperAccounts, pair, account);
        tx.set(paperOrders, order.orderId, order);
        return toExchangeOrder(order);
      });
    },

    async fetchOrder(_p, orderId, signal) {
      await sync(signal);
      const order = await store.get(paperOrders, orderId);
      if (!order) throw new OrderError('EXCHANGE.ORDER_NOT_FOUND', `paper order ${orderId} not found`);
      return toExchangeOrder(order);
    },

    async fetchOpenOrders(p, signal) {
      await sync(signal);
      return (await store.list(paperOrders, { where: [['open', '==', true]] }))
        .map((d) => toExchangeOrder(d.data))
        .filter((o) => o.pair === p);
    },

    async cancelOrder(_p, orderId, signal) {
      await sync(signal);
      return store.runTransaction(async (tx) => {
        const order = await tx.get(paperOrders, orderId);
        if (!order) throw new OrderError('EXCHANGE.ORDER_NOT_FOUND', `paper order ${orderId} not found`);
        if (!order.open)
          throw new OrderError('EXCHANGE.ORDER_REJECTED', `paper order ${orderId} is no longer open (${order.status})`);
        const cancelled: PaperOrder = { ...order, status: 'CANCELED_UNFILLED', open: false };
        tx.set(paperOrders, orderId, cancelled);
        return toExchangeOrder(cancelled);
      });
    },

    async fetchTrades(p, sinceMs, signal) {
      await sync(signal);
      const listed = await store.list(paperTrades, {
        where: [['executedAtMs', '>=', sinceMs]],
        orderBy: { field: 'executedAtMs' },
      });
      return listed.map((d) => d.data).filter((t) => t.pair === p);
    },

    async findOrder(match, signal) {
      await sync(signal);
      const listed = await store.list(paperOrders, {
        where: [['orderedAtMs', '>=', match.notBeforeMs - FIND_SKEW_MS]],
      });
      return pickMatch(
        listed.map((d) => toExchangeOrder(d.data)),
        match,
        FIND_SKEW_MS,
      );
    },

    async verifyCredentials() {
      // Nothing to prove: paper trading needs no key. The same check names as the live adapter.
      return {
        ok: true,
        checks: [
          { name: 'assets_read', ok: true },
          { name: 'margin_status_read', ok: true },
          { name: 'order_permission', ok: true },
        ],
      };
    },
  };

  function checkMargin(account: PaperAccount, notionalJpy: number): void {
    const used = account.positions.reduce((s, p) => s + p.averagePriceJpy * Number(p.amountBtc), 0);
    if (used + notionalJpy > account.cashJpy * leverage)
      throw new OrderError(
        'EXCHANGE.INSUFFICIENT_FUNDS',
        `paper: ${Math.round(notionalJpy)} JPY exceeds the margin available`,
      );
  }

  return exchange;
}

function validate(request: OrderRequest, rules: MarketRules): void {
  for (const price of [request.priceJpy, request.triggerPriceJpy]) {
    if (price !== undefined && (!isOnStep(price, rules.tickJpy) || compareDecimal(price, '0') <= 0))
      throw new OrderError('EXCHANGE.ORDER_REJECTED', `price ${price} is off the ${rules.tickJpy} JPY tick`);
  }
  const amount = toOrderAmount(request.amountBtc, rules);
  if (amount === undefined || compareDecimal(amount, request.amountBtc) !== 0)
    throw new OrderError(
      'EXCHANGE.ORDER_REJECTED',
      `amount ${request.amountBtc} is off the lot grid or below the minimum`,
    );
  if (request.type !== 'market' && request.priceJpy === undefined && request.triggerPriceJpy === undefined)
    throw new OrderError('EXCHANGE.ORDER_REJECTED', `${request.type} order needs a price`);
  if (request.postOnly && request.type !== 'limit')
    throw new OrderError('EXCHANGE.ORDER_REJECTED', 'post-only applies to limit orders only');
}

/**
 * The paper account's own margin model (the same thresholds the local fake bitbank serves); live
 * trading reads the real thresholds from the exchange API, never these.
 */
export const PAPER_MARGIN_CALL_PERCENT = 40;
export const PAPER_LOSSCUT_PERCENT = 30;

export function paperMarginStatus(ratioPercent: number | null): 'NORMAL' | 'CALL' | 'LOSSCUT' {
  if (ratioPercent === null || ratioPercent >= PAPER_MARGIN_CALL_PERCENT) return 'NORMAL';
  return ratioPercent >= PAPER_LOSSCUT_PERCENT ? 'CALL' : 'LOSSCUT';
}
