import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { HOUR_MS, type Candle } from '../shared/core/candle.js';
import { BotError } from '../shared/core/errors.js';
import { BITBANK_FEE_SCHEDULE } from '../shared/core/market-rules.js';
import { systemClock } from '../shared/adapters/system-clock.js';
import { JsonLogger } from '../shared/adapters/json-logger.js';
import { createBitbankExchange, type BitbankExchangeOptions } from '../shared/adapters/bitbank/bitbank-exchange.js';
import type { Exchange } from '../shared/ports/exchange.port.js';
import { readCandlesCsv } from '../tools/lib/csv.js';
import { startFakeBitbank, type FakeBitbank } from '../tools/fake-bitbank/server.js';
import { exchangeContract, onMarket } from './support/exchange-contract.js';

/** The Exchange contract for the bitbank adapter through real ccxt against the fake bitbank, both signing methods; then faults. */
const ALL = readCandlesCsv(join(import.meta.dirname, '../data/candles/binance-btcusdt-1h-2017-2022.csv'), {
  quotePerUsd: 150,
});
const START = ALL.findIndex((c) => c.openTimeMs === Date.UTC(2021, 0, 1));
const CANDLES: Candle[] = ALL.slice(START, START + 400);
const KEY = 'contract-key';
const SECRET = 'contract-secret';
const quietLogger = new JsonLogger({ write: () => undefined });

function adapter(fake: FakeBitbank, over: Partial<BitbankExchangeOptions> = {}): Exchange {
  return createBitbankExchange({
    publicUrl: fake.url,
    privateUrl: fake.url,
    marketsUrl: fake.url,
    apiKey: KEY,
    apiSecret: SECRET,
    authMethod: 'time-window',
    callTimeoutMs: 3_000,
    clock: systemClock,
    random: Math.random,
    logger: quietLogger,
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
    ...over,
  });
}

