/**
 * Claim/lease rules for `ticks/{id}`, pure: the Firestore transaction reads the current record and
 * asks `decideClaim` what to write. The first delivery claims. A finished bar makes every other
 * delivery a duplicate (HTTP 200: Cloud Scheduler stops). A run that still holds its lease is never
 * taken over, whatever its status: a run that recorded "failed" after its deadline may still have
 * abandoned work going, so it keeps the lease until the lease ends (a run whose work provably
 * stopped releases it when it records the failure). Such a delivery is answered "running" (HTTP 409,
 * so Scheduler retries with backoff); the retry after the lease takes the bar over.
 */
export type TickStatus = 'running' | 'done' | 'failed';

export interface ClaimState {
  readonly status: TickStatus;
  readonly owner: string;
  readonly attempt: number;
  readonly leaseUntilMs: number;
}

export type ClaimDecision =
  | { readonly action: 'claim'; readonly attempt: 1 }
  | {
      readonly action: 'takeover';
      readonly attempt: number;
      readonly previousOwner: string;
      readonly reason: 'lease-expired' | 'failed';
    }
  | { readonly action: 'running'; readonly owner: string; readonly leaseUntilMs: number }
  | { readonly action: 'duplicate'; readonly reason: 'done' | 'attempts-exhausted' };

/** Runs (claims and takeovers) after which a failing bar is left alone (the tick job retries 5 times). */
export const MAX_TICK_ATTEMPTS = 5;

export function decideClaim(existing: ClaimState | undefined, nowMs: number): ClaimDecision {
  if (existing === undefined) return { action: 'claim', attempt: 1 };
  if (existing.status === 'done') return { action: 'duplicate', reason: 'done' };
  if (nowMs < existing.leaseUntilMs)
    return { action: 'running', owner: existing.owner, leaseUntilMs: existing.leaseUntilMs };
  if (existing.attempt >= MAX_TICK_ATTEMPTS) return { action: 'duplicate', reason: 'attempts-exhausted' };
  const reason = existing.status === 'failed' ? 'failed' : 'lease-expired';
  return { action: 'takeover', attempt: existing.attempt + 1, previousOwner: existing.owner, reason };
}

/** The lease outlives the tick's own deadline by a margin, so a live run is never taken over. */
export function leaseUntilMs(nowMs: number, tickDeadlineMs: number): number {
  return nowMs + tickDeadlineMs + Math.max(15_000, Math.round(tickDeadlineMs / 2));
}
