import { z } from 'zod';
import { BotError } from '../../core/errors.js';
import { BITBANK_FEE_SCHEDULE } from '../../core/market-rules.js';
import type {
  AssetBalance,
  CircuitBreakMode,
  ExchangeOrder,
  ExchangeTrade,
  MarginPosition,
  MarginStatus,
  MarketRules,
  Ticker,
} from '../../ports/exchange.port.js';

/**
 * bitbank JSON -> domain types (`toDomain`), re-validated with zod: a field that does not parse
 * is EXCHANGE.BAD_RESPONSE, never a silent default. Numbers stay exact decimal strings.
 */
const DECIMAL = /^-?\d+(\.\d+)?$/;
const decimal = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .pipe(z.string().regex(DECIMAL));
const optionalDecimal = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v, ctx) => {
    if (v === null || v === undefined || v === '') return undefined;
    if (!DECIMAL.test(String(v))) ctx.addIssue({ code: 'custom', message: `not a decimal: ${v}` });
    return String(v);
  });
const ms = z.coerce.number().int().nonnegative();
const id = z.union([z.string(), z.number()]).transform((v) => String(v));
const side = z.enum(['buy', 'sell']);
const positionSide = z
  .enum(['long', 'short'])
  .nullish()
  .transform((v) => v ?? undefined);
/** The exchange's own loss-cut close is a market order in the port's terms (orders and trades alike). */
const orderType = z
  .enum(['limit', 'market', 'stop', 'stop_limit', 'take_profit', 'stop_loss', 'losscut'])
  .transform((type) => (type === 'losscut' ? 'market' : type));

export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new BotError(
      'EXCHANGE.BAD_RESPONSE',
      `${what}: unexpected answer (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`,
    );
  }
  return parsed.data;
}

export function dataOf(response: unknown): unknown {
  return (response as { data?: unknown } | undefined)?.data;
}

const orderSchema = z.object({
  order_id: id,
  pair: z.string(),
  side,
  position_side: positionSide,
  type: orderType,
  start_amount: decimal,
  remaining_amount: decimal,
  executed_amount: decimal,
  price: optionalDecimal,
  average_price: optionalDecimal,
  trigger_price: optionalDecimal,
  ordered_at: ms,
  status: z.enum([
    'INACTIVE',
    'UNFILLED',
    'PARTIALLY_FILLED',
    'FULLY_FILLED',
    'CANCELED_UNFILLED',
    'CANCELED_PARTIALLY_FILLED',
    'REJECTED',
  ]),
});

export function orderToDomain(raw: unknown): ExchangeOrder {
  const o = parseOrThrow(orderSchema, raw, 'order');
  return {
    orderId: o.order_id,
    pair: o.pair,
    side: o.side,
    ...(o.position_side ? { positionSide: o.position_side } : {}),
    type: o.type,
    amountBtc: o.start_amount,
    remainingBtc: o.remaining_amount,
    executedBtc: o.executed_amount,
    ...(o.price !== undefined ? { priceJpy: o.price } : {}),
    ...(o.average_price !== undefined ? { averagePriceJpy: o.average_price } : {}),
    ...(o.trigger_price !== undefined ? { triggerPriceJpy: o.trigger_price } : {}),
    status: o.status,
    orderedAtMs: o.ordered_at,
  };
}

export const ordersToDomain = (response: unknown): ExchangeOrder[] =>
  parseOrThrow(z.object({ orders: z.array(z.unknown()) }), dataOf(response), 'orders').orders.map(orderToDomain);

const tradeSchema = z.object({
  trade_id: id,
  order_id: id,
  pair: z.string(),
  side,
  position_side: positionSide,
  type: orderType,
  amount: decimal,
  price: decimal,
  maker_taker: z.enum(['maker', 'taker']),
  fee_amount_quote: decimal,
  profit_loss: optionalDecimal,
  interest: optionalDecimal,
  executed_at: ms,
});

