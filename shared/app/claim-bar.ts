import { decideClaim, leaseUntilMs, type ClaimDecision } from '../core/tick/claim.js';
import type { Store } from '../ports/store.port.js';
import { ticks, type TickRecord } from '../store/tick-collections.js';

export interface ClaimRequest {
  readonly tickId: string;
  readonly pair: string;
  readonly barOpenMs: number;
  readonly owner: string;
  readonly nowMs: number;
  readonly tickDeadlineMs: number;
  readonly mode: 'paper' | 'live';
}

/**
 * Claims `ticks/{tickId}` in one Firestore transaction: reads the record, applies the pure lease
 * rules, and writes the claim only when this delivery wins. A lost transaction race is retried by
 * the store and then reads the winner's claim, so concurrent deliveries yield one claim.
 */
export async function claimBar(store: Store, request: ClaimRequest): Promise<ClaimDecision> {
  return store.runTransaction(async (tx) => {
    const existing = await tx.get(ticks, request.tickId);
    const decision = decideClaim(existing, request.nowMs);
    if (decision.action === 'duplicate') return decision;
    const record: TickRecord = {
      tickId: request.tickId,
      pair: request.pair,
      timeframe: '1h',
      barOpenMs: request.barOpenMs,
      status: 'running',
      owner: request.owner,
      attempt: decision.attempt,
      leaseUntilMs: leaseUntilMs(request.nowMs, request.tickDeadlineMs),
      claimedAtMs: request.nowMs,
      mode: request.mode,
    };
    if (existing === undefined) tx.create(ticks, request.tickId, record);
    else tx.set(ticks, request.tickId, record);
    return decision;
  });
}

/**
 * Writes the run's final record, but only while this owner still holds the claim (a run that lost
 * its lease to a takeover must not overwrite the newer run's record). Returns false when it did not.
 */
export async function finishTick(store: Store, tickId: string, owner: string, final: Partial<TickRecord> & Pick<TickRecord, 'status'>): Promise<boolean> {
  return store.runTransaction(async (tx) => {
    const current = await tx.get(ticks, tickId);
    if (current === undefined || current.owner !== owner) return false;
    tx.set(ticks, tickId, { ...current, ...final });
    return true;
  });
}
