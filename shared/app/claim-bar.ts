import { decideClaim, leaseUntilMs, type ClaimDecision } from '../core/tick/claim.js';
import type { Store } from '../ports/store.port.js';
import { ticks, type TickRecord } from '../store/tick-collections.js';
import { addTickToDaySummary } from './health/summaries.js';

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
 * Claims `ticks/{tickId}`. A fresh bar is claimed with an atomic create (the first delivery wins,
 * the others see the document and are duplicates) without a transaction, so a burst of concurrent
 * deliveries costs one write and some reads. A takeover (expired lease, failed run) reads the record,
 * applies the pure lease rules and writes the new claim in one Firestore transaction.
 */
export async function claimBar(store: Store, request: ClaimRequest): Promise<ClaimDecision> {
  const record = (attempt: number): TickRecord => ({
    tickId: request.tickId,
    pair: request.pair,
    timeframe: '1h',
    barOpenMs: request.barOpenMs,
    status: 'running',
    owner: request.owner,
    attempt,
    leaseUntilMs: leaseUntilMs(request.nowMs, request.tickDeadlineMs),
    claimedAtMs: request.nowMs,
    mode: request.mode,
  });
  let seen = await store.get(ticks, request.tickId);
  if (seen === undefined) {
    if (await store.create(ticks, request.tickId, record(1))) return { action: 'claim', attempt: 1 };
    seen = await store.get(ticks, request.tickId);
  }
  const quick = decideClaim(seen, request.nowMs);
  if (quick.action === 'duplicate' || quick.action === 'running') return quick;
  return store.runTransaction(async (tx) => {
    const existing = await tx.get(ticks, request.tickId);
    const decision = decideClaim(existing, request.nowMs);
    if (decision.action === 'duplicate' || decision.action === 'running') return decision;
    if (existing === undefined) tx.create(ticks, request.tickId, record(decision.attempt));
    else tx.set(ticks, request.tickId, record(decision.attempt));
    return decision;
  });
}

/**
 * Writes the run's final record, but only while this owner still holds the claim (a run that lost
 * its lease to a takeover must not overwrite the newer run's record). Returns false when it did not.
 */
export async function finishTick(
  store: Store,
  tickId: string,
  owner: string,
  final: Partial<TickRecord> & Pick<TickRecord, 'status'>,
): Promise<boolean> {
  return store.runTransaction(async (tx) => {
    const current = await tx.get(ticks, tickId);
    if (current === undefined || current.owner !== owner) return false;
    await addTickToDaySummary(tx, { ...current, ...final }, final.finishedAtMs ?? current.claimedAtMs);
    tx.set(ticks, tickId, { ...current, ...final });
    return true;
  });
}