export function tradesToDomain(response: unknown): ExchangeTrade[] {
  const { trades } = parseOrThrow(z.object({ trades: z.array(tradeSchema) }), dataOf(response), 'trades');
  return trades.map((t) => ({
    tradeId: t.trade_id,
    orderId: t.order_id,
    pair: t.pair,
    side: t.side,
    ...(t.position_side ? { positionSide: t.position_side } : {}),
    type: t.type,
    amountBtc: t.amount,
    priceJpy: t.price,
    feeJpy: t.fee_amount_quote,
    makerTaker: t.maker_taker,
    ...(t.profit_loss !== undefined ? { profitLossJpy: t.profit_loss } : {}),
    ...(t.interest !== undefined ? { interestJpy: t.interest } : {}),
    executedAtMs: t.executed_at,
  }));
}

export function tickerToDomain(pair: string, response: unknown): Ticker {
  const t = parseOrThrow(
    z.object({ sell: decimal, buy: decimal, last: decimal, timestamp: ms }),
    dataOf(response),
    'ticker',
  );
  return { pair, bidJpy: t.buy, askJpy: t.sell, lastJpy: t.last, timestampMs: t.timestamp };
}

export function circuitBreakToDomain(response: unknown): CircuitBreakMode {
  return parseOrThrow(
    z.object({ mode: z.enum(['NONE', 'CIRCUIT_BREAK', 'FULL_RANGE_CIRCUIT_BREAK', 'RESUMPTION', 'LISTING']) }),
    dataOf(response),
    'circuit break info',
  ).mode;
}

export function assetsToDomain(response: unknown): AssetBalance[] {
  const schema = z.object({
    assets: z.array(
      z.object({ asset: z.string(), free_amount: decimal, onhand_amount: decimal, locked_amount: decimal }),
    ),
  });
  return parseOrThrow(schema, dataOf(response), 'assets').assets.map((a) => ({
    asset: a.asset,
    freeAmount: a.free_amount,
    onhandAmount: a.onhand_amount,
    lockedAmount: a.locked_amount,
  }));
}

const percent = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v, ctx) => {
    if (v === null || v === undefined || v === '') return null;
    const n = Number(v);
    if (!Number.isFinite(n)) ctx.addIssue({ code: 'custom', message: `not a number: ${v}` });
    return n;
  });

export function marginStatusToDomain(response: unknown, pair: string): MarginStatus {
  const schema = z.object({
    status: z.enum(['NORMAL', 'LOSSCUT', 'CALL', 'DEBT', 'SETTLED']),
    total_margin_balance: decimal,
    total_margin_balance_percentage: percent,
    margin_call_percentage: percent,
    losscut_percentage: percent,
    available_balances: z.array(z.object({ pair: z.string(), long: decimal, short: decimal })).default([]),
  });
  const s = parseOrThrow(schema, dataOf(response), 'margin status');
  const available = s.available_balances.find((b) => b.pair === pair);
  return {
    status: s.status,
    totalMarginBalanceJpy: s.total_margin_balance,
    marginBalancePercentage: s.total_margin_balance_percentage,
    marginCallPercentage: s.margin_call_percentage,
    losscutPercentage: s.losscut_percentage,
    availableLongJpy: available?.long ?? '0',
    availableShortJpy: available?.short ?? '0',
  };
}

export function marginPositionsToDomain(response: unknown, pair: string): MarginPosition[] {
  const schema = z.object({
    positions: z.array(
      z.object({
        pair: z.string(),
        position_side: z.enum(['long', 'short']),
        open_amount: decimal,
        average_price: decimal,
        unrealized_fee_amount: decimal.default('0'),
        unrealized_interest_amount: decimal.default('0'),
      }),
    ),
  });
  return parseOrThrow(schema, dataOf(response), 'margin positions')
    .positions.filter((p) => p.pair === pair && Number(p.open_amount) !== 0)
    .map((p) => ({
      pair: p.pair,
      side: p.position_side,
      amountBtc: p.open_amount,
      averagePriceJpy: p.average_price,
      unrealizedFeeJpy: p.unrealized_fee_amount,
      unrealizedInterestJpy: p.unrealized_interest_amount,
    }));
}

const flag = z.union([z.boolean(), z.null(), z.undefined()]).transform((v) => v === true);
const optionalRate = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v, ctx) => {
    if (v === null || v === undefined || v === '') return undefined;
    if (!DECIMAL.test(String(v))) ctx.addIssue({ code: 'custom', message: `not a decimal: ${v}` });
    return Number(v);
  });

