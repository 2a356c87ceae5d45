import { afterEach, describe, expect, it } from 'vitest';
import { HOUR_MS, type Candle } from '../../shared/core/candle.js';
import { signBitbank } from './auth.js';
import { startFakeBitbank, type FakeBitbank, type FakeBitbankOptions } from './server.js';

const T0 = Date.UTC(2024, 0, 1);
/** 300 hourly bars around 10M JPY; the bar at index 230 is missing (a real gap stays a gap). */
const candles: Candle[] = Array.from({ length: 300 }, (_, i) => {
  const open = 10_000_000 + (i % 10) * 10_000;
  return {
    openTimeMs: T0 + i * HOUR_MS,
    open,
    high: open + 50_000,
    low: open - 50_000,
    close: open + 10_000,
    volume: 10,
  };
}).filter((_, i) => i !== 230);

let fake: FakeBitbank | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: Partial<FakeBitbankOptions> = {}): Promise<FakeBitbank> {
  fake = await startFakeBitbank({ candles, apiKey: 'k', apiSecret: 's', ...options });
  return fake;
}

async function json(res: Response): Promise<unknown> {
  return res.json();
}

/** A signed private call, time-window method, as ccxt makes it. */
function signed(
  f: FakeBitbank,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  signal?: AbortSignal,
  windowMs = 5000,
): Promise<Response> {
  const time = String(Date.now());
  const raw = body === undefined ? '' : JSON.stringify(body);
  const signature = signBitbank('s', time + String(windowMs) + (method === 'GET' ? path : raw));
  const headers = {
    'content-type': 'application/json',
    'access-key': 'k',
    'access-request-time': time,
    'access-time-window': String(windowMs),
    'access-signature': signature,
  };
  return fetch(f.url + path, { method, headers, body: method === 'POST' ? raw : undefined, signal });
}

