import { BotError, toBotError } from '../../core/errors.js';
import type { RetryPolicy } from '../../core/retry.js';
import type { Config } from '../../config.js';
import type { Clock, RandomSource } from '../../ports/clock.port.js';
import type { Logger } from '../../ports/logger.port.js';
import type { CredentialReport, Exchange, ExchangeOrder, MarketRules } from '../../ports/exchange.port.js';
import { createCaller } from './call.js';
import { describeGaps, gapsOf } from '../../core/candles/gaps.js';
import { TIMEFRAME_MS } from '../../core/candle.js';
import { assembleCandles, daysCovering, expectedBarOpens, type OhlcvRow } from './candles.js';
import { createBitbankCcxt, type BitbankClientOptions, type BitbankRaw } from './ccxt-client.js';
import { pickMatch } from './find-order.js';
import * as map from './mappers.js';
import { toOrderBody } from './order-request.js';
import { BITBANK_RATES, RateLimiter, type RequestClass } from './rate-limiter.js';

export interface BitbankExchangeOptions extends Omit<BitbankClientOptions, 'timeoutMs'> {
  /** Deadline of one request (also ccxt's own timeout). */
  callTimeoutMs: number;
  clock: Clock;
  random: RandomSource;
  logger: Logger;
  /** Retries of reads; defaults: 3 attempts, 250 ms base, 2 s cap, 3 call timeouts overall. */
  retry?: Partial<RetryPolicy>;
  rates?: Record<RequestClass, number>;
  /** Clock difference tolerated when matching an order time to an intent (default 5 s). */
  findOrderSkewMs?: number;
  /** How long loaded market rules are reused to check orders (default 60 s). */
  rulesTtlMs?: number;
}

const TRADE_PAGE = 1000;

