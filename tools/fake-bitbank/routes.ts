import { DAY_MS } from '../../shared/core/candle.js';
import type { FakeExchange } from './exchange.js';
import { PAIR, pairsPayload, statusPayload } from './market.js';
import { BitbankApiError } from './order-request.js';
import { toOhlcvRow } from './replay.js';

export interface RouteInput {
  readonly query: Record<string, string>;
  readonly body: Record<string, unknown>;
}

export interface Route {
  /** Private routes need a valid ACCESS-SIGNATURE. */
  readonly signed: boolean;
  readonly handle: (input: RouteInput) => unknown;
}

function utcDay(yyyymmdd: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(yyyymmdd);
  if (!match) throw new BitbankApiError(10000, 404);
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (new Date(ms).getUTCDate() !== Number(match[3])) throw new BitbankApiError(10000, 404);
  return ms;
}

/** Finds the handler for a method + path; `undefined` means bitbank's 10000 (URL not found). */
export function resolveRoute(
  exchange: FakeExchange,
  method: string,
  path: string,
  sequence: () => number,
): Route | undefined {
  const open = (handle: Route['handle']): Route => ({ signed: false, handle });
  const signed = (handle: Route['handle']): Route => ({ signed: true, handle });
  if (method === 'GET') {
    if (path === '/spot/pairs' || path === '/v1/spot/pairs') return open(() => pairsPayload(exchange.market));
    if (path === '/v1/spot/status') return open(() => statusPayload(exchange.market));
    if (path === '/tickers' || path === '/tickers_jpy')
      return open(() => [{ pair: PAIR, ...(exchange.replay.ticker(exchange.nowMs) as object) }]);
    const table: Record<string, Route['handle']> = {
      '/v1/user/assets': () => exchange.assets(),
      '/v1/user/spot/order': ({ query }) => exchange.getOrder(query),
      '/v1/user/spot/active_orders': ({ query }) => exchange.activeOrders(query),
      '/v1/user/spot/trade_history': ({ query }) => exchange.tradeHistory(query),
      '/v1/user/margin/status': () => exchange.marginStatus(),
      '/v1/user/margin/positions': () => exchange.marginPositions(),
    };
    const privateGet = table[path];
    if (privateGet) return signed(privateGet);
    return publicRoute(exchange, path, sequence);
  }
  if (method === 'POST') {
    const table: Record<string, Route['handle']> = {
      '/v1/user/spot/order': ({ body }) => exchange.createOrder(body),
      '/v1/user/spot/cancel_order': ({ body }) => exchange.cancelOrder(body),
      '/v1/user/spot/cancel_orders': ({ body }) => exchange.cancelOrders(body),
      '/v1/user/spot/orders_info': ({ body }) => exchange.ordersInfo(body),
    };
    const privatePost = table[path];
    return privatePost ? signed(privatePost) : undefined;
  }
  return undefined;
}

function publicRoute(exchange: FakeExchange, path: string, sequence: () => number): Route | undefined {
  const parts = path.split('/').slice(1);
  const [pair, kind, a, b] = parts;
  if (pair === undefined || kind === undefined || pair.startsWith('v1')) return undefined;
  const route = (handle: () => unknown): Route => ({
    signed: false,
    handle: () => {
      if (pair !== PAIR) throw new BitbankApiError(40017);
      return handle();
    },
  });
  const now = exchange.nowMs;
  if (kind === 'ticker' && parts.length === 2) return route(() => exchange.replay.ticker(now));
  if (kind === 'depth' && parts.length === 2) return route(() => exchange.replay.depth(now, sequence()));
  if (kind === 'circuit_break_info' && parts.length === 2) {
    return route(() => ({
      mode: exchange.market.circuitBreakMode,
      estimated_itayose_price: null,
      estimated_itayose_amount: null,
      itayose_upper_price: null,
      itayose_lower_price: null,
      upper_trigger_price: null,
      lower_trigger_price: null,
      fee_type: 'NORMAL',
      reopen_timestamp: null,
      timestamp: now,
    }));
  }
  if (kind === 'transactions' && parts.length <= 3) {
    return route(() => {
      const all = exchange.replay.transactions(now);
      if (a === undefined) return { transactions: all };
      const day = utcDay(a);
      return {
        transactions: all.filter((t) => (t.executed_at as number) >= day && (t.executed_at as number) < day + DAY_MS),
      };
    });
  }
  if (kind === 'candlestick' && parts.length === 4 && a !== undefined && b !== undefined) {
    return route(() => {
      if (a !== '1hour') throw new BitbankApiError(10000, 404);
      const rows = exchange.replay.day(utcDay(b), now).map(toOhlcvRow);
      return { candlestick: [{ type: a, ohlcv: rows }], timestamp: now };
    });
  }
  return undefined;
}
