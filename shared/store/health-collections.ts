import { z } from 'zod';
import { collection } from '../ports/store.port.js';
import { ALL_CODES, type OutcomeCode } from '../core/codes.js';
import type { DaySummary, HealthWindow, TradeLedger } from '../core/health/day-summary.js';
import { tradeSchema } from './tick-collections.js';

const code = z.enum(ALL_CODES as [OutcomeCode, ...OutcomeCode[]]);
const ms = z.number().int();
const finite = z.number().finite();
const mode = z.enum(['paper', 'live']);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const count = z.number().int().nonnegative();

const dayTicks = z.array(
  z.object({
    barOpenMs: ms,
    outcome: z.enum(['ok', 'too-late', 'failed']),
    code: code.optional(),
    latencyMs: z.number().nonnegative().optional(),
    decision: z.string().optional(),
  }),
);
const dayEquity = z.array(z.object({ atMs: ms, equityJpy: finite }));

export const daySummarySchema: z.ZodType<DaySummary> = z.object({
  pair: z.string().min(1),
  mode,
  day,
  dayStartMs: ms,
  ticks: dayTicks,
  equity: dayEquity,
  updatedAtMs: ms,
});
/**
 * `healthDays/{pair}_{mode}_{YYYY-MM-DD}`: written in the transaction that finishes each tick, read
 * by health (a month is ~31 documents). Kept 365 days (Firestore TTL on `expireAt`).
 */
export const healthDays = collection('healthDays', daySummarySchema, { days: 365, fromField: 'dayStartMs' });

export const healthWindowSchema: z.ZodType<HealthWindow> = z.object({
  pair: z.string().min(1),
  mode,
  ticks: dayTicks,
  equity: dayEquity,
  updatedAtMs: ms,
});
/** `healthWindows/{pair}_{mode}`: the last 31 days of `healthDays` in one document (health's read model; current state, no TTL). */
export const healthWindows = collection('healthWindows', healthWindowSchema);

export const healthWindowId = (pair: string, mode: 'paper' | 'live'): string => `${pair}_${mode}`;

/** A booked trade without its bookkeeping ids: the trade schema's fields, from the one schema. */
const closedTradeSchema = (tradeSchema as unknown as z.ZodObject<z.ZodRawShape>).omit({
  pair: true,
  closingOrderId: true,
  tradeIds: true,
  exchangeProfitLossJpy: true,
});

export const tradeLedgerSchema: z.ZodType<TradeLedger> = z.object({
  pair: z.string().min(1),
  mode,
  days: z.array(
    z.object({
      day,
      dayStartMs: ms,
      count,
      wins: count,
      winSumJpy: finite,
      losses: count,
      lossSumJpy: finite,
      netJpy: finite,
    }),
  ),
  recent: z.array(closedTradeSchema),
  updatedAtMs: ms,
  backfilledAtMs: ms.optional(),
}) as unknown as z.ZodType<TradeLedger>;
/** `tradeLedgers/{pair}_{mode}`: running trade totals, updated in the booking's transaction (current state, no TTL). */
export const tradeLedgers = collection('tradeLedgers', tradeLedgerSchema);

export const tradeLedgerId = (pair: string, mode: 'paper' | 'live'): string => `${pair}_${mode}`;
