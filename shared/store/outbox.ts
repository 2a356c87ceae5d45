import type { CollectionDef, Store } from '../ports/store.port.js';
import type { NotifyEvent } from '../core/notify/events.js';
import { outbox, pendingRecord } from './outbox-collections.js';

/**
 * Writes a record and the notification events it causes in ONE Firestore transaction, so an event
 * exists exactly when its cause does (a crash cannot lose or invent one). Sending is `notify`'s job.
 */

/** `create` + events: false (and nothing written) when the record already existed. */
export async function createWithEvents<T>(
  store: Store,
  c: CollectionDef<T>,
  id: string,
  value: T,
  events: readonly NotifyEvent[],
): Promise<boolean> {
  if (events.length === 0) return store.create(c, id, value);
  return store.runTransaction(async (tx) => {
    if ((await tx.get(c, id)) !== undefined) return false;
    const existing = await Promise.all(events.map((e) => tx.get(outbox, e.eventId)));
    tx.create(c, id, value);
    events.forEach((e, i) => {
      if (existing[i] === undefined) tx.create(outbox, e.eventId, pendingRecord(e));
    });
    return true;
  });
}

/** `set` + events; an event already in the outbox (sent or not) is left as it is. */
export async function setWithEvents<T>(
  store: Store,
  c: CollectionDef<T>,
  id: string,
  value: T,
  events: readonly NotifyEvent[],
): Promise<void> {
  if (events.length === 0) return store.set(c, id, value);
  await store.runTransaction(async (tx) => {
    const existing = await Promise.all(events.map((e) => tx.get(outbox, e.eventId)));
    tx.set(c, id, value);
    events.forEach((e, i) => {
      if (existing[i] === undefined) tx.create(outbox, e.eventId, pendingRecord(e));
    });
  });
}

/** Only events (no cause document): an incident, a model verdict, the daily summary. False when it existed. */
export async function enqueueEvent(store: Store, event: NotifyEvent): Promise<boolean> {
  return store.create(outbox, event.eventId, pendingRecord(event));
}
