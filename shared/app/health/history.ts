import { LRUCache } from 'lru-cache';
import { DAY_MS } from '../../core/candle.js';
import { AVAILABILITY_WINDOW_MS } from '../../core/incidents/availability.js';
import type { Incident } from '../../core/incidents/incidents.js';
import { withDeadline } from '../../core/retry.js';
import type { BookedTrade } from '../../core/tick/booking.js';
import { incidents } from '../../store/incident-collections.js';
import { equity, ticks, trades, type EquityRecord, type TickRecord } from '../../store/tick-collections.js';
import type { HealthDeps } from './health-deps.js';
import { DEFAULT_CHECK_TIMEOUT_MS } from './health-deps.js';

/** The last 30 days as health needs them: tick records, equity, incidents; closed trades of a year. */
export interface History {
  readonly ticks: TickRecord[];
  readonly equity: EquityRecord[];
  readonly trades: BookedTrade[];
  readonly incidents: Incident[];
  readonly loadedAtMs: number;
}

/**
 * Reading 30 days of records costs ~1,500 document reads, so the result is kept per instance for
 * a few minutes (an optimisation only: a cold instance reads Firestore again). Bounded LRU + TTL.
 */
const HISTORY_TTL_MS = 10 * 60_000;
const cache = new LRUCache<string, History>({ max: 4, ttl: HISTORY_TTL_MS });

export function clearHistoryCache(): void {
  cache.clear();
}

export async function loadHistory(deps: HealthDeps): Promise<History> {
  const key = `${deps.settings.pair}:${deps.settings.mode}`;
  const hit = cache.get(key);
  const nowMs = deps.clock.nowMs();
  if (hit && nowMs - hit.loadedAtMs < HISTORY_TTL_MS) return hit;
  const fromMs = nowMs - AVAILABILITY_WINDOW_MS;
  const history = await withDeadline(
    async () => {
      const [t, e, tr, inc] = await Promise.all([
        deps.store.list(ticks, { where: [['barOpenMs', '>=', fromMs]], orderBy: { field: 'barOpenMs' } }),
        deps.store.list(equity, { where: [['atMs', '>=', fromMs]], orderBy: { field: 'atMs' } }),
        deps.store.list(trades, { where: [['exitTimeMs', '>=', nowMs - 365 * DAY_MS]], orderBy: { field: 'exitTimeMs' } }),
        deps.store.list(incidents, { where: [['openedAtMs', '>=', fromMs]], orderBy: { field: 'openedAtMs' } }),
      ]);
      return {
        ticks: t.map((d) => d.data).filter((r) => r.pair === deps.settings.pair),
        equity: e.map((d) => d.data).filter((r) => r.mode === deps.settings.mode),
        trades: tr.map((d) => d.data).filter((r) => r.pair === deps.settings.pair),
        incidents: inc.map((d) => d.data),
        loadedAtMs: nowMs,
      };
    },
    { clock: deps.clock, timeoutMs: deps.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS, code: 'STORE.UNAVAILABLE', what: 'history read' },
  );
  cache.set(key, history);
  return history;
}