/** The bitbank exchange on real ccxt (bitbank class only), behind the Exchange port. */
export function createBitbankExchange(options: BitbankExchangeOptions): Exchange {
  const client = createBitbankCcxt({ ...options, timeoutMs: options.callTimeoutMs });
  const raw = client as unknown as BitbankRaw;
  const { clock, logger } = options;
  const call = createCaller({
    clock,
    random: options.random,
    logger,
    limiter: new RateLimiter(clock, options.rates ?? BITBANK_RATES),
    callTimeoutMs: options.callTimeoutMs,
    retry: {
      maxAttempts: 3,
      baseDelayMs: 250,
      maxDelayMs: 2_000,
      deadlineMs: options.callTimeoutMs * 3,
      ...options.retry,
    },
  });
  const skewMs = options.findOrderSkewMs ?? 5_000;
  const rulesTtlMs = options.rulesTtlMs ?? 60_000;
  const rulesCache = new Map<string, { rules: MarketRules; atMs: number }>();
  const read = (what: string, signal?: AbortSignal) => ({
    what,
    kind: 'query' as const,
    retry: true,
    ...(signal ? { signal } : {}),
  });

  async function marketOf(
    pair: string,
    signal?: AbortSignal,
    reload = false,
  ): Promise<{ symbol: string; info: unknown }> {
    await call(read('load markets', signal), () => client.loadMarkets(reload));
    const market = client.markets_by_id?.[pair]?.[0];
    if (!market) throw new BotError('EXCHANGE.BAD_RESPONSE', `bitbank lists no market ${pair}`, { details: { pair } });
    return { symbol: market.symbol, info: market.info };
  }

  async function spotStatus(signal?: AbortSignal): Promise<unknown> {
    // Needs no key; ccxt files it under "private" and would sign it, so without keys fetch it plain.
    if (options.apiKey && options.apiSecret) return call(read('spot status', signal), () => raw.privateGetSpotStatus());
    const url = `${options.privateUrl.replace(/\/+$/, '')}/v1/spot/status`;
    return call(read('spot status', signal), () => client.fetch(url, 'GET'));
  }

  const exchange: Exchange = {
    async fetchClosedCandles({ pair, timeframe, fromMs, toMs, nowMs, signal }) {
      const { symbol } = await marketOf(pair, signal);
      const expected = expectedBarOpens(fromMs, toMs, nowMs, timeframe);
      const rows: OhlcvRow[] = [];
      for (const dayMs of daysCovering(expected)) {
        const day = new Date(dayMs).toISOString().slice(0, 10);
        const dayRows = await call(read(`candles ${day}`, signal), () => client.fetchOHLCV(symbol, timeframe, dayMs));
        rows.push(...(dayRows as OhlcvRow[]));
      }
      const { candles, gapOpenTimesMs } = assembleCandles(rows, expected, timeframe, { nowMs });
      if (gapOpenTimesMs.length > 0) {
        // Settled bars bitbank never published: returned as a gap (explicit here, flagged by the gate), not refetched forever.
        logger.warn(
          `settled candle gap on bitbank ${pair} ${timeframe}, kept as a gap: ${describeGaps(gapsOf(gapOpenTimesMs, TIMEFRAME_MS[timeframe]))}`,
          {
            code: 'DATA.CANDLE_GAP',
            pair,
            timeframe,
            missingBars: gapOpenTimesMs.length,
            missingOpenTimes: gapOpenTimesMs.slice(0, 48).map((t) => new Date(t).toISOString()),
          },
        );
      }
      return candles;
    },

    async loadMarketRules(pair, signal) {
      const { info } = await marketOf(pair, signal, true);
      const rules = map.marketRulesToDomain(info, await spotStatus(signal), pair);
      if (rules.defaultedFields)
        logger.warn(
          `/spot/pairs lacks ${rules.defaultedFields.join(', ')}: the documented fee schedule is used for them`,
          { code: 'EXCHANGE.FEES_DEFAULTED', pair, fields: rules.defaultedFields },
        );
      rulesCache.set(pair, { rules, atMs: clock.nowMs() });
      return rules;
    },

    async fetchTicker(pair, signal) {
      return map.tickerToDomain(pair, await call(read('ticker', signal), () => raw.publicGetPairTicker({ pair })));
    },

    async fetchCircuitBreakMode(pair, signal) {
      return map.circuitBreakToDomain(
        await call(read('circuit break info', signal), () => raw.publicGetPairCircuitBreakInfo({ pair })),
      );
    },

    async fetchBalances(signal) {
      return map.assetsToDomain(await call(read('assets', signal), () => raw.privateGetUserAssets()));
    },

    async fetchMarginStatus(signal) {
      // The status is account-wide; available credit is reported for btc_jpy.
      return map.marginStatusToDomain(
        await call(read('margin status', signal), () => raw.privateGetUserMarginStatus()),
        'btc_jpy',
      );
    },

    async fetchMarginPositions(pair, signal) {
      return map.marginPositionsToDomain(
        await call(read('margin positions', signal), () => raw.privateGetUserMarginPositions()),
        pair,
      );
    },

    async placeOrder(request, signal) {
      const cached = rulesCache.get(request.pair);
      const rules =
        cached && clock.nowMs() - cached.atMs < rulesTtlMs
          ? cached.rules
          : await exchange.loadMarketRules(request.pair, signal);
      const body = toOrderBody(request, rules);
      try {
        const response = await call(
          { what: 'place order', kind: 'update', retry: false, ...(signal ? { signal } : {}) },
          () => raw.privatePostUserSpotOrder({ ...body }),
        );
        return map.orderToDomain(map.dataOf(response));
      } catch (thrown) {
        const error = toBotError(thrown);
        logger.error(
          error.retryable
            ? 'order answer lost or failed transiently: look it up with findOrder before sending again'
            : 'order rejected',
          {
            code: error.code,
            pair: body.pair,
            side: body.side,
            type: body.type,
            amountBtc: body.amount,
          },
        );
        throw error;
      }
    },

    async fetchOrder(pair, orderId, signal) {
      return map.orderToDomain(
        map.dataOf(
          await call(read('fetch order', signal), () =>
            raw.privateGetUserSpotOrder({ pair, order_id: orderIdParam(orderId) }),
          ),
        ),
      );
    },

    async fetchOpenOrders(pair, signal) {
      return map.ordersToDomain(
        await call(read('active orders', signal), () => raw.privateGetUserSpotActiveOrders({ pair })),
      );
    },

    async cancelOrder(pair, orderId, signal) {
      const response = await call(
        { what: 'cancel order', kind: 'update', retry: false, ...(signal ? { signal } : {}) },
        () => raw.privatePostUserSpotCancelOrder({ pair, order_id: orderIdParam(orderId) }),
      );
      return map.orderToDomain(map.dataOf(response));
    },

    async fetchTrades(pair, sinceMs, signal) {
      // Newest page, filtered here: robust to the unit of bitbank's `since` parameter.
      const response = await call(read('trade history', signal), () =>
        raw.privateGetUserSpotTradeHistory({ pair, count: TRADE_PAGE, order: 'desc' }),
      );
      return map
        .tradesToDomain(response)
        .filter((t) => t.executedAtMs >= sinceMs)
        .sort((a, b) => a.executedAtMs - b.executedAtMs);
    },

    async findOrder(match, signal) {
      const open = await exchange.fetchOpenOrders(match.pair, signal);
      const found = pickMatch(open, match, skewMs);
      if (found) return found;
      const trades = await exchange.fetchTrades(match.pair, match.notBeforeMs - skewMs, signal);
      const openIds = new Set(open.map((o) => o.orderId));
      const ids = [...new Set(trades.filter((t) => t.side === match.side).map((t) => t.orderId))].filter(
        (id) => !openIds.has(id),
      );
      const orders: ExchangeOrder[] = [];
      for (const id of ids.slice(0, 20)) orders.push(await exchange.fetchOrder(match.pair, id, signal));
      return pickMatch(orders, match, skewMs);
    },

    async verifyCredentials(signal) {
      return verify(signal);
    },
  };

  async function verify(signal?: AbortSignal): Promise<CredentialReport> {
    const checks: Array<{ name: string; ok: boolean; code?: string }> = [];
    const check = async (
      name: string,
      work: () => Promise<unknown>,
      acceptCodes: readonly string[] = [],
    ): Promise<void> => {
      try {
        await work();
        checks.push({ name, ok: true });
      } catch (thrown) {
        const error = toBotError(thrown);
        if (error.code === 'EXCHANGE.AUTH') throw error;
        if (!acceptCodes.includes(error.code) && error.retryable) throw error;
        checks.push({ name, ok: acceptCodes.includes(error.code), code: error.code });
      }
    };
    await check('assets_read', () => exchange.fetchBalances(signal));
    await check('margin_status_read', () => exchange.fetchMarginStatus(signal));
    // Order permission without an order: an amount of 0 passes authentication and fails validation.
    let placed: unknown;
    await check(
      'order_permission',
      async () => {
        placed = await call(
          { what: 'order permission probe', kind: 'update', retry: false, ...(signal ? { signal } : {}) },
          () => raw.privatePostUserSpotOrder({ pair: 'btc_jpy', amount: '0', side: 'buy', type: 'limit', price: '1' }),
        );
        throw new BotError('INTERNAL', 'the zero-amount probe order was accepted');
      },
      ['EXCHANGE.ORDER_REJECTED', 'EXCHANGE.INSUFFICIENT_FUNDS'],
    );
    if (placed !== undefined)
      logger.error('credential probe order was accepted by the exchange', {
        code: 'INTERNAL',
        order: map.dataOf(placed),
      });
    return { ok: checks.every((c) => c.ok), checks };
  }

  return exchange;
}

