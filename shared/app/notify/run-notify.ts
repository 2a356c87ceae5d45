import type { ChannelName, NotifyEventKind } from '../../core/notify/events.js';
import { outbox } from '../../store/outbox-collections.js';
import { recordChannelRuns } from './channel-health.js';
import { ensureDailySummary } from './daily-summary.js';
import { deliverEvent, settleEvent, type DeliveryOutcome } from './deliver.js';
import type { NotifyDeps } from './notify-deps.js';

export interface NotifySummary {
  /** Pending events this run looked at. */
  readonly events: number;
  /** Deliveries by outcome and by destination key. */
  readonly byDestination: Record<string, Record<DeliveryOutcome, number>>;
  /** Messages sent in this run, by event kind (all destinations). */
  readonly sentByKind: Partial<Record<NotifyEventKind, number>>;
  readonly dailySummary: string | null;
  readonly incidentsOpened: string[];
}

/** Events looked at per run (oldest first); the rest wait for the next run. */
export const EVENTS_PER_RUN = 200;

/**
 * One run of the sender: the daily summary when due, then every pending outbox event to every
 * destination, destinations in parallel (a slow or dead one never holds up the others); within a
 * destination, events in order, and after one failure the destination is left for this run.
 */
export async function runNotify(deps: NotifyDeps): Promise<NotifySummary> {
  const { store, clock, logger, destinations } = deps;
  const dailySummary = (await ensureDailySummary(deps, clock.nowMs())) ?? null;
  const pending = (await store.list(outbox, { where: [['status', '==', 'pending']], limit: EVENTS_PER_RUN }))
    .map((d) => d.data.event)
    .sort((a, b) => a.atMs - b.atMs || a.eventId.localeCompare(b.eventId));
  const byDestination: NotifySummary['byDestination'] = {};
  const sentByKind: NotifySummary['sentByKind'] = {};
  const channelRuns = new Map<ChannelName, { ok: boolean; lastError?: string }>();
  await Promise.all(
    destinations.map(async (dest) => {
      const tally = (byDestination[dest.key] = { sent: 0, deferred: 0, failed: 0, skipped: 0, waiting: 0 });
      for (const event of pending) {
        const { outcome, error } = await deliverEvent(deps, event, dest);
        tally[outcome] += 1;
        if (outcome === 'sent') {
          sentByKind[event.kind] = (sentByKind[event.kind] ?? 0) + 1;
          channelRuns.set(dest.channel, { ok: true });
        } else if (outcome === 'deferred' || outcome === 'failed') {
          logger.warn('notification not delivered', {
            channel: dest.channel,
            destination: dest.key,
            eventId: event.eventId,
            outcome,
            detail: error,
          });
          if (!channelRuns.get(dest.channel)?.ok)
            channelRuns.set(dest.channel, { ok: false, ...(error ? { lastError: error } : {}) });
          break; // this destination is down for this run; its later events wait (in order)
        } else if (outcome === 'waiting') break; // an earlier event's retry time has not come: keep the order
      }
    }),
  );
  for (const event of pending) await settleEvent(deps, event.eventId);
  const incidentsOpened = await recordChannelRuns(deps, channelRuns);
  return { events: pending.length, byDestination, sentByKind, dailySummary, incidentsOpened };
}
