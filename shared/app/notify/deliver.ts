import {
  MAX_ATTEMPTS_PER_RUN,
  MAX_EVENT_AGE_MS,
  MAX_WAIT_IN_RUN_MS,
  classifyAnswer,
  networkFailure,
  type AttemptResult,
} from '../../core/notify/delivery.js';
import { renderMessage } from '../../core/notify/messages.js';
import type { NotifyEvent } from '../../core/notify/events.js';
import type { Destination } from '../../adapters/notify/destinations.js';
import { outbox, type Delivery } from '../../store/outbox-collections.js';
import type { NotifyDeps } from './notify-deps.js';

/** skipped: done already or claimed by another run; waiting: its retry time has not come (later events wait behind it). */
export type DeliveryOutcome = 'sent' | 'deferred' | 'failed' | 'skipped' | 'waiting';

const DEFAULT_LEASE_MS = 5 * 60_000;

/**
 * Delivers one event to one destination, at most once: the delivery is claimed in a transaction
 * (`sending` with a lease) before the first request and marked `sent` after the 2xx. Up to
 * MAX_ATTEMPTS_PER_RUN attempts, waiting out 429 Retry-After / retry_after (a wait longer than
 * MAX_WAIT_IN_RUN_MS defers to the next run); given up MAX_EVENT_AGE_MS after the event. A claim found expired means a run died while sending:
 * the message may have gone out, so it is marked failed, never sent again.
 */
export async function deliverEvent(
  deps: NotifyDeps,
  event: NotifyEvent,
  dest: Destination,
): Promise<{ outcome: DeliveryOutcome; error?: string }> {
  const { store, clock } = deps;
  const leaseMs = deps.settings.leaseMs ?? DEFAULT_LEASE_MS;
  const claimed = await store.runTransaction(async (tx) => {
    const doc = await tx.get(outbox, event.eventId);
    if (!doc) return { go: false as const, outcome: 'skipped' as const };
    const now = clock.nowMs();
    const current = doc.channels[dest.key];
    if (current?.status === 'sent' || current?.status === 'failed')
      return { go: false as const, outcome: 'skipped' as const };
    if (current?.status === 'sending') {
      if ((current.leaseUntilMs ?? 0) > now) return { go: false as const, outcome: 'skipped' as const };
      const lost: Delivery = {
        status: 'failed',
        attempts: current.attempts,
        lastError: 'outcome unknown: a run stopped while sending; not resent (at most once)',
      };
      tx.set(outbox, event.eventId, { ...doc, channels: { ...doc.channels, [dest.key]: lost } });
      return { go: false as const, outcome: 'failed' as const, error: lost.lastError };
    }
    if (current?.nextAttemptAfterMs !== undefined && current.nextAttemptAfterMs > now)
      return { go: false as const, outcome: 'waiting' as const };
    const attempts = current?.attempts ?? 0;
    tx.set(outbox, event.eventId, {
      ...doc,
      channels: { ...doc.channels, [dest.key]: { status: 'sending', attempts, leaseUntilMs: now + leaseMs } },
    });
    return { go: true as const, attempts };
  });
  if (!claimed.go)
    return claimed.error ? { outcome: claimed.outcome, error: claimed.error } : { outcome: claimed.outcome };

  const text = renderMessage(event, deps.settings.locale);
  let attempts = claimed.attempts;
  const expired = (): boolean => clock.nowMs() - event.atMs > MAX_EVENT_AGE_MS;
  let result: AttemptResult = {
    kind: 'failed',
    error: `not delivered within ${MAX_EVENT_AGE_MS / 3_600_000} h: given up`,
  };
  for (let inRun = 1; inRun <= MAX_ATTEMPTS_PER_RUN && !expired(); inRun += 1) {
    attempts += 1;
    try {
      result = classifyAnswer(await dest.post(text), inRun, clock.nowMs());
    } catch (thrown) {
      result = networkFailure(thrown instanceof Error ? thrown.message : String(thrown), inRun);
    }
    if (result.kind !== 'retry') break;
    deps.logger.warn('notification not delivered yet: retrying', {
      channel: dest.channel,
      destination: dest.key,
      eventId: event.eventId,
      attempt: attempts,
      afterMs: result.afterMs,
      detail: result.error,
    });
    if (inRun === MAX_ATTEMPTS_PER_RUN || result.afterMs > MAX_WAIT_IN_RUN_MS) break;
    await clock.sleep(result.afterMs);
  }
  const now = clock.nowMs();
  const next: Delivery =
    result.kind === 'sent'
      ? { status: 'sent', attempts, sentAtMs: now }
      : result.kind === 'retry' && !expired()
        ? {
            status: 'pending',
            attempts,
            nextAttemptAfterMs: now + Math.min(result.afterMs, 3_600_000),
            lastError: result.error.slice(0, 300),
          }
        : { status: 'failed', attempts, lastError: result.error.slice(0, 300) };
  await store.runTransaction(async (tx) => {
    const doc = await tx.get(outbox, event.eventId);
    if (doc) tx.set(outbox, event.eventId, { ...doc, channels: { ...doc.channels, [dest.key]: next } });
  });
  const outcome: DeliveryOutcome = next.status === 'sent' ? 'sent' : next.status === 'pending' ? 'deferred' : 'failed';
  return next.lastError ? { outcome, error: next.lastError } : { outcome };
}

/** Marks the event done once every destination has sent or given up. */
export async function settleEvent(deps: NotifyDeps, eventId: string): Promise<boolean> {
  return deps.store.runTransaction(async (tx) => {
    const doc = await tx.get(outbox, eventId);
    if (!doc || doc.status === 'done') return false;
    const finished = deps.destinations.every((d) => ['sent', 'failed'].includes(doc.channels[d.key]?.status ?? ''));
    if (finished) tx.set(outbox, eventId, { ...doc, status: 'done' });
    return finished;
  });
}
