import type { Delivery } from '../replay/deliver.js';
import type { ReplaySession, ReplaySummary } from '../replay/replay.js';

/** What Cloud Scheduler calls besides the tick (scheduler/jobs.json), compressed to replay speed. */
export interface DriveSchedule {
  bars: number;
  /** `health /detailed` every this many bars (production: every 5 minutes). */
  healthEveryBars: number;
  /** `logCheck` every this many bars (production: every 15 minutes). */
  logCheckEveryBars: number;
  /** One daily backup after the last bar. */
  backupAtEnd: boolean;
  /** `notify` after every this many ticks (production: every 5 minutes; 0: never). */
  notifyEveryBars?: number;
}

export const DEFAULT_SCHEDULE: Omit<DriveSchedule, 'bars'> = {
  healthEveryBars: 6,
  logCheckEveryBars: 1,
  backupAtEnd: true,
  notifyEveryBars: 1,
};

export interface CallTally {
  calls: number;
  /** Answers by HTTP status. */
  statuses: Record<string, number>;
  last?: { status: number; code?: string; failing?: string[] };
}

export interface StartSummary extends ReplaySummary {
  health: CallTally;
  logCheck: CallTally;
  /** notify calls, and the messages it sent by event kind (summed over destinations). */
  notify: CallTally & { sentByKind: Record<string, number> };
  backup: { status: number; code?: string; uri?: string; documents?: number; bytes?: number } | null;
}

export interface BarProgress {
  done: number;
  trades: number;
  equityJpy: number | null;
  failures: number;
}

const HTTP_TIMEOUT_MS = 30_000;

async function callFunction(
  url: string,
  init: RequestInit,
): Promise<{ status: number; body: Record<string, unknown> }> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    return { status: response.status, body };
  } catch (error) {
    return { status: 0, body: { code: 'UNREACHABLE', message: (error as Error).message } };
  }
}

function record(tally: CallTally, status: number, body: Record<string, unknown>): void {
  tally.calls += 1;
  tally.statuses[String(status)] = (tally.statuses[String(status)] ?? 0) + 1;
  const failing = Array.isArray(body.failing) ? (body.failing as unknown[]).map(String) : undefined;
  tally.last = {
    status,
    ...(typeof body.code === 'string' ? { code: body.code } : {}),
    ...(failing ? { failing } : {}),
  };
}

/**
 * Drives a running replay as Cloud Scheduler drives the deployed functions: a tick at every bar,
 * notify after it, health and logCheck every few bars, one backup at the end; as fast as the bot answers.
 */
export async function drive(
  session: ReplaySession,
  schedule: DriveSchedule,
  onBar: (p: BarProgress, answers: Delivery[]) => void,
): Promise<StartSummary> {
  const health: CallTally = { calls: 0, statuses: {} };
  const logCheck: CallTally = { calls: 0, statuses: {} };
  const notify: StartSummary['notify'] = { calls: 0, statuses: {}, sentByKind: {} };
  const runNotify = async (): Promise<void> => {
    const n = await callFunction(session.urls.notify, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    record(notify, n.status, n.body);
    for (const [kind, count] of Object.entries((n.body.sentByKind ?? {}) as Record<string, number>))
      notify.sentByKind[kind] = (notify.sentByKind[kind] ?? 0) + count;
  };
  let equityJpy: number | null = null;
  let failures = 0;
  for (let k = 0; k < schedule.bars; k += 1) {
    const answers = await session.bar(k);
    for (const a of answers) {
      if (a.equityJpy !== undefined) equityJpy = a.equityJpy;
      if (a.status >= 300) failures += 1;
    }
    if (schedule.notifyEveryBars && (k + 1) % schedule.notifyEveryBars === 0) await runNotify();
    if ((k + 1) % schedule.healthEveryBars === 0) {
      const h = await callFunction(`${session.urls.health}detailed`, { method: 'GET' });
      record(health, h.status, h.body);
    }
    if ((k + 1) % schedule.logCheckEveryBars === 0) {
      const l = await callFunction(session.urls.logCheck, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      record(logCheck, l.status, l.body);
    }
    const trades = (await session.trades()).length;
    onBar({ done: k + 1, trades, equityJpy, failures }, answers);
  }
  let backup: StartSummary['backup'] = null;
  if (schedule.backupAtEnd) {
    const b = await callFunction(session.urls.backup, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'daily' }),
    });
    backup = {
      status: b.status,
      ...(typeof b.body.code === 'string' ? { code: b.body.code } : {}),
      ...(typeof b.body.uri === 'string' ? { uri: b.body.uri } : {}),
      ...(typeof b.body.documents === 'number' ? { documents: b.body.documents } : {}),
      ...(typeof b.body.bytes === 'number' ? { bytes: b.body.bytes } : {}),
    };
  }
  if (schedule.notifyEveryBars) await runNotify(); // what the last bars queued
  return { ...(await session.summary()), health, logCheck, notify, backup };
}
