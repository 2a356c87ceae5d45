import { Decimal } from 'decimal.js';
import { OrderError } from '../../core/errors.js';
import {
  applyBotFills,
  emptySpotLedger,
  SPOT_LOOKBACK_MS,
  spotPositionView,
  withBotOrder,
  type SpotLedger,
} from '../../core/tick/spot-holding.js';
import type { Clock } from '../../ports/clock.port.js';
import type { Exchange, ExchangeOrder, ExchangeTrade, OrderRequest } from '../../ports/exchange.port.js';
import type { Logger } from '../../ports/logger.port.js';
import type { SpotLedgerStore } from './spot-ledger-store.js';

export interface SpotExchangeOptions {
  /** The exchange the orders go to (the bitbank adapter, or the paper exchange): its spot side is used. */
  inner: Exchange;
  /** The pair traded (the margin status of spot is the bot's cash and its holding of this pair). */
  pair: string;
  ledgers: SpotLedgerStore;
  clock: Clock;
  logger: Logger;
}

/**
 * BOT_MARKET=spot behind the same Exchange port, so the tick, its intents and reconciliation run
 * unchanged: the bot's spot holding is shown as a long position. Orders go out without
 * `position_side` (a buy of BTC with JPY opens, a sell of the bot's BTC closes; a short is refused
 * before anything is sent); the bot's spot orders and fills come back as `positionSide: 'long'`.
 * Only the bot's own orders are shown (open orders, trades): a person's spot orders on the same
 * account are neither cancelled as orphans nor booked as the bot's trades, and margin orders are not
 * this market's. The position is the ledger's holding checked against the BTC on hand (see
 * shared/core/tick/spot-holding.ts); there is no margin account: the status is the bot's cash plus
 * the value of its holding, never a loss-cut.
 */
