import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OrderError } from '../../shared/core/errors.js';
import { systemClock } from '../../shared/adapters/system-clock.js';
import { JsonLogger } from '../../shared/adapters/json-logger.js';
import { createBitbankExchange } from '../../shared/adapters/bitbank/bitbank-exchange.js';
import type { Exchange } from '../../shared/ports/exchange.port.js';
import { readCandlesCsv } from '../lib/csv.js';
import { startFakeBitbank, type FakeBitbank } from '../fake-bitbank/server.js';
import { runLiveCheck } from './live-check.js';

/** `npm run live-check` against the fake bitbank over HTTP through the real adapter (real ccxt). */
const candles = readCandlesCsv('data/candles/binance-btcusdt-1h-2017-2022.csv', { quotePerUsd: 150 }).slice(
  30_000,
  30_300,
);
let fake: FakeBitbank;

const admin = async <T>(path: string, method = 'GET', body?: unknown): Promise<T> => {
  const response = await fetch(`${fake.url}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return (await response.json()) as T;
};
const openOnFake = async () =>
  (await admin<{ orders: Array<{ order_id: number; status: string }> }>('/__admin/orders')).orders.filter(
    (o) => o.status === 'UNFILLED' || o.status === 'PARTIALLY_FILLED' || o.status === 'INACTIVE',
  );
const positionsOnFake = async () =>
  (await admin<{ positions: Array<{ open_amount: string }> }>('/__admin/positions')).positions.filter(
    (p) => Number(p.open_amount) > 0,
  );

function adapter(): Exchange {
  return createBitbankExchange({
    publicUrl: fake.url,
    privateUrl: fake.url,
    marketsUrl: fake.url,
    apiKey: 'lc-key',
    apiSecret: 'lc-secret',
    authMethod: 'time-window',
    callTimeoutMs: 5_000,
    clock: systemClock,
    random: Math.random,
    logger: new JsonLogger({ write: () => undefined }),
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
  });
}

beforeAll(async () => {
  fake = await startFakeBitbank({ candles, apiKey: 'lc-key', apiSecret: 'lc-secret', initialJpy: 1_000_000 });
});
afterAll(async () => fake?.close());

describe('live-check against the fake bitbank', () => {
  const lines: string[] = [];
  beforeEach(() => {
    lines.length = 0;
  });

  it('passes every check with the minimum amount and leaves no order and no position behind', async () => {
    const report = await runLiveCheck(adapter(), { pair: 'btc_jpy', log: (l) => lines.push(l) });
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
      ['credentials', true],
      ['margin status', true],
      ['no open position', true],
      ['post_only honoured', true],
      ['position_side honoured', true],
      ['stop and take-profit rest together for the full size', true],
    ]);
    expect(report.ok).toBe(true);
    expect(report.cleanup).toMatchObject({ closedBtc: '0.0001', leftOpenOrders: [], leftPositionBtc: '0' });
    expect(report.cleanup.cancelled).toHaveLength(2); // the stop and the take-profit
    expect(await openOnFake()).toEqual([]);
    expect(await positionsOnFake()).toEqual([]);
  });

  it('a failing step (take-profit rejected) still cancels the stop and closes the position; the check fails', async () => {
    const real = adapter();
    const failing: Exchange = Object.create(real) as Exchange;
    failing.placeOrder = (request, signal) =>
      request.type === 'take_profit'
        ? Promise.reject(new OrderError('EXCHANGE.ORDER_REJECTED', 'bitbank 70020: take-profit refused'))
        : real.placeOrder(request, signal);
    const report = await runLiveCheck(failing, { pair: 'btc_jpy', log: (l) => lines.push(l) });
    expect(report.ok).toBe(false);
    expect(report.checks.at(-1)).toMatchObject({
      name: 'run',
      ok: false,
      detail: expect.stringContaining('EXCHANGE.ORDER_REJECTED'),
    });
    expect(report.cleanup).toMatchObject({ closedBtc: '0.0001', leftOpenOrders: [], leftPositionBtc: '0' });
    expect(await openOnFake()).toEqual([]);
    expect(await positionsOnFake()).toEqual([]);
  });

  it('refuses to run next to an open position and places nothing', async () => {
    const ex = adapter();
    await ex.placeOrder({ pair: 'btc_jpy', side: 'sell', positionSide: 'short', type: 'market', amountBtc: '0.0002' });
    const before = (await admin<{ orders: unknown[] }>('/__admin/orders')).orders.length;
    const report = await runLiveCheck(ex, { pair: 'btc_jpy', log: (l) => lines.push(l) });
    expect(report.ok).toBe(false);
    expect(report.checks.at(-1)).toMatchObject({ name: 'no open position', ok: false });
    expect((await admin<{ orders: unknown[] }>('/__admin/orders')).orders.length).toBe(before);
    await ex.placeOrder({ pair: 'btc_jpy', side: 'buy', positionSide: 'short', type: 'market', amountBtc: '0.0002' });
  });

  it('bad credentials stop at the first check, nothing placed', async () => {
    const bad = createBitbankExchange({
      publicUrl: fake.url,
      privateUrl: fake.url,
      marketsUrl: fake.url,
      apiKey: 'lc-key',
      apiSecret: 'wrong',
      authMethod: 'time-window',
      callTimeoutMs: 5_000,
      clock: systemClock,
      random: Math.random,
      logger: new JsonLogger({ write: () => undefined }),
      retry: { baseDelayMs: 20, maxDelayMs: 100 },
    });
    const before = (await admin<{ orders: unknown[] }>('/__admin/orders')).orders.length;
    const report = await runLiveCheck(bad, { pair: 'btc_jpy', log: (l) => lines.push(l) });
    expect(report.ok).toBe(false);
    expect(report.checks.map((c) => c.name)).toEqual([expect.stringMatching(/credentials|run/)]);
    expect((await admin<{ orders: unknown[] }>('/__admin/orders')).orders.length).toBe(before);
  });
});
