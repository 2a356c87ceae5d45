import type { OutcomeCode } from '../codes.js';

/**
 * Incidents, pure: one open incident per outcome code at most (deduplicated by code). `logCheck`
 * turns its log-query counts into observations; `planIncidents` says which incidents to open,
 * keep open (seen again) or resolve (quiet for the whole window). Time is an argument.
 */
export type RecoveryAction = 'clear-stale-lease' | 'refresh-candles' | 'verify-credentials' | 'cancel-orphans';

export interface RecoveryState {
  readonly action: RecoveryAction | null;
  readonly attempts: number;
  readonly lastAttemptMs: number | null;
  /** The next attempt is not made before this time (backoff). */
  readonly nextAttemptAfterMs: number | null;
  readonly lastResult: string | null;
  /** True once an attempt reported it fixed the cause (the incident still resolves only when quiet). */
  readonly fixed: boolean;
}

export interface Incident {
  readonly code: OutcomeCode;
  readonly status: 'open' | 'resolved';
  readonly openedAtMs: number;
  readonly lastSeenAtMs: number;
  readonly resolvedAtMs: number | null;
  /** Matches in the last window that saw it, and in all windows since it opened. */
  readonly lastCount: number;
  readonly totalCount: number;
  /** Names of the log queries that matched it. */
  readonly queries: readonly string[];
  readonly message: string;
  readonly recovery: RecoveryState;
}

export interface Observation {
  readonly code: OutcomeCode;
  readonly count: number;
  readonly query: string;
  readonly message: string;
}

export interface IncidentPlan {
  readonly open: Incident[];
  readonly update: Array<{ id: string; incident: Incident }>;
  readonly resolve: Array<{ id: string; incident: Incident }>;
}

/**
 * Codes whose incident degrades the bot without touching trading (a notification channel that keeps
 * failing): health shows them as a warning, not a 503; the tick never reads incidents.
 */
const DEGRADED_ONLY: ReadonlySet<OutcomeCode> = new Set(['NOTIFY.CHANNEL_FAILING']);

export function affectsTrading(code: OutcomeCode): boolean {
  return !DEGRADED_ONLY.has(code);
}

/** Which bounded, non-trading recovery fits a code (null: none; the incident waits for people or quiet). */
export function recoveryFor(code: OutcomeCode): RecoveryAction | null {
  switch (code) {
    case 'TICK.DEADLINE':
    case 'TICK.SLOW':
    case 'TICK.MISSED':
      return 'clear-stale-lease';
    case 'DATA.MISSING_CANDLES':
    case 'DATA.BAD_CANDLES':
    case 'DATA.STALE_CANDLES':
      return 'refresh-candles';
    case 'EXCHANGE.AUTH':
      return 'verify-credentials';
    case 'RECONCILE.ORPHAN_CANCELLED':
    case 'RECONCILE.UNPROTECTED':
    case 'EXCHANGE.ORDER_REJECTED':
    case 'EXCHANGE.INSUFFICIENT_FUNDS':
      return 'cancel-orphans';
    default:
      return null;
  }
}

/** Merges observations by code (a code matched by two queries counts once, at its larger count). */
export function mergeObservations(
  observations: readonly Observation[],
): Map<OutcomeCode, { count: number; queries: string[]; message: string }> {
  const byCode = new Map<OutcomeCode, { count: number; queries: string[]; message: string }>();
  for (const o of observations) {
    if (o.count <= 0) continue;
    const seen = byCode.get(o.code);
    if (!seen) byCode.set(o.code, { count: o.count, queries: [o.query], message: o.message });
    else {
      if (!seen.queries.includes(o.query)) seen.queries.push(o.query);
      if (o.count > seen.count) Object.assign(seen, { count: o.count, message: o.message });
    }
  }
  return byCode;
}

/** Document id of an incident: its code and the window it opened in (a second run of the same window dedupes). */
export function incidentId(code: OutcomeCode, openedAtMs: number): string {
  return `${code}_${openedAtMs}`;
}

/**
 * Opens an incident for each observed code without an open one, updates the open ones seen again,
 * and resolves the open ones not seen in this window. `checked` lists the codes whose queries ran
 * (a query that failed resolves nothing: absence of evidence is not evidence of recovery).
 */
export function planIncidents(input: {
  open: ReadonlyArray<{ id: string; incident: Incident }>;
  observations: readonly Observation[];
  nowMs: number;
  checked?: (code: OutcomeCode) => boolean;
}): IncidentPlan {
  const seen = mergeObservations(input.observations);
  const plan: IncidentPlan = { open: [], update: [], resolve: [] };
  const openByCode = new Map(input.open.map((o) => [o.incident.code, o]));
  for (const [code, s] of seen) {
    const current = openByCode.get(code);
    if (current) {
      const queries = [...new Set([...current.incident.queries, ...s.queries])];
      plan.update.push({
        id: current.id,
        incident: {
          ...current.incident,
          lastSeenAtMs: input.nowMs,
          lastCount: s.count,
          totalCount: current.incident.totalCount + s.count,
          queries,
          message: s.message,
        },
      });
    } else {
      const action = recoveryFor(code);
      plan.open.push({
        code,
        status: 'open',
        openedAtMs: input.nowMs,
        lastSeenAtMs: input.nowMs,
        resolvedAtMs: null,
        lastCount: s.count,
        totalCount: s.count,
        queries: s.queries,
        message: s.message,
        recovery: {
          action,
          attempts: 0,
          lastAttemptMs: null,
          nextAttemptAfterMs: action ? input.nowMs : null,
          lastResult: null,
          fixed: false,
        },
      });
    }
  }
  for (const o of input.open) {
    if (seen.has(o.incident.code)) continue;
    if (input.checked && !input.checked(o.incident.code)) continue;
    plan.resolve.push({
      id: o.id,
      incident: { ...o.incident, status: 'resolved', resolvedAtMs: input.nowMs, lastCount: 0 },
    });
  }
  return plan;
}

export const MAX_RECOVERY_ATTEMPTS = 3;

/** True when a recovery should be tried now: it has an action, attempts remain, and its backoff has passed. */
export function recoveryDue(incident: Incident, nowMs: number): boolean {
  const r = incident.recovery;
  return (
    incident.status === 'open' &&
    r.action !== null &&
    !r.fixed &&
    r.attempts < MAX_RECOVERY_ATTEMPTS &&
    (r.nextAttemptAfterMs ?? 0) <= nowMs
  );
}

/** The incident after one recovery attempt: counted, and the next one backed off (base * 2^attempts). */
export function afterRecovery(
  incident: Incident,
  result: { ok: boolean; detail: string },
  nowMs: number,
  baseBackoffMs = 15 * 60_000,
): Incident {
  const attempts = incident.recovery.attempts + 1;
  return {
    ...incident,
    recovery: {
      ...incident.recovery,
      attempts,
      lastAttemptMs: nowMs,
      lastResult: `${result.ok ? 'ok' : 'failed'}: ${result.detail}`.slice(0, 500),
      fixed: result.ok,
      nextAttemptAfterMs: attempts >= MAX_RECOVERY_ATTEMPTS ? null : nowMs + baseBackoffMs * 2 ** attempts,
    },
  };
}

/** True when recovery has given up (attempts exhausted without a fix): the incident needs a person. */
export function needsPerson(incident: Incident): boolean {
  return (
    incident.status === 'open' &&
    (incident.recovery.action === null ||
      (!incident.recovery.fixed && incident.recovery.attempts >= MAX_RECOVERY_ATTEMPTS))
  );
}
