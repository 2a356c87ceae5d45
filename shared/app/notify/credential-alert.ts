import { credentialAlertStep, type TickResult } from '../../core/notify/credential-alert.js';
import type { Store } from '../../ports/store.port.js';
import { credentialAlerts, outbox, pendingRecord } from '../../store/outbox-collections.js';

/**
 * After a live tick: updates the mode's credentials latch and, at the first failure on the keys of an
 * incident, writes the "credentials failing" event with it (one transaction). A tick that neither
 * fails on its keys nor ends an incident writes nothing.
 */
export async function noteCredentials(
  store: Store,
  mode: 'paper' | 'live',
  tick: TickResult,
  nowMs: number,
): Promise<boolean> {
  return store.runTransaction(async (tx) => {
    const step = credentialAlertStep(await tx.get(credentialAlerts, mode), tick, nowMs);
    const queued = step.event ? await tx.get(outbox, step.event.eventId) : undefined;
    if (step.latch) tx.set(credentialAlerts, mode, step.latch);
    if (step.event && queued === undefined) tx.create(outbox, step.event.eventId, pendingRecord(step.event));
    return step.event !== undefined;
  });
}
