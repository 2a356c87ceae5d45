import type { OutcomeCode } from '../../core/codes.js';
import { toBotError } from '../../core/errors.js';
import {
  afterRecovery,
  incidentId,
  planIncidents,
  recoveryDue,
  type Incident,
  type Observation,
} from '../../core/incidents/incidents.js';
import { incidents } from '../../store/incident-collections.js';
import { incidentEvent } from '../../core/notify/events.js';
import { createWithEvents, setWithEvents } from '../../store/outbox.js';
import type { LogCheckDeps } from './log-check-deps.js';
import { LOG_CHECK_SOURCE, countByCode, logCheckQueries, windowed } from './queries.js';
import { runRecovery } from './recovery.js';
import { ensureHealthSummaries } from '../health/summaries.js';

export interface QueryOutcome {
  readonly name: string;
  readonly matches: number;
  readonly byCode: Record<string, number>;
  readonly truncated: boolean;
  readonly error?: string;
}

export interface LogCheckSummary {
  readonly window: { from: string; to: string };
  readonly queries: QueryOutcome[];
  readonly opened: OutcomeCode[];
  readonly updated: OutcomeCode[];
  readonly resolved: OutcomeCode[];
  readonly recoveries: Array<{ code: OutcomeCode; action: string; attempt: number; ok: boolean; detail: string }>;
  readonly open: OutcomeCode[];
  /** False when a query failed: nothing was resolved, and LOGGING.UNAVAILABLE was observed. */
  readonly complete: boolean;
}

/**
 * One log check: the five queries over the window, counts by code, incidents opened / updated /
 * resolved (one open per code), then a bounded recovery for each open incident that is due.
 */
export async function runLogCheck(deps: LogCheckDeps): Promise<LogCheckSummary> {
  const { clock, settings } = deps;
  const logger = deps.logger.child({ source: LOG_CHECK_SOURCE });
  const nowMs = clock.nowMs();
  const fromMs = nowMs - settings.windowMs;
  const limit = deps.maxEntriesPerQuery ?? 5_000;
  const queries = await Promise.all(
    logCheckQueries(settings.tickLatencyBudgetMs).map(async (query): Promise<QueryOutcome> => {
      try {
        const result = await deps.logs.entries({ filter: windowed(query.filter, fromMs, nowMs), limit });
        const byCode = Object.fromEntries(countByCode(query, result.entries));
        return { name: query.name, matches: result.entries.length, byCode, truncated: result.truncated };
      } catch (thrown) {
        const error = toBotError(thrown);
        return {
          name: query.name,
          matches: 0,
          byCode: {},
          truncated: false,
          error: `${error.code}: ${error.message}`.slice(0, 300),
        };
      }
    }),
  );
  for (const q of queries)
    logger.log(q.error ? 'ERROR' : 'INFO', `log query ${q.name}`, {
      query: q.name,
      matches: q.matches,
      byCode: q.byCode,
      truncated: q.truncated,
      ...(q.error ? { code: 'LOGGING.UNAVAILABLE' as const, detail: q.error } : {}),
    });
  const complete = queries.every((q) => !q.error);
  const observations: Observation[] = queries.flatMap((q) =>
    Object.entries(q.byCode).map(([code, count]) => ({
      code: code as OutcomeCode,
      count,
      query: q.name,
      message: `${count} matching log line(s) in ${settings.windowMs / 60_000} min`,
    })),
  );
  if (!complete)
    observations.push({
      code: 'LOGGING.UNAVAILABLE',
      count: queries.filter((q) => q.error).length,
      query: 'log-check',
      message: queries.find((q) => q.error)?.error ?? '',
    });

  const open = (await deps.store.list(incidents, { where: [['status', '==', 'open']] })).map((d) => ({
    id: d.id,
    incident: d.data,
  }));
  const plan = planIncidents({ open, observations, nowMs, checked: () => complete });
  const bucketMs = Math.floor(nowMs / settings.windowMs) * settings.windowMs;
  const current = new Map<string, Incident>(
    open.filter((o) => !plan.resolve.some((r) => r.id === o.id)).map((o) => [o.id, o.incident]),
  );
  for (const incident of plan.open) {
    const id = incidentId(incident.code, bucketMs);
    if (
      await createWithEvents(deps.store, incidents, id, incident, [
        incidentEvent(
          id,
          { code: incident.code, state: 'opened', message: incident.message, openedAtMs: incident.openedAtMs },
          nowMs,
        ),
      ])
    ) {
      current.set(id, incident);
      logger.error('incident opened', {
        code: incident.code,
        incident: id,
        queries: incident.queries,
        count: incident.lastCount,
        recovery: incident.recovery.action,
      });
    }
  }
  for (const { id, incident } of plan.update) {
    await deps.store.set(incidents, id, incident);
    current.set(id, incident);
  }
  for (const { id, incident } of plan.resolve) {
    await setWithEvents(deps.store, incidents, id, incident, [
      incidentEvent(
        id,
        { code: incident.code, state: 'resolved', message: incident.message, openedAtMs: incident.openedAtMs },
        nowMs,
      ),
    ]);
    logger.info('incident resolved', { code: incident.code, incident: id, openMs: nowMs - incident.openedAtMs });
  }

  const recoveries: LogCheckSummary['recoveries'][number][] = [];
  for (const [id, incident] of current) {
    if (!recoveryDue(incident, nowMs) || incident.recovery.action === null) continue;
    const result = await runRecovery({ ...deps, logger }, incident.recovery.action);
    // Backoff counts from the run's scheduled slot, so a run a few seconds late still meets its due time.
    const next = afterRecovery(incident, result, bucketMs);
    await deps.store.set(incidents, id, next);
    current.set(id, next);
    recoveries.push({
      code: incident.code,
      action: incident.recovery.action,
      attempt: next.recovery.attempts,
      ...result,
    });
    logger.log(
      result.ok ? 'INFO' : 'WARNING',
      `recovery ${incident.recovery.action} ${result.ok ? 'succeeded' : 'failed'}`,
      { code: incident.code, incident: id, attempt: next.recovery.attempts, detail: result.detail },
    );
  }
  // Once (per pair and mode, ever): health's day summaries and trade ledger rebuilt from history older than them.
  try {
    const repair = await ensureHealthSummaries(deps.store, { pair: settings.pair, mode: settings.mode, nowMs });
    if (repair) logger.info('health summaries repaired from raw records', { ...repair });
  } catch (thrown) {
    logger.error('health summary repair failed', {
      code: toBotError(thrown).code,
      detail: toBotError(thrown).message.slice(0, 300),
    });
  }
  return {
    window: { from: new Date(fromMs).toISOString(), to: new Date(nowMs).toISOString() },
    queries,
    opened: plan.open.map((i) => i.code),
    updated: plan.update.map((u) => u.incident.code),
    resolved: plan.resolve.map((r) => r.incident.code),
    recoveries,
    open: [...current.values()].map((i) => i.code),
    complete,
  };
}
