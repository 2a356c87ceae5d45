import type { Request, Response } from '@google-cloud/functions-framework';
import { handle, refuseMethod } from './http.js';
import { getRuntime, getStore, runtimeLogger, type Runtime } from './runtime.js';
import { destinationsFromConfig } from '../shared/adapters/notify/destinations.js';
import type { NotifyDeps } from '../shared/app/notify/notify-deps.js';
import { runNotify } from '../shared/app/notify/run-notify.js';

let deps: NotifyDeps | undefined;
function notifyDeps({ config, clock, logger }: Runtime): NotifyDeps {
  deps ??= {
    store: getStore(),
    clock,
    logger: logger.child({ source: 'notify' }),
    destinations: destinationsFromConfig(config, { clock, callTimeoutMs: config.NOTIFY_CALL_TIMEOUT_MS }),
    settings: {
      locale: config.NOTIFY_LOCALE,
      mode: config.BOT_MODE,
      pair: config.BOT_PAIR,
      dailySummaryHourUtc: config.NOTIFY_DAILY_SUMMARY_HOUR_UTC,
      incidentAfterRuns: config.NOTIFY_INCIDENT_AFTER_RUNS,
    },
  };
  return deps;
}

/** For tests: forget the instance's destinations so the next call rebuilds them from a new configuration. */
export function resetNotifyDeps(): void {
  deps = undefined;
}

/**
 * POST (Cloud Scheduler every 5 minutes; the local run after each tick): the daily summary when
 * due, then the outbox to every configured channel. 200 with counts, also when a channel failed
 * (that is an incident, not a failed run: Scheduler retrying would not help it).
 */
export async function notifyHandler(req: Request, res: Response): Promise<void> {
  if (refuseMethod('notify', req, res, ['POST'])) return;
  const rt = getRuntime();
  const summary = await runNotify(notifyDeps(rt));
  runtimeLogger().info('notify done', {
    code: 'NOTIFY.OK',
    source: 'notify',
    events: summary.events,
    sentByKind: summary.sentByKind,
    byDestination: summary.byDestination,
    dailySummary: summary.dailySummary,
  });
  res.status(200).json({ status: 'ok', code: 'NOTIFY.OK', ...summary });
}

export const notify = handle('notify', runtimeLogger, notifyHandler);
