/**
 * Claim/lease rules for `ticks/{id}`, pure: the Firestore transaction reads the current record and
 * asks `decideClaim` what to write. The first delivery claims; a running claim with a live lease,
 * or a finished one, makes every other delivery a duplicate; a lease that expired (its owner died)
 * or a failed run (Cloud Scheduler's retry) is taken over. Takeover is safe because every later
 * step is idempotent (intents are looked up on the exchange before anything is sent).
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
  | { readonly action: 'takeover'; readonly attempt: number; readonly previousOwner: string; readonly reason: 'lease-expired' | 'failed' }
  | { readonly action: 'duplicate'; readonly reason: 'running' | 'done' | 'attempts-exhausted' };

/** Attempts after which a failing bar is left alone (Cloud Scheduler retries 3 times). */
export const MAX_TICK_ATTEMPTS = 5;

export function decideClaim(existing: ClaimState | undefined, nowMs: number): ClaimDecision {
  if (existing === undefined) return { action: 'claim', attempt: 1 };
  if (existing.status === 'done') return { action: 'duplicate', reason: 'done' };
  if (existing.attempt >= MAX_TICK_ATTEMPTS) return { action: 'duplicate', reason: 'attempts-exhausted' };
  if (existing.status === 'failed') return { action: 'takeover', attempt: existing.attempt + 1, previousOwner: existing.owner, reason: 'failed' };
  if (nowMs < existing.leaseUntilMs) return { action: 'duplicate', reason: 'running' };
  return { action: 'takeover', attempt: existing.attempt + 1, previousOwner: existing.owner, reason: 'lease-expired' };
}

/** The lease outlives the tick's own deadline by a margin, so a live run is never taken over. */
export function leaseUntilMs(nowMs: number, tickDeadlineMs: number): number {
  return nowMs + tickDeadlineMs + Math.max(15_000, Math.round(tickDeadlineMs / 2));
}