async function admin<T = unknown>(fake: FakeBitbank, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${fake.url}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  if (!response.ok) throw new Error(`admin ${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

it('the replayed slice has no gaps (so every expected bar exists)', () => {
  expect(CANDLES).toHaveLength(400);
  for (let i = 1; i < CANDLES.length; i += 1) expect(CANDLES[i]!.openTimeMs - CANDLES[i - 1]!.openTimeMs).toBe(HOUR_MS);
});

// Both markets with one signing method; margin with the other (signing does not depend on the market).
for (const authMethod of ['time-window', 'nonce'] as const) {
  exchangeContract(
    `bitbank adapter + fake bitbank (${authMethod})`,
    async (market) => {
      const fake = await startFakeBitbank({
        candles: CANDLES,
        apiKey: KEY,
        apiSecret: SECRET,
        initialJpy: 10_000_000,
        maxFillFractionOfVolume: 0.00001,
      });
      let nowMs = CANDLES[199]!.openTimeMs + HOUR_MS;
      return {
        exchange: onMarket(adapter(fake, { authMethod }), market, () => nowMs),
        candles: CANDLES,
        nowMs: () => nowMs,
        advanceTo: async (t) => {
          await fake.setClock(t);
          nowMs = t;
        },
        partialFills: true,
        close: () => fake.close(),
      };
    },
    authMethod === 'time-window' ? ['margin', 'spot'] : ['margin'],
  );
}

describe('bitbank adapter against the fake: errors, faults, deadlines', () => {
  let fake: FakeBitbank;
  let ex: Exchange;
  const PAIR = 'btc_jpy';
  const fault = (spec: Record<string, unknown>): Promise<unknown> => admin(fake, 'POST', '/__admin/faults', spec);
  const count = async (path: string): Promise<number> =>
    (await admin<{ count: Record<string, number> }>(fake, 'GET', '/__admin/requests')).count[path] ?? 0;
  const adminOrders = async (): Promise<unknown[]> =>
    (await admin<{ orders: unknown[] }>(fake, 'GET', '/__admin/orders')).orders;
  const failure = async (promise: Promise<unknown>): Promise<BotError> => {
    const error = await promise.then(
      () => new Error('expected a failure'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BotError);
    return error as BotError;
  };
  const limitBuy = { pair: PAIR, side: 'buy', type: 'limit', amountBtc: '0.0010', priceJpy: '1000000' } as const;

  beforeAll(async () => {
    fake = await startFakeBitbank({ candles: CANDLES, apiKey: KEY, apiSecret: SECRET });
    ex = adapter(fake, { callTimeoutMs: 400 });
    await ex.loadMarketRules(PAIR);
  });
  afterAll(async () => fake?.close());

  it('a 5xx is retried and the read succeeds; a lasting one is EXCHANGE.UNAVAILABLE after bounded attempts', async () => {
    await fault({ path: '/v1/user/assets', kind: 'http-status', status: 502 });
    const before = await count('/v1/user/assets');
    expect((await ex.fetchBalances()).length).toBeGreaterThan(0);
    expect((await count('/v1/user/assets')) - before).toBe(2);
    await fault({ path: '/v1/user/assets', kind: 'http-status', status: 500, count: 10 });
    const error = await failure(ex.fetchBalances());
    expect([error.code, error.retryable]).toEqual(['EXCHANGE.UNAVAILABLE', true]);
    expect((await count('/v1/user/assets')) - before).toBe(5); // 2 + 3 attempts
    await admin(fake, 'DELETE', '/__admin/faults');
  });

  it('429 is EXCHANGE.RATE_LIMIT; maintenance is EXCHANGE.MAINTENANCE', async () => {
    await fault({ path: '/btc_jpy/ticker', kind: 'http-status', status: 429, count: 10 });
    expect((await failure(ex.fetchTicker(PAIR))).code).toBe('EXCHANGE.RATE_LIMIT');
    await admin(fake, 'DELETE', '/__admin/faults');
    await fault({ path: '/v1/user/margin/status', kind: 'maintenance', count: 10 });
    expect((await failure(ex.fetchMarginStatus())).code).toBe('EXCHANGE.MAINTENANCE');
    await admin(fake, 'DELETE', '/__admin/faults');
  });

  it.each([
    [20001, 'EXCHANGE.AUTH'],
    [20005, 'EXCHANGE.AUTH'],
    [20035, 'EXCHANGE.NONCE'],
    [60001, 'EXCHANGE.INSUFFICIENT_FUNDS'],
    [70020, 'EXCHANGE.CIRCUIT_BREAK'],
    [70025, 'EXCHANGE.ORDER_REJECTED'],
    [10009, 'EXCHANGE.RATE_LIMIT'],
    [10007, 'EXCHANGE.MAINTENANCE'],
  ])('bitbank error %i on an order is %s, and the order is sent once only', async (code, expected) => {
    const before = await count('/v1/user/spot/order');
    await fault({ path: '/v1/user/spot/order', method: 'POST', kind: 'bitbank-error', code, count: 5 });
    expect((await failure(ex.placeOrder(limitBuy))).code).toBe(expected);
    expect((await count('/v1/user/spot/order')) - before).toBe(1);
    await admin(fake, 'DELETE', '/__admin/faults');
  });

  it('auth and nonce errors on reads are not retried', async () => {
    for (const code of [20001, 20036]) {
      const before = await count('/v1/user/assets');
      await fault({ path: '/v1/user/assets', kind: 'bitbank-error', code, count: 5 });
      expect((await failure(ex.fetchBalances())).retryable).toBe(false);
      expect((await count('/v1/user/assets')) - before).toBe(1);
      await admin(fake, 'DELETE', '/__admin/faults');
    }
  });

  it('a hung call is abandoned at its deadline (measured)', async () => {
    const noRetry = adapter(fake, { callTimeoutMs: 300, retry: { maxAttempts: 1 } });
    await fault({ path: '/btc_jpy/ticker', kind: 'hang' });
    const started = performance.now();
    const error = await failure(noRetry.fetchTicker(PAIR));
    const elapsedMs = performance.now() - started;
    expect([error.code, error.retryable]).toEqual(['EXCHANGE.TIMEOUT', true]);
    expect(elapsedMs).toBeGreaterThanOrEqual(290);
    expect(elapsedMs).toBeLessThan(1_000);
  });

  it('a hung order is a retryable timeout; the look-up finds nothing, and nothing was placed', async () => {
    const notBeforeMs = (await admin<{ nowMs: number }>(fake, 'GET', '/__admin/clock')).nowMs;
    const ordersBefore = (await adminOrders()).length;
    await fault({ path: '/v1/user/spot/order', method: 'POST', kind: 'hang' });
    const started = performance.now();
    const error = await failure(ex.placeOrder(limitBuy));
    expect(performance.now() - started).toBeLessThan(1_200);
    expect([error.code, error.retryable]).toEqual(['EXCHANGE.TIMEOUT', true]);
    expect(await ex.findOrder({ ...limitBuy, notBeforeMs })).toBeUndefined();
    expect((await adminOrders()).length).toBe(ordersBefore);
  });

  it('a dropped answer after the order was accepted: retryable error, findOrder finds it, exactly one order exists', async () => {
    const notBeforeMs = (await admin<{ nowMs: number }>(fake, 'GET', '/__admin/clock')).nowMs;
    const ordersBefore = (await adminOrders()).length;
    const request = { ...limitBuy, priceJpy: '1000001' };
    await fault({ path: '/v1/user/spot/order', method: 'POST', kind: 'drop-after-accept' });
    const error = await failure(ex.placeOrder(request));
    expect(error.retryable).toBe(true);
    expect(['EXCHANGE.UNAVAILABLE', 'EXCHANGE.TIMEOUT']).toContain(error.code);
    const found = await ex.findOrder({ ...request, notBeforeMs });
    expect(found).toMatchObject({ priceJpy: '1000001', amountBtc: '0.0010', status: 'UNFILLED' });
    expect((await adminOrders()).length).toBe(ordersBefore + 1);
    await ex.cancelOrder(PAIR, found!.orderId);
  });

  it('a raised minimum amount is read from /v1/spot/status and enforced before sending', async () => {
    await admin(fake, 'POST', '/__admin/market', { minAmount: '0.0050' });
    const rules = await ex.loadMarketRules(PAIR);
    expect(rules.minAmountBtc).toBe('0.0050');
    const before = await count('/v1/user/spot/order');
    expect((await failure(ex.placeOrder(limitBuy))).code).toBe('EXCHANGE.ORDER_REJECTED');
    expect(await count('/v1/user/spot/order')).toBe(before);
    await admin(fake, 'POST', '/__admin/market', { minAmount: '0.0001' });
    await ex.loadMarketRules(PAIR);
  });

  it('fees and interest are read from /spot/pairs as the fake serves them; an absent field takes the documented schedule', async () => {
    await admin(fake, 'POST', '/__admin/market', {
      makerFeeRate: '-0.0001',
      takerFeeRate: '0.0015',
      marginInterestDaily: '0.0003',
    });
    expect(await ex.loadMarketRules(PAIR)).toMatchObject({
      makerFeeRate: -0.0001,
      takerFeeRate: 0.0015,
      marginMakerFeeRate: -0.0001,
      marginTakerFeeRate: 0.0015,
      marginLongInterestDaily: 0.0003,
      marginShortInterestDaily: 0.0003,
    });
    await admin(fake, 'POST', '/__admin/market', { makerFeeRate: null, takerFeeRate: null, marginInterestDaily: null });
    const defaulted = await ex.loadMarketRules(PAIR);
    expect(defaulted).toMatchObject({
      makerFeeRate: BITBANK_FEE_SCHEDULE.makerFeeRate,
      takerFeeRate: BITBANK_FEE_SCHEDULE.takerFeeRate,
      marginLongInterestDaily: BITBANK_FEE_SCHEDULE.marginInterestDaily,
    });
    expect(defaulted.defaultedFields).toEqual(
      expect.arrayContaining(['maker_fee_rate_quote', 'taker_fee_rate_quote', 'margin_long_interest']),
    );
    await admin(fake, 'POST', '/__admin/market', {
      makerFeeRate: String(BITBANK_FEE_SCHEDULE.makerFeeRate),
      takerFeeRate: String(BITBANK_FEE_SCHEDULE.takerFeeRate),
      marginInterestDaily: String(BITBANK_FEE_SCHEDULE.marginInterestDaily),
    });
    expect((await ex.loadMarketRules(PAIR)).defaultedFields).toBeUndefined();
  });

  it('a circuit break is reported and market orders are refused with EXCHANGE.CIRCUIT_BREAK', async () => {
    await admin(fake, 'POST', '/__admin/market', { circuitBreakMode: 'CIRCUIT_BREAK' });
    expect(await ex.fetchCircuitBreakMode(PAIR)).toBe('CIRCUIT_BREAK');
    expect((await failure(ex.placeOrder({ pair: PAIR, side: 'buy', type: 'market', amountBtc: '0.0001' }))).code).toBe(
      'EXCHANGE.CIRCUIT_BREAK',
    );
    await admin(fake, 'POST', '/__admin/market', { circuitBreakMode: 'NONE' });
  });

  it('a candle day that fails fails the fetch; settled bars the exchange lacks are an explicit gap, recent ones DATA.MISSING_CANDLES', async () => {
    const nowMs = (await admin<{ nowMs: number }>(fake, 'GET', '/__admin/clock')).nowMs;
    const day = new Date(nowMs - 30 * HOUR_MS).toISOString().slice(0, 10).replaceAll('-', '');
    await fault({ path: `/btc_jpy/candlestick/1hour/${day}`, kind: 'http-status', status: 404, code: 10000 });
    const error = await failure(
      ex.fetchClosedCandles({ pair: PAIR, timeframe: '1h', fromMs: nowMs - 72 * HOUR_MS, toMs: nowMs, nowMs }),
    );
    expect(error.code).toBe('EXCHANGE.BAD_RESPONSE');
    // settled bars the exchange never had (before its replayed history) are a gap, not padded, not an error
    const first = CANDLES[0]!.openTimeMs;
    const around = await ex.fetchClosedCandles({
      pair: PAIR,
      timeframe: '1h',
      fromMs: first - 5 * HOUR_MS,
      toMs: first + 5 * HOUR_MS,
      nowMs,
    });
    expect(around.map((c) => c.openTimeMs)).toEqual(CANDLES.slice(0, 5).map((c) => c.openTimeMs));
    // bars that should have closed by now but are not published yet fail, retryable
    const early = await failure(
      ex.fetchClosedCandles({
        pair: PAIR,
        timeframe: '1h',
        fromMs: nowMs - 3 * HOUR_MS,
        toMs: nowMs + 2 * HOUR_MS,
        nowMs: nowMs + 2 * HOUR_MS,
      }),
    );
    expect(early.code).toBe('DATA.MISSING_CANDLES');
    expect(early.retryable).toBe(true);
  });

  it('without keys: public data and market rules work, private calls are EXCHANGE.AUTH', async () => {
    const anonymous = adapter(fake, { apiKey: undefined, apiSecret: undefined });
    expect((await anonymous.loadMarketRules(PAIR)).lotBtc).toBe('0.0001');
    expect(Number((await anonymous.fetchTicker(PAIR)).lastJpy)).toBeGreaterThan(0);
    expect((await failure(anonymous.fetchBalances())).code).toBe('EXCHANGE.AUTH');
  });

  it('a wrong secret is EXCHANGE.AUTH, in both signing methods, and verifyCredentials says so', async () => {
    for (const authMethod of ['time-window', 'nonce'] as const) {
      const wrong = adapter(fake, { apiSecret: 'not-the-secret', authMethod });
      expect((await failure(wrong.fetchBalances())).code).toBe('EXCHANGE.AUTH');
      expect((await failure(wrong.verifyCredentials())).code).toBe('EXCHANGE.AUTH');
    }
  });
});
