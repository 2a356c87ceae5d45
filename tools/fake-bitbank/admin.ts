import { z } from 'zod';
import { orderPayload } from './payloads.js';
import type { FakeExchange } from './exchange.js';
import type { Faults } from './faults.js';

/**
 * Test and replay control, plain JSON (no bitbank envelope, no signature):
 * POST /__admin/clock {nowMs} | GET /__admin/clock; POST /__admin/faults {...} (see faults.ts) | DELETE /__admin/faults;
 * GET /__admin/orders; GET /__admin/positions; POST /__admin/balances {jpy?, btc?} | GET /__admin/balances (the assets);
 * GET /__admin/requests -> {count: {path: n}}; POST /__admin/market {minAmount?, status?,
 * stopMarginLongOrder?, stopMarginShortOrder?, circuitBreakMode?, makerFeeRate?, takerFeeRate?, marginInterestDaily?}
 * (rates as decimal strings; null leaves the field out of /spot/pairs).
 */
const ClockBody = z.object({ nowMs: z.number().int() });
const BalancesBody = z.object({ jpy: z.number().nonnegative().optional(), btc: z.number().nonnegative().optional() });
const MarketBody = z.object({
  minAmount: z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .optional(),
  status: z.enum(['NORMAL', 'BUSY', 'VERY_BUSY']).optional(),
  stopMarginLongOrder: z.boolean().optional(),
  stopMarginShortOrder: z.boolean().optional(),
  circuitBreakMode: z.enum(['NONE', 'CIRCUIT_BREAK', 'FULL_RANGE_CIRCUIT_BREAK', 'RESUMPTION', 'LISTING']).optional(),
  makerFeeRate: z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .nullable()
    .optional(),
  takerFeeRate: z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .nullable()
    .optional(),
  marginInterestDaily: z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .nullable()
    .optional(),
});

export interface AdminContext {
  exchange: FakeExchange;
  faults: Faults;
  requestCounts: Map<string, number>;
}

/** Returns `[status, json]`, or `undefined` when the path is not an admin endpoint. */
export function handleAdmin(
  ctx: AdminContext,
  method: string,
  path: string,
  body: unknown,
): [number, unknown] | undefined {
  const { exchange, faults } = ctx;
  const key = `${method} ${path}`;
  switch (key) {
    case 'GET /__admin/clock':
      return [200, { nowMs: exchange.nowMs }];
    case 'POST /__admin/clock':
      exchange.setClock(ClockBody.parse(body).nowMs);
      return [200, { nowMs: exchange.nowMs }];
    case 'POST /__admin/faults':
      return [200, { fault: faults.add(body) }];
    case 'DELETE /__admin/faults':
      faults.clear();
      return [200, { cleared: true }];
    case 'GET /__admin/orders':
      return [200, { orders: exchange.book.orders.map(orderPayload) }];
    case 'GET /__admin/positions':
      return [200, exchange.marginPositions()];
    case 'GET /__admin/balances':
      return [200, exchange.assets()];
    case 'POST /__admin/balances':
      exchange.setBalances(BalancesBody.parse(body));
      return [200, exchange.assets()];
    case 'GET /__admin/requests':
      return [200, { count: Object.fromEntries(ctx.requestCounts) }];
    case 'POST /__admin/market': {
      const m = MarketBody.parse(body);
      if (m.minAmount !== undefined) exchange.market.minAmountBtc = m.minAmount;
      if (m.status !== undefined) exchange.market.status = m.status;
      if (m.stopMarginLongOrder !== undefined) exchange.market.stopMarginLongOrder = m.stopMarginLongOrder;
      if (m.stopMarginShortOrder !== undefined) exchange.market.stopMarginShortOrder = m.stopMarginShortOrder;
      if (m.circuitBreakMode !== undefined) exchange.market.circuitBreakMode = m.circuitBreakMode;
      if (m.makerFeeRate !== undefined) exchange.market.makerFeeRate = m.makerFeeRate;
      if (m.takerFeeRate !== undefined) exchange.market.takerFeeRate = m.takerFeeRate;
      if (m.marginInterestDaily !== undefined) exchange.market.marginInterestDaily = m.marginInterestDaily;
      return [200, { market: exchange.market }];
    }
    default:
      return path.startsWith('/__admin/') ? [404, { error: `no admin endpoint ${key}` }] : undefined;
  }
}