const admin = (f: FakeBitbank, method: string, path: string, body?: unknown): Promise<Response> =>
  fetch(`${f.url}/__admin/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('fake bitbank server: replay clock and candles', () => {
  it('serves only closed bars of the UTC day, keeps gaps, and moves with the clock', async () => {
    const f = await start({ nowMs: T0 + 9 * 24 * HOUR_MS + 5 * HOUR_MS + 1234 });
    const day = (d: string) =>
      fetch(`${f.url}/btc_jpy/candlestick/1hour/${d}`).then(json) as Promise<{
        data: { candlestick: Array<{ ohlcv: unknown[][] }> };
      }>;
    expect((await day('20240110')).data.candlestick[0]?.ohlcv.map((r) => r[5])).toEqual(
      [0, 1, 2, 3, 4].map((h) => T0 + (216 + h) * HOUR_MS),
    );
    expect((await day('20240102')).data.candlestick[0]?.ohlcv).toHaveLength(24);
    await f.setClock(T0 + 11 * 24 * HOUR_MS);
    expect((await day('20240110')).data.candlestick[0]?.ohlcv).toHaveLength(23); // the gap stays a gap
    expect(await fetch(`${f.url}/btc_jpy/candlestick/1hour/2024011`).then((r) => r.status)).toBe(404);
  });

  it('fills a resting order when the clock passes a bar that crosses it; refuses to go back', async () => {
    const f = await start();
    const placed = (await signed(f, 'POST', '/v1/user/spot/order', {
      pair: 'btc_jpy',
      side: 'buy',
      type: 'limit',
      amount: '0.01',
      price: '9960000',
    }).then(json)) as { data: { order_id: number; status: string } };
    expect(placed.data.status).toBe('UNFILLED');
    const clock = (await admin(f, 'GET', 'clock').then(json)) as { nowMs: number };
    expect(await admin(f, 'POST', 'clock', { nowMs: clock.nowMs + 2 * HOUR_MS }).then(json)).toEqual({
      nowMs: clock.nowMs + 2 * HOUR_MS,
    });
    const orders = (await admin(f, 'GET', 'orders').then(json)) as {
      orders: Array<{ order_id: number; status: string }>;
    };
    expect(orders.orders).toEqual([
      expect.objectContaining({ order_id: placed.data.order_id, status: 'FULLY_FILLED' }),
    ]);
    expect(await admin(f, 'POST', 'clock', { nowMs: clock.nowMs }).then((r) => r.status)).toBe(400);
  });
});

describe('fake bitbank server: envelopes, auth and admin', () => {
  it('answers bitbank envelopes: 10000 for unknown paths, 10002 for bad JSON, 20001 unsigned; status needs no key', async () => {
    const f = await start();
    expect(await fetch(`${f.url}/v1/nothing`).then(async (r) => [r.status, await r.json()])).toEqual([
      404,
      { success: 0, data: { code: 10000 } },
    ]);
    expect(await fetch(`${f.url}/v1/user/assets`).then(json)).toEqual({ success: 0, data: { code: 20001 } });
    expect(await fetch(`${f.url}/v1/spot/status`).then(json)).toEqual({
      success: 1,
      data: { statuses: [{ pair: 'btc_jpy', status: 'NORMAL', min_amount: '0.0001' }] },
    });
    const time = String(Date.now());
    const res = await fetch(`${f.url}/v1/user/spot/order`, {
      method: 'POST',
      body: '{bad',
      headers: {
        'access-key': 'k',
        'access-request-time': time,
        'access-time-window': '5000',
        'access-signature': signBitbank('s', `${time}5000{bad`),
      },
    });
    expect(await res.json()).toEqual({ success: 0, data: { code: 10002 } });
  });

  it('sets balances, raises the min amount, and counts requests by path', async () => {
    const f = await start();
    await admin(f, 'POST', 'balances', { jpy: 5, btc: 2 });
    const assets = (await signed(f, 'GET', '/v1/user/assets').then(json)) as {
      data: { assets: Array<{ asset: string; onhand_amount: string }> };
    };
    expect(assets.data.assets.map((a) => [a.asset, a.onhand_amount])).toEqual([
      ['jpy', '5.0000'],
      ['btc', '2.00000000'],
    ]);
    const read = (await admin(f, 'GET', 'balances').then(json)) as {
      assets: Array<{ asset: string; onhand_amount: string }>;
    };
    expect(read.assets.map((a) => [a.asset, a.onhand_amount])).toEqual([
      ['jpy', '5.0000'],
      ['btc', '2.00000000'],
    ]);
    await admin(f, 'POST', 'market', { minAmount: '0.01' });
    expect(
      await signed(f, 'POST', '/v1/user/spot/order', {
        pair: 'btc_jpy',
        side: 'sell',
        type: 'market',
        amount: '0.001',
      }).then(json),
    ).toEqual({ success: 0, data: { code: 60004 } });
    expect(((await admin(f, 'GET', 'requests').then(json)) as { count: Record<string, number> }).count).toEqual({
      '/v1/user/assets': 1,
      '/v1/user/spot/order': 1,
    });
  });
});

describe('fake bitbank server: faults', () => {
  it('answers scripted errors, then is consumed', async () => {
    const f = await start();
    await admin(f, 'POST', 'faults', {
      path: '/v1/user/spot/order',
      method: 'POST',
      kind: 'bitbank-error',
      code: 70011,
    });
    await admin(f, 'POST', 'faults', { path: '/btc_jpy/ticker', kind: 'http-status', status: 429 });
    await admin(f, 'POST', 'faults', { path: '/btc_jpy', kind: 'maintenance' });
    const order = { pair: 'btc_jpy', side: 'buy', type: 'market', amount: '0.0001' };
    expect(await signed(f, 'POST', '/v1/user/spot/order', order).then(json)).toEqual({
      success: 0,
      data: { code: 70011 },
    });
    expect(((await signed(f, 'POST', '/v1/user/spot/order', order).then(json)) as { success: number }).success).toBe(1);
    expect(await fetch(`${f.url}/btc_jpy/ticker`).then(async (r) => [r.status, await r.json()])).toEqual([
      429,
      { success: 0, data: { code: 10009 } },
    ]);
    expect(await fetch(`${f.url}/btc_jpy/depth`).then(async (r) => [r.status, await r.json()])).toEqual([
      503,
      { success: 0, data: { code: 10007 } },
    ]);
    expect((await fetch(`${f.url}/btc_jpy/depth`)).status).toBe(200);
    expect(await admin(f, 'POST', 'faults', { path: '/x', kind: 'nope' }).then((r) => r.status)).toBe(400);
  });

  it('delays with latency and never answers a hang (the caller deadline wins; close still works)', async () => {
    const f = await start();
    await admin(f, 'POST', 'faults', { path: '/btc_jpy/ticker', kind: 'latency', latencyMs: 150 });
    const started = performance.now();
    expect((await fetch(`${f.url}/btc_jpy/ticker`)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    await admin(f, 'POST', 'faults', { path: '/v1/user/assets', kind: 'hang' });
    await expect(signed(f, 'GET', '/v1/user/assets', undefined, AbortSignal.timeout(200))).rejects.toThrow(
      /abort|timeout/i,
    );
  });

  it('drop-after-accept records the order and destroys the connection without an answer', async () => {
    const f = await start();
    await admin(f, 'POST', 'faults', { path: '/v1/user/spot/order', kind: 'drop-after-accept' });
    await expect(
      signed(f, 'POST', '/v1/user/spot/order', {
        pair: 'btc_jpy',
        side: 'buy',
        type: 'limit',
        amount: '0.001',
        price: '9000000',
      }),
    ).rejects.toThrow();
    const orders = (await admin(f, 'GET', 'orders').then(json)) as { orders: Array<{ price: string; status: string }> };
    expect(orders.orders).toEqual([expect.objectContaining({ price: '9000000', status: 'UNFILLED' })]);
    const active = (await signed(f, 'GET', '/v1/user/spot/active_orders?pair=btc_jpy').then(json)) as {
      data: { orders: unknown[] };
    };
    expect(active.data.orders).toHaveLength(1);
  });

  const limitBuy = { pair: 'btc_jpy', side: 'buy', type: 'limit', amount: '0.001', price: '9000000' };
  const bookOrders = async (f: FakeBitbank) =>
    (
      (await admin(f, 'GET', 'orders').then(json)) as {
        orders: Array<{ order_id: number; price: string; status: string }>;
      }
    ).orders;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('latency drops a request whose client gave up: the exchange never applies it', async () => {
    const f = await start();
    await admin(f, 'POST', 'faults', { path: '/v1/user/spot/order', kind: 'latency', latencyMs: 300 });
    await expect(signed(f, 'POST', '/v1/user/spot/order', limitBuy, AbortSignal.timeout(100))).rejects.toThrow(
      /abort|timeout/i,
    );
    await sleep(500);
    expect(await bookOrders(f)).toEqual([]);
  });

  it('late-accept applies the order after acceptDelayMs although the client gave up at its deadline', async () => {
    const f = await start();
    await admin(f, 'POST', 'faults', {
      path: '/v1/user/spot/order',
      method: 'POST',
      kind: 'late-accept',
      acceptDelayMs: 1_200,
      delayMs: 1_500,
    });
    const started = performance.now();
    await expect(signed(f, 'POST', '/v1/user/spot/order', limitBuy, AbortSignal.timeout(150))).rejects.toThrow(
      /abort|timeout/i,
    );
    expect(await bookOrders(f)).toEqual([]); // not yet: the client's deadline came first
    await sleep(Math.max(0, 1_400 - (performance.now() - started)));
    expect(await bookOrders(f)).toEqual([expect.objectContaining({ price: '9000000', status: 'UNFILLED' })]);
    // consumed: the next order is answered at once
    expect(((await signed(f, 'POST', '/v1/user/spot/order', limitBuy).then(json)) as { success: number }).success).toBe(
      1,
    );
    expect(await bookOrders(f)).toHaveLength(2);
  });

  it('late-accept answers a waiting client after delayMs with the order it applied on arrival', async () => {
    const f = await start();
    await admin(f, 'POST', 'faults', { path: '/v1/user/spot/order', kind: 'late-accept', delayMs: 1_200 });
    const started = performance.now();
    const pending = signed(f, 'POST', '/v1/user/spot/order', limitBuy).then(json);
    await sleep(200);
    const during = await bookOrders(f);
    expect(during).toEqual([expect.objectContaining({ status: 'UNFILLED' })]); // in the book, not answered yet
    const answer = (await pending) as { success: number; data: { order_id: number } };
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_190);
    expect(answer).toMatchObject({ success: 1, data: { order_id: during[0]?.order_id } });
  });

  it('late-accept judges the request at arrival: a request time valid then is applied after its window closed', async () => {
    const f = await start();
    await admin(f, 'POST', 'faults', {
      path: '/v1/user/spot/order',
      kind: 'late-accept',
      acceptDelayMs: 1_300,
      noAnswer: true,
    });
    await expect(signed(f, 'POST', '/v1/user/spot/order', limitBuy, AbortSignal.timeout(200), 1_000)).rejects.toThrow(
      /abort|timeout/i,
    );
    await sleep(1_400);
    expect(await bookOrders(f)).toHaveLength(1);
    // a request refused on arrival (bad signature) is never applied, late or not
    await admin(f, 'POST', 'faults', {
      path: '/v1/user/spot/order',
      kind: 'late-accept',
      acceptDelayMs: 100,
      delayMs: 100,
    });
    const forged = await fetch(`${f.url}/v1/user/spot/order`, {
      method: 'POST',
      body: JSON.stringify(limitBuy),
      headers: {
        'content-type': 'application/json',
        'access-key': 'k',
        'access-request-time': String(Date.now()),
        'access-signature': 'bad',
      },
    });
    expect(((await forged.json()) as { success: number }).success).toBe(0);
    expect(await bookOrders(f)).toHaveLength(1);
  });

  it('late-accept with noAnswer never answers; close() still ends the connection', async () => {
    const f = await start();
    await admin(f, 'POST', 'faults', { path: '/v1/user/spot/order', kind: 'late-accept', noAnswer: true });
    await expect(signed(f, 'POST', '/v1/user/spot/order', limitBuy, AbortSignal.timeout(300))).rejects.toThrow(
      /abort|timeout/i,
    );
    expect(await bookOrders(f)).toHaveLength(1);
  });

  it('enforces UPDATE 6/s per key when rate limiting is on', async () => {
    const f = await start({ rateLimit: true });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1)
      statuses.push((await signed(f, 'POST', '/v1/user/spot/cancel_order', { pair: 'btc_jpy', order_id: 1 })).status);
    expect(statuses.slice(0, 6).every((s) => s === 200)).toBe(true);
    expect(statuses[6]).toBe(429);
  });
});
