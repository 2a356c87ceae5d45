import { incidentId, type Incident } from '../../core/incidents/incidents.js';
import { channelFailingEvent, type ChannelName } from '../../core/notify/events.js';
import { incidents } from '../../store/incident-collections.js';
import { notifyChannels, type ChannelHealth } from '../../store/outbox-collections.js';
import { enqueueEvent } from '../../store/outbox.js';
import type { NotifyDeps } from './notify-deps.js';

const CODE = 'NOTIFY.CHANNEL_FAILING' as const;
const INCIDENT_BUCKET_MS = 15 * 60_000;

/**
 * A channel's record after a run: failed (every attempt of the run on it failed or was deferred),
 * ok (something was delivered), or untouched. When it has failed `incidentAfterRuns` runs in a row,
 * an ERROR line with NOTIFY.CHANNEL_FAILING is logged (logCheck keeps the incident open while they
 * continue) and the incident is opened here at once (one open per code). When no channel is failing
 * any more, notify resolves it. The other channels are never held up: they are delivered in parallel.
 */
export async function recordChannelRuns(
  deps: NotifyDeps,
  runs: ReadonlyMap<ChannelName, { ok: boolean; lastError?: string }>,
): Promise<string[]> {
  const { store, clock, logger, settings } = deps;
  const nowMs = clock.nowMs();
  const failing: Array<{ channel: ChannelName; health: ChannelHealth }> = [];
  for (const [channel, run] of runs) {
    const before = (await store.get(notifyChannels, channel)) ?? {
      channel,
      consecutiveFailedRuns: 0,
      lastError: null,
      lastFailureAtMs: null,
      lastSuccessAtMs: null,
    };
    const health: ChannelHealth = run.ok
      ? { ...before, consecutiveFailedRuns: 0, lastSuccessAtMs: nowMs }
      : {
          ...before,
          consecutiveFailedRuns: before.consecutiveFailedRuns + 1,
          lastError: (run.lastError ?? 'failed').slice(0, 300),
          lastFailureAtMs: nowMs,
        };
    await store.set(notifyChannels, channel, health);
    if (!run.ok && health.consecutiveFailedRuns >= settings.incidentAfterRuns) failing.push({ channel, health });
  }
  const open = (await store.list(incidents, { where: [['status', '==', 'open']] })).filter((d) => d.data.code === CODE);
  const opened: string[] = [];
  if (failing.length > 0) {
    const message = failing
      .map((f) => `${f.channel}: ${f.health.consecutiveFailedRuns} failed runs, last ${f.health.lastError ?? ''}`)
      .join('; ')
      .slice(0, 2000);
    logger.error('notification channel keeps failing', {
      code: CODE,
      channels: failing.map((f) => f.channel),
      detail: message,
    });
    const current = open[0];
    if (current) {
      await store.set(incidents, current.id, {
        ...current.data,
        lastSeenAtMs: nowMs,
        lastCount: failing.length,
        totalCount: current.data.totalCount + failing.length,
        message,
      });
    } else {
      const id = incidentId(CODE, Math.floor(nowMs / INCIDENT_BUCKET_MS) * INCIDENT_BUCKET_MS);
      const incident: Incident = {
        code: CODE,
        status: 'open',
        openedAtMs: nowMs,
        lastSeenAtMs: nowMs,
        resolvedAtMs: null,
        lastCount: failing.length,
        totalCount: failing.length,
        queries: ['notify'],
        message,
        recovery: {
          action: null,
          attempts: 0,
          lastAttemptMs: null,
          nextAttemptAfterMs: null,
          lastResult: null,
          fixed: false,
        },
      };
      if (await store.create(incidents, id, incident)) {
        opened.push(id);
        logger.error('incident opened', { code: CODE, incident: id });
        for (const f of failing)
          await enqueueEvent(
            store,
            channelFailingEvent(
              { channel: f.channel, failedRuns: f.health.consecutiveFailedRuns, lastError: f.health.lastError ?? '' },
              id,
              nowMs,
            ),
          );
      }
    }
  } else if (open.length > 0) {
    const all = await store.list(notifyChannels);
    if (all.every((d) => d.data.consecutiveFailedRuns === 0)) {
      for (const o of open) {
        await store.set(incidents, o.id, { ...o.data, status: 'resolved', resolvedAtMs: nowMs, lastCount: 0 });
        logger.info('incident resolved', { code: CODE, incident: o.id, openMs: nowMs - o.data.openedAtMs });
      }
    }
  }
  return opened;
}
