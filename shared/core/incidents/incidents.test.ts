import { describe, expect, it } from 'vitest';
import {
  afterRecovery,
  incidentId,
  MAX_RECOVERY_ATTEMPTS,
  needsPerson,
  planIncidents,
  recoveryDue,
  recoveryFor,
  type Incident,
} from './incidents.js';
import { availability, meanTimeToRecoveryMs } from './availability.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 1);

function opened(code: Incident['code'], atMs: number): { id: string; incident: Incident } {
  const plan = planIncidents({
    open: [],
    observations: [{ code, count: 2, query: 'errors-by-code', message: 'm' }],
    nowMs: atMs,
  });
  const incident = plan.open[0] as Incident;
  return { id: incidentId(code, atMs), incident };
}

describe('planIncidents', () => {
  it('opens one incident per code, merging queries that saw the same code', () => {
    const plan = planIncidents({
      open: [],
      nowMs: T0,
      observations: [
        { code: 'EXCHANGE.AUTH', count: 3, query: 'errors-by-code', message: 'a' },
        { code: 'EXCHANGE.AUTH', count: 5, query: 'auth-failures', message: 'b' },
        { code: 'DATA.STALE_CANDLES', count: 0, query: 'data-failures', message: 'none' },
      ],
    });
    expect(plan.open).toHaveLength(1);
    expect(plan.open[0]).toMatchObject({
      code: 'EXCHANGE.AUTH',
      lastCount: 5,
      queries: ['errors-by-code', 'auth-failures'],
      message: 'b',
      status: 'open',
    });
    expect(plan.open[0]?.recovery).toMatchObject({ action: 'verify-credentials', attempts: 0, nextAttemptAfterMs: T0 });
  });

  it('updates an open incident seen again, and resolves one quiet for the window', () => {
    const auth = opened('EXCHANGE.AUTH', T0);
    const data = opened('DATA.STALE_CANDLES', T0);
    const plan = planIncidents({
      open: [auth, data],
      nowMs: T0 + H,
      observations: [{ code: 'EXCHANGE.AUTH', count: 1, query: 'auth-failures', message: 'again' }],
    });
    expect(plan.open).toHaveLength(0);
    expect(plan.update[0]?.incident).toMatchObject({
      code: 'EXCHANGE.AUTH',
      lastSeenAtMs: T0 + H,
      totalCount: 3,
      queries: ['errors-by-code', 'auth-failures'],
    });
    expect(plan.resolve).toEqual([
      { id: data.id, incident: expect.objectContaining({ status: 'resolved', resolvedAtMs: T0 + H, lastCount: 0 }) },
    ]);
  });

  it('does not resolve an incident whose query did not run', () => {
    const data = opened('DATA.STALE_CANDLES', T0);
    const plan = planIncidents({
      open: [data],
      nowMs: T0 + H,
      observations: [],
      checked: (code) => code !== 'DATA.STALE_CANDLES',
    });
    expect(plan.resolve).toHaveLength(0);
  });
});

describe('recovery bookkeeping', () => {
  it('maps codes to non-trading actions only', () => {
    expect(recoveryFor('TICK.DEADLINE')).toBe('clear-stale-lease');
    expect(recoveryFor('DATA.STALE_CANDLES')).toBe('refresh-candles');
    expect(recoveryFor('EXCHANGE.AUTH')).toBe('verify-credentials');
    expect(recoveryFor('RECONCILE.UNPROTECTED')).toBe('cancel-orphans');
    expect(recoveryFor('STORE.UNAVAILABLE')).toBeNull();
  });

  it('tries at most three times with doubling backoff, then needs a person', () => {
    let incident = opened('EXCHANGE.AUTH', T0).incident;
    let now = T0;
    const gaps: number[] = [];
    while (recoveryDue(incident, now)) {
      incident = afterRecovery(incident, { ok: false, detail: 'still rejected' }, now);
      if (incident.recovery.nextAttemptAfterMs !== null) gaps.push(incident.recovery.nextAttemptAfterMs - now);
      expect(recoveryDue(incident, now)).toBe(false);
      now = incident.recovery.nextAttemptAfterMs ?? now + 10 * H;
    }
    expect(incident.recovery.attempts).toBe(MAX_RECOVERY_ATTEMPTS);
    expect(gaps).toEqual([30 * 60_000, 60 * 60_000]);
    expect(needsPerson(incident)).toBe(true);
    expect(incident.recovery.lastResult).toBe('failed: still rejected');
  });

  it('a fixed incident is not retried and does not need a person', () => {
    const incident = afterRecovery(opened('DATA.STALE_CANDLES', T0).incident, { ok: true, detail: 'refreshed' }, T0);
    expect(recoveryDue(incident, T0 + 10 * H)).toBe(false);
    expect(needsPerson(incident)).toBe(false);
    expect(needsPerson(opened('STORE.UNAVAILABLE', T0).incident)).toBe(true);
  });
});

describe('availability and MTTR', () => {
  it('counts closed bars with a successful tick since the first recorded bar', () => {
    const now = T0 + 10 * H + 30 * 60_000; // 10:30, bars 00:00..09:00 closed
    const ok = [0, 1, 2, 4, 5, 6, 7, 8, 9, 10].map((i) => T0 + i * H); // bar 3 missed; bar 10 still open
    const a = availability({ okBarOpensMs: ok, firstBarMs: T0, nowMs: now, barMs: H });
    expect(a).toEqual({ barsElapsed: 10, barsOk: 9, ratio: 0.9, fromMs: T0 });
    expect(availability({ okBarOpensMs: [], firstBarMs: null, nowMs: now, barMs: H }).ratio).toBeNull();
  });

  it('caps the window at 30 days', () => {
    const now = T0 + 40 * 24 * H;
    const a = availability({ okBarOpensMs: [T0 + 5 * H], firstBarMs: T0, nowMs: now, barMs: H });
    expect(a.barsElapsed).toBe(30 * 24);
    expect(a.barsOk).toBe(0);
  });

  it('MTTR is the mean open-to-resolve time of incidents resolved in the window', () => {
    const a = { ...opened('EXCHANGE.AUTH', T0).incident, status: 'resolved' as const, resolvedAtMs: T0 + H };
    const b = { ...opened('DATA.STALE_CANDLES', T0).incident, status: 'resolved' as const, resolvedAtMs: T0 + 3 * H };
    const stillOpen = opened('TICK.SLOW', T0).incident;
    expect(meanTimeToRecoveryMs([a, b, stillOpen], T0 + 4 * H)).toBe(2 * H);
    expect(meanTimeToRecoveryMs([stillOpen], T0 + 4 * H)).toBeNull();
  });
});