/** Cost fields of `/spot/pairs` and the documented schedule each takes when bitbank leaves it out. */
const COST_DEFAULTS = {
  maker_fee_rate_quote: BITBANK_FEE_SCHEDULE.makerFeeRate,
  taker_fee_rate_quote: BITBANK_FEE_SCHEDULE.takerFeeRate,
  margin_open_maker_fee_rate_quote: BITBANK_FEE_SCHEDULE.makerFeeRate,
  margin_open_taker_fee_rate_quote: BITBANK_FEE_SCHEDULE.takerFeeRate,
  margin_close_maker_fee_rate_quote: BITBANK_FEE_SCHEDULE.makerFeeRate,
  margin_close_taker_fee_rate_quote: BITBANK_FEE_SCHEDULE.takerFeeRate,
  margin_long_interest: BITBANK_FEE_SCHEDULE.marginInterestDaily,
  margin_short_interest: BITBANK_FEE_SCHEDULE.marginInterestDaily,
} as const;
type CostField = keyof typeof COST_DEFAULTS;
const costSchema = z.object(
  Object.fromEntries(Object.keys(COST_DEFAULTS).map((k) => [k, optionalRate])) as Record<
    CostField,
    typeof optionalRate
  >,
);

/**
 * Market rules from the raw `/spot/pairs` entry and the `/v1/spot/status` min amount (which can rise).
 * A cost field bitbank leaves out takes the documented schedule (shared/core/market-rules.ts) and is
 * named in `defaultedFields` (the adapter logs it); a field present but unreadable is BAD_RESPONSE.
 */
export function marketRulesToDomain(pairInfo: unknown, statusResponse: unknown, pair: string): MarketRules {
  const p = parseOrThrow(
    z.object({
      name: z.literal(pair),
      unit_amount: decimal,
      amount_digits: z.coerce.number().int().min(0).max(12),
      price_digits: z.coerce.number().int().min(0).max(12),
      limit_max_amount: decimal,
      market_max_amount: decimal,
      stop_margin_long_order: flag,
      stop_margin_short_order: flag,
    }),
    pairInfo,
    `/spot/pairs ${pair}`,
  );
  const given = parseOrThrow(costSchema, pairInfo, `/spot/pairs ${pair} fees`);
  const defaultedFields = (Object.keys(COST_DEFAULTS) as CostField[]).filter((k) => given[k] === undefined);
  const cost = (k: CostField): number => given[k] ?? COST_DEFAULTS[k];
  const statuses = parseOrThrow(
    z.object({ statuses: z.array(z.object({ pair: z.string(), min_amount: decimal })) }),
    dataOf(statusResponse),
    '/v1/spot/status',
  ).statuses;
  const status = statuses.find((s) => s.pair === pair);
  const minAmountBtc = status && Number(status.min_amount) > Number(p.unit_amount) ? status.min_amount : p.unit_amount;
  return {
    pair,
    lotBtc: stepOfDigits(p.amount_digits),
    minAmountBtc,
    tickJpy: stepOfDigits(p.price_digits),
    makerFeeRate: cost('maker_fee_rate_quote'),
    takerFeeRate: cost('taker_fee_rate_quote'),
    marginMakerFeeRate: Math.max(cost('margin_open_maker_fee_rate_quote'), cost('margin_close_maker_fee_rate_quote')),
    marginTakerFeeRate: Math.max(cost('margin_open_taker_fee_rate_quote'), cost('margin_close_taker_fee_rate_quote')),
    marginLongInterestDaily: cost('margin_long_interest'),
    marginShortInterestDaily: cost('margin_short_interest'),
    marginLongOpenStopped: p.stop_margin_long_order,
    marginShortOpenStopped: p.stop_margin_short_order,
    maxLimitAmountBtc: p.limit_max_amount,
    maxMarketAmountBtc: p.market_max_amount,
    ...(defaultedFields.length > 0 ? { defaultedFields } : {}),
  };
}

/** 0 -> '1', 4 -> '0.0001'. */
export function stepOfDigits(digits: number): string {
  return digits === 0 ? '1' : `0.${'0'.repeat(digits - 1)}1`;
}
