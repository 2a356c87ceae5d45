import type { Store } from '../ports/store.port.js';
import { killSwitchEvent } from '../core/notify/events.js';
import { KILL_SWITCH_DOC, killSwitch, killSwitchSchema, type KillSwitchRecord } from './tick-collections.js';
import { setWithEvents } from './outbox.js';

/**
 * The one way to set or clear the kill switch (`killSwitch/global` `{active, reason, setBy, setAtMs}`):
 * the document and its "kill switch set/cleared by whom" notification in one Firestore write.
 * The caller audits who asked (it knows the actor's channel: a chat id, a CLI user).
 */
export async function writeKillSwitch(store: Store, record: KillSwitchRecord): Promise<void> {
  const parsed = killSwitchSchema.parse(record);
  await setWithEvents(store, killSwitch, KILL_SWITCH_DOC, parsed, [killSwitchEvent(parsed)]);
}
