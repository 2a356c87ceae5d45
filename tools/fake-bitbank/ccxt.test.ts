import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// ccxt's package.json exports only its root, so the test loads real ccxt through it.
import { AuthenticationError, bitbank } from 'ccxt';
import { DAY_MS, HOUR_MS, utcDayStartMs, type Candle } from '../../shared/core/candle.js';
import { BITBANK_BTC_JPY } from '../../shared/core/market-rules.js';
import { readCandlesCsv } from '../lib/csv.js';
import { startFakeBitbank, type FakeBitbank } from './server.js';

/** Real ccxt 4.5 (the bitbank class only) against the fake: the "done when" list. */
const candles: Candle[] = readCandlesCsv('data/candles/binance-btcusdt-1h-2017-2022.csv', { quotePerUsd: 150 }).slice(
  20_000,
  20_400,
);
let fake: FakeBitbank;

beforeAll(async () => {
  fake = await startFakeBitbank({ candles, apiKey: 'k', apiSecret: 's', initialJpy: 10_000_000, initialBtc: 0.5 });
});
afterAll(async () => fake.close());

function client(authMethod: 'timeWindow' | 'nonce', secret = 's'): bitbank {
  return new bitbank({
    apiKey: 'k',
    secret,
    urls: { api: { public: fake.url, private: fake.url, markets: fake.url } },
    options: { authMethod },
    enableLastJsonResponse: true,
  });
}

describe.each(['timeWindow', 'nonce'] as const)('ccxt bitbank against the fake, authMethod %s', (authMethod) => {
  const ex = (): bitbank => client(authMethod);

  it('fetches markets with bitbank lot, tick, min amount and fees', async () => {
    const markets = await ex().fetchMarkets();
    const btc = markets.find((m) => m?.symbol === 'BTC/JPY');
    expect(btc?.precision).toEqual({ amount: 0.0001, price: 1 });
    expect(btc?.limits.amount?.min).toBe(0.0001);
    expect([btc?.maker, btc?.taker]).toEqual([BITBANK_BTC_JPY.makerFeeRate, BITBANK_BTC_JPY.takerFeeRate]);
    expect(btc?.info.margin_long_interest).toBeTypeOf('string');
  });

  it('fetches the ticker derived from the last closed bar', async () => {
    const ticker = await ex().fetchTicker('BTC/JPY');
    const lastClosed = candles[199] as Candle;
    expect(Math.abs((ticker.last as number) - lastClosed.close)).toBeLessThanOrEqual(0.5);
    expect(Number.isInteger(ticker.last)).toBe(true);
    expect(ticker.bid).toBeLessThan(ticker.last as number);
    expect(ticker.ask).toBeGreaterThan(ticker.last as number);
  });

  it('fetches one UTC day of 1h candles equal to the replayed file', async () => {
    const nowMs = (candles[199] as Candle).openTimeMs + HOUR_MS;
    const dayStart = utcDayStartMs(nowMs) - DAY_MS;
    const ohlcv = await ex().fetchOHLCV('BTC/JPY', '1h', dayStart);
    const expected = candles.filter((c) => c.openTimeMs >= dayStart && c.openTimeMs < dayStart + DAY_MS);
    expect(ohlcv.map((row) => row[0])).toEqual(expected.map((c) => c.openTimeMs));
    expect(Math.abs((ohlcv[5]?.[4] as number) - (expected[5]?.close as number))).toBeLessThanOrEqual(0.5);
  });

  it('fetches the balance, places, fetches and cancels a limit order', async () => {
    const e = ex();
    const before = await e.fetchBalance();
    const bid = Math.round(((await e.fetchTicker('BTC/JPY')).last as number) * 0.9);
    const order = await e.createOrder('BTC/JPY', 'limit', 'buy', 0.001, bid);
    expect(order.status).toBe('open');
    const fetched = await e.fetchOrder(order.id as string, 'BTC/JPY');
    expect([fetched.id, fetched.price, fetched.amount, fetched.remaining]).toEqual([order.id, bid, 0.001, 0.001]);
    const locked = await e.fetchBalance();
    expect(locked.JPY?.used).toBeCloseTo((before.JPY?.used ?? 0) + bid * 0.001, 4);
    const canceled = await e.cancelOrder(order.id as string, 'BTC/JPY');
    expect(canceled.status).toBe('canceled');
    expect((await e.fetchBalance()).JPY?.used).toBe(before.JPY?.used);
  });

  it('opens and closes a margin short with position_side', async () => {
    const e = ex();
    const opened = await e.createOrder('BTC/JPY', 'market', 'sell', 0.002, undefined, { position_side: 'short' });
    expect(opened.status).toBe('closed');
    const positions = await e.privateGetUserMarginPositions();
    expect(positions.data.positions).toEqual([
      expect.objectContaining({ position_side: 'short', open_amount: '0.0020' }),
    ]);
    const closed = await e.createOrder('BTC/JPY', 'market', 'buy', 0.002, undefined, { position_side: 'short' });
    expect(closed.filled).toBe(0.002);
    expect((await e.privateGetUserMarginPositions()).data.positions).toEqual([]);
    const trades = await e.fetchMyTrades('BTC/JPY');
    const closing = trades.find((t) => t.order === closed.id);
    expect(closing?.info.profit_loss).toMatch(/^-?\d+\.\d{4}$/);
    expect((await e.privateGetUserMarginStatus()).data.status).toBe('NORMAL');
  });

  it('reads the order book, public trades, spot status, open orders, trades since a time and a stop order', async () => {
    const e = ex();
    const book = await e.fetchOrderBook('BTC/JPY');
    expect((book.asks[0]?.[0] as number) > (book.bids[0]?.[0] as number)).toBe(true);
    expect((await e.fetchTrades('BTC/JPY')).length).toBeGreaterThan(0);
    expect((await e.privateGetSpotStatus()).data.statuses[0].min_amount).toBe('0.0001');
    const last = (await e.fetchTicker('BTC/JPY')).last as number;
    const stop = await e.createOrder('BTC/JPY', 'stop', 'sell', 0.001, undefined, {
      trigger_price: String(Math.round(last * 0.8)),
    });
    expect(stop.info.status).toBe('INACTIVE');
    const open = await e.fetchOpenOrders('BTC/JPY', Date.now() - DAY_MS * 10_000);
    expect(open.map((o) => o.id)).toContain(stop.id);
    await e.cancelOrder(stop.id as string, 'BTC/JPY');
    const filled = await e.createOrder('BTC/JPY', 'market', 'buy', 0.0001);
    const trades = await e.fetchMyTrades('BTC/JPY', (candles[199] as Candle).openTimeMs);
    expect(trades.map((t) => t.order)).toContain(filled.id);
  });

  it('rejects a wrong secret with bitbank auth code 20001', async () => {
    const e = client(authMethod, 'wrong');
    await expect(e.fetchBalance()).rejects.toThrow(AuthenticationError);
    expect(e.last_json_response).toEqual({ success: 0, data: { code: 20001 } });
  });
});