export function createSpotExchange(options: SpotExchangeOptions): Exchange {
  const { inner, pair: botPair, ledgers, clock, logger } = options;

  const ledgerOf = async (pair: string): Promise<SpotLedger> =>
    (await ledgers.read(pair)) ?? emptySpotLedger(pair, clock.nowMs());
  const remember = (order: ExchangeOrder): Promise<SpotLedger> =>
    ledgers.update(order.pair, (current) =>
      withBotOrder(current ?? emptySpotLedger(order.pair, clock.nowMs()), order.orderId, clock.nowMs()),
    );
  const botOrders = async (pair: string): Promise<Set<string>> => new Set((await ledgerOf(pair)).botOrderIds);

  const btcOnhand = async (signal?: AbortSignal): Promise<string> => {
    const btc = (await inner.fetchBalances(signal)).find((b) => b.asset === 'btc');
    return btc?.onhandAmount ?? '0';
  };

  async function positions(pair: string, signal?: AbortSignal) {
    // Balance before fills: a fill between the two reads can only make the holding look smaller.
    const [first, rules, ledger] = await Promise.all([
      btcOnhand(signal),
      inner.loadMarketRules(pair, signal),
      ledgerOf(pair),
    ]);
    const fills = await inner.fetchTrades(pair, ledger.syncedToMs - SPOT_LOOKBACK_MS, signal);
    const counted = applyBotFills(ledger, fills, clock.nowMs());
    // A shortfall is confirmed by a second read (a sell filling between the reads is not one).
    const short = new Decimal(first).lt(counted.amountBtc);
    const onhand = short ? Decimal.max(first, await btcOnhand(signal)).toString() : first;
    let view = spotPositionView(counted, onhand, rules.lotBtc, clock.nowMs());
    // Written only when it changed (a new fill or a shortfall): a steady tick reads the ledger, never writes it.
    if (view.ledger !== ledger) {
      await ledgers.update(pair, (current) => {
        const recounted = applyBotFills(current ?? counted, fills, clock.nowMs());
        view = spotPositionView(recounted, onhand, rules.lotBtc, clock.nowMs());
        return view.ledger;
      });
    }
    if (view.shortfallBtc !== undefined) {
      logger.error("spot: the account holds less BTC than the bot bought; the bot's holding is cut to the balance", {
        code: 'RECONCILE.SPOT_SHORTFALL',
        pair,
        shortfallBtc: view.shortfallBtc,
        btcOnhand: onhand,
        holdingBtc: view.ledger.amountBtc,
      });
    }
    return view.positions;
  }

  const exchange: Exchange = {
    fetchClosedCandles: (request) => inner.fetchClosedCandles(request),
    loadMarketRules: (pair, signal) => inner.loadMarketRules(pair, signal),
    fetchTicker: (pair, signal) => inner.fetchTicker(pair, signal),
    fetchCircuitBreakMode: (pair, signal) => inner.fetchCircuitBreakMode(pair, signal),
    fetchBalances: (signal) => inner.fetchBalances(signal),
    verifyCredentials: (signal) => inner.verifyCredentials(signal),
    fetchMarginPositions: (pair, signal) => positions(pair, signal),

    async fetchMarginStatus(signal) {
      const jpy = (await inner.fetchBalances(signal)).find((b) => b.asset === 'jpy');
      const held = (await positions(botPair, signal))[0];
      const bidJpy = held === undefined ? '0' : (await inner.fetchTicker(botPair, signal)).bidJpy;
      const heldJpy = new Decimal(held?.amountBtc ?? '0').mul(bidJpy);
      const cash = new Decimal(jpy?.onhandAmount ?? '0');
      return {
        status: 'NORMAL',
        totalMarginBalanceJpy: cash.plus(heldJpy).toFixed(4),
        marginBalancePercentage: null,
        marginCallPercentage: null,
        losscutPercentage: null,
        availableLongJpy: jpy?.freeAmount ?? '0',
        availableShortJpy: '0',
      };
    },

    async placeOrder(request, signal) {
      const spot = spotRequest(request);
      // A market exit or a maker-first exit (a post-only sell): both sell the BTC the take-profit locks.
      if (spot.side === 'sell' && (spot.type === 'market' || spot.postOnly === true)) await freeForExit(spot, signal);
      const order = await inner.placeOrder(spot, signal);
      await remember(order);
      return asLong(order);
    },

    async fetchOrder(pair, orderId, signal) {
      return asLong(await inner.fetchOrder(pair, orderId, signal));
    },

    async cancelOrder(pair, orderId, signal) {
      return asLong(await inner.cancelOrder(pair, orderId, signal));
    },

    async fetchOpenOrders(pair, signal) {
      const [open, bot] = await Promise.all([inner.fetchOpenOrders(pair, signal), botOrders(pair)]);
      return open.filter((o) => o.positionSide === undefined && bot.has(o.orderId)).map(asLong);
    },

    async fetchTrades(pair, sinceMs, signal) {
      const [fills, bot] = await Promise.all([inner.fetchTrades(pair, sinceMs, signal), botOrders(pair)]);
      return fills.filter((t) => t.positionSide === undefined && bot.has(t.orderId)).map(asLong);
    },

    async findOrder(match, signal) {
      // The intent is the bot's: the spot order found for it is the bot's from now on.
      const { positionSide: _long, ...spotMatch } = match;
      if (match.positionSide === 'short') return undefined; // never sent on spot
      const found = await inner.findOrder(spotMatch, signal);
      if (found === undefined || found.positionSide !== undefined) return undefined;
      await remember(found);
      return asLong(found);
    },
  };

  /**
   * A spot sell needs free BTC, and the bot's resting take-profit (a sell limit) locks the same BTC:
   * before a market or maker-first exit that the free balance cannot cover, the bot's sell limits are
   * cancelled (reconcile puts a take-profit back once no exit rests or if the exit fails). Stops are
   * never touched here: an exit never strips a stop first.
   */
  async function freeForExit(request: OrderRequest, signal?: AbortSignal): Promise<void> {
    const btc = (await inner.fetchBalances(signal)).find((b) => b.asset === 'btc');
    if (new Decimal(btc?.freeAmount ?? '0').gte(request.amountBtc)) return;
    const [open, bot] = await Promise.all([inner.fetchOpenOrders(request.pair, signal), botOrders(request.pair)]);
    const takeProfits = open.filter(
      (o) => o.positionSide === undefined && bot.has(o.orderId) && o.side === 'sell' && o.type === 'limit',
    );
    for (const order of takeProfits) {
      await inner.cancelOrder(request.pair, order.orderId, signal);
      logger.info('spot: take-profit cancelled to free the BTC the exit sells (its stop stays)', {
        pair: request.pair,
        orderId: order.orderId,
      });
    }
  }

  return exchange;
}

/** The spot order for a request: no `position_side`; a short (opening or closing) is refused before sending. */
export function spotRequest(request: OrderRequest): OrderRequest {
  if (request.positionSide === 'short') {
    throw new OrderError('EXCHANGE.ORDER_REJECTED', 'spot cannot go short (BOT_MARKET=spot): order not sent', {
      details: { pair: request.pair, side: request.side, type: request.type, amountBtc: request.amountBtc },
    });
  }
  const { positionSide: _long, ...spot } = request;
  return spot;
}

/** A spot order or fill as the port shows the bot's: a buy opens and a sell closes its long. */
function asLong<T extends ExchangeOrder | ExchangeTrade>(item: T): T {
  return item.positionSide === undefined ? { ...item, positionSide: 'long' } : item;
}