function orderIdParam(orderId: string): number | string {
  const n = Number(orderId);
  return Number.isSafeInteger(n) ? n : orderId;
}

/** The adapter from the loaded settings (composition roots call this once per instance). */
export function bitbankExchangeFromConfig(
  config: Pick<
    Config,
    | 'BITBANK_PUBLIC_URL'
    | 'BITBANK_PRIVATE_URL'
    | 'BITBANK_MARKETS_URL'
    | 'BITBANK_API_KEY'
    | 'BITBANK_API_SECRET'
    | 'BITBANK_AUTH_METHOD'
    | 'EXCHANGE_CALL_TIMEOUT_MS'
  >,
  deps: { clock: Clock; random: RandomSource; logger: Logger },
): Exchange {
  return createBitbankExchange({
    publicUrl: config.BITBANK_PUBLIC_URL,
    privateUrl: config.BITBANK_PRIVATE_URL,
    marketsUrl: config.BITBANK_MARKETS_URL,
    ...(config.BITBANK_API_KEY ? { apiKey: config.BITBANK_API_KEY } : {}),
    ...(config.BITBANK_API_SECRET ? { apiSecret: config.BITBANK_API_SECRET } : {}),
    authMethod: config.BITBANK_AUTH_METHOD,
    callTimeoutMs: config.EXCHANGE_CALL_TIMEOUT_MS,
    ...deps,
  });
}
