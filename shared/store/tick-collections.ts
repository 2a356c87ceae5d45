import { z } from 'zod';
import { collection, modeCollection } from '../ports/store.port.js';
import { ALL_CODES, type OutcomeCode } from '../core/codes.js';
import type { MirroredPosition } from '../core/tick/position.js';
import type { OrderIntent } from '../core/tick/intent.js';
import type { BookedTrade } from '../core/tick/booking.js';

/**
 * The tick's collections. Every record is re-validated with its schema when read. Retention (a
 * Firestore TTL policy on `expireAt`, applied by the deploy): raw tick records 30 days; orders,
 * trades and equity 365 days; positions and the kill switch are current state (no TTL).
 * Positions, order intents and trades are trading state, kept apart per mode
 * (`modes/{paper|live}/positions`, ...): paper and live never read each other's.
 */
const code = z.enum(ALL_CODES as [OutcomeCode, ...OutcomeCode[]]);
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/);
const side = z.enum(['long', 'short']);
const orderSide = z.enum(['buy', 'sell']);
const orderType = z.enum(['limit', 'market', 'stop', 'stop_limit', 'take_profit', 'stop_loss']);
const finite = z.number().finite();
const ms = z.number().int();

export const tickRecordSchema = z.object({
  tickId: z.string().min(1),
  pair: z.string().min(1),
  timeframe: z.literal('1h'),
  barOpenMs: ms,
  status: z.enum(['running', 'done', 'failed']),
  owner: z.string().min(1),
  attempt: z.number().int().min(1),
  leaseUntilMs: ms,
  claimedAtMs: ms,
  mode: z.enum(['paper', 'live']),
  finishedAtMs: ms.optional(),
  outcome: z.enum(['ok', 'too-late', 'failed']).optional(),
  code: code.optional(),
  message: z.string().optional(),
  latencyMs: z.number().nonnegative().optional(),
  timings: z.array(z.object({ step: z.string(), ms: z.number().nonnegative() })).optional(),
  decision: z.string().optional(),
  blockedBy: code.optional(),
  probabilityUp: finite.nullable().optional(),
  featuresDigest: z.string().optional(),
  reasons: z.array(z.string()).optional(),
  orders: z
    .array(z.object({ intentId: z.string(), purpose: z.string(), status: z.string(), orderId: z.string().optional() }))
    .optional(),
  reconcileFixes: z.array(z.object({ kind: z.string(), code })).optional(),
  equityJpy: finite.optional(),
  killSwitch: z.boolean().optional(),
});
export type TickRecord = z.infer<typeof tickRecordSchema>;
export const ticks = collection('ticks', tickRecordSchema, { days: 30, fromField: 'barOpenMs' });

export const positionSchema: z.ZodType<MirroredPosition> = z.object({
  pair: z.string().min(1),
  side,
  amountBtc: decimal,
  entryPriceJpy: finite,
  entryTimeMs: ms,
  entryFeePerBtcJpy: finite,
  stopPriceJpy: decimal.optional(),
  takeProfitPriceJpy: decimal.optional(),
  entryIntentId: z.string().optional(),
  adopted: z.boolean(),
  updatedAtMs: ms,
});
/** `modes/{mode}/positions/{pair}_{side}`: present while open, deleted when the exchange shows it closed. */
export const positions = modeCollection('positions', positionSchema);

const orderRequestSchema = z.object({
  pair: z.string().min(1),
  side: orderSide,
  positionSide: side.optional(),
  type: orderType,
  amountBtc: decimal,
  priceJpy: decimal.optional(),
  triggerPriceJpy: decimal.optional(),
  postOnly: z.boolean().optional(),
});

const exitReason = z.enum(['signal', 'stop', 'take-profit', 'time-limit', 'kill-switch', 'reconcile']);

export const orderIntentSchema: z.ZodType<OrderIntent> = z.object({
  intentId: z.string().min(1),
  tickId: z.string().min(1),
  barOpenMs: ms,
  purpose: z.enum(['entry', 'entry-fallback', 'exit', 'exit-maker', 'exit-fallback', 'stop', 'take-profit']),
  request: orderRequestSchema,
  stopPriceJpy: decimal.optional(),
  takeProfitPriceJpy: decimal.optional(),
  resting: z
    .object({
      execution: z.enum(['maker-then-taker', 'maker-only']),
      waitBars: z.number().int().min(1),
      cancelReason: z.enum(['expired', 'kill-switch', 'exit', 'flip', 'closed']).optional(),
      outcome: z.enum(['filled', 'fallback', 'given-up', 'cancelled']).optional(),
    })
    .optional(),
  entryTotalBtc: decimal.optional(),
  exitReason: exitReason.optional(),
  status: z.enum(['pending', 'unknown', 'sent', 'not-sent', 'rejected']),
  attempt: z.number().int().min(1),
  createdAtMs: ms,
  updatedAtMs: ms,
  sendAtMs: ms.optional(),
  orderId: z.string().optional(),
  orderStatus: z.string().optional(),
  executedBtc: decimal.optional(),
  averagePriceJpy: decimal.optional(),
  errorCode: z.string().optional(),
  message: z.string().optional(),
});
/** `modes/{mode}/orders/{tickId}_{purpose}_{side}[_{amount}]`: the intent written before sending, the answer after. */
export const orders = modeCollection('orders', orderIntentSchema, { days: 365, fromField: 'createdAtMs' });

export const tradeSchema: z.ZodType<BookedTrade> = z.object({
  pair: z.string().min(1),
  side,
  amountBtc: decimal,
  entryTimeMs: ms,
  exitTimeMs: ms,
  entryPriceJpy: finite,
  exitPriceJpy: finite,
  pnlJpy: finite,
  feesJpy: finite,
  interestJpy: finite,
  exitReason,
  closingOrderId: z.string().min(1),
  tradeIds: z.array(z.string()),
  exchangeProfitLossJpy: finite.optional(),
});
/** `modes/{mode}/trades/{pair}_{closingOrderId}`: closed trades, one per closing order; a later fill of the same order is added to it (each fill once, by `tradeIds`). */
export const trades = modeCollection('trades', tradeSchema, { days: 365, fromField: 'exitTimeMs' });

export const equitySchema = z.object({
  atMs: ms,
  tickId: z.string(),
  equityJpy: finite,
  peakJpy: finite,
  mode: z.enum(['paper', 'live']),
});
export type EquityRecord = z.infer<typeof equitySchema>;
/** `equity/{tickId}`: equity at each tick (and its running peak, for the drawdown breaker). */
export const equity = collection('equity', equitySchema, { days: 365, fromField: 'atMs' });

export const killSwitchSchema = z.object({ active: z.boolean(), reason: z.string(), setBy: z.string(), setAtMs: ms });
export type KillSwitchRecord = z.infer<typeof killSwitchSchema>;
/** `killSwitch/global`: set by a person or the drawdown breaker; stops new entries, never exits or stops. */
export const killSwitch = collection('killSwitch', killSwitchSchema);
export const KILL_SWITCH_DOC = 'global';
