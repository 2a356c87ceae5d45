import { z } from 'zod';
import { collection } from '../ports/store.port.js';
import { ALL_CODES, type OutcomeCode } from '../core/codes.js';
import type { Incident } from '../core/incidents/incidents.js';

const code = z.enum(ALL_CODES as [OutcomeCode, ...OutcomeCode[]]);
const ms = z.number().int();

export const incidentSchema: z.ZodType<Incident> = z.object({
  code,
  status: z.enum(['open', 'resolved']),
  openedAtMs: ms,
  lastSeenAtMs: ms,
  resolvedAtMs: ms.nullable(),
  lastCount: z.number().int().nonnegative(),
  totalCount: z.number().int().nonnegative(),
  queries: z.array(z.string()),
  message: z.string().max(2000),
  recovery: z.object({
    action: z.enum(['clear-stale-lease', 'refresh-candles', 'verify-credentials', 'cancel-orphans']).nullable(),
    attempts: z.number().int().nonnegative(),
    lastAttemptMs: ms.nullable(),
    nextAttemptAfterMs: ms.nullable(),
    lastResult: z.string().nullable(),
    fixed: z.boolean(),
  }),
});

/**
 * `incidents/{code}_{openedAtMs}`: opened and resolved by logCheck, deduplicated by code (at most
 * one open per code), read by health (/detailed, /metrics, the dashboard). Kept 365 days.
 */
export const incidents = collection('incidents', incidentSchema, { days: 365, fromField: 'openedAtMs' });
