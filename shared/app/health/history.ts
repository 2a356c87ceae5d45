import { LRUCache } from 'lru-cache';
import { DAY_MS } from '../../core/candle.js';
import { totalsSince, type DayEquity, type DayTick } from '../../core/health/day-summary.js';
import { AVAILABILITY_WINDOW_MS } from '../../core/incidents/availability.js';
import type { Incident } from '../../core/incidents/incidents.js';
import { NO_TRADES, type TradeTotals } from '../../core/performance/trade-totals.js';
import type { ClosedTrade } from '../../core/plan.js';
import { withDeadline } from '../../core/retry.js';
import { incidents } from '../../store/incident-collections.js';
import { healthWindowId, healthWindows, tradeLedgerId, tradeLedgers } from '../../store/health-collections.js';
import type { HealthDeps } from './health-deps.js';
import { DEFAULT_CHECK_TIMEOUT_MS } from './health-deps.js';

/**
 * The last 30 days as health needs them, from the summaries the tick writes as the day goes: the
 * window of day summaries (`healthWindows`, one document) and the trade ledger (one document):
 * finished ticks and equity in time order, a year's trade totals, the most recent trades, incidents
 * of the window. Raw tick, equity and trade records are never re-read.
 */
export interface History {
  readonly ticks: DayTick[];
  readonly equity: DayEquity[];
  /** Closed trades of the last 365 days (whole UTC days), as totals. */
  readonly trades: TradeTotals;
  /** The newest closed trades (at most the ledger's RECENT_TRADES), in time order. */
  readonly recentTrades: ClosedTrade[];
  readonly incidents: Incident[];
  readonly loadedAtMs: number;
}

/** Kept per instance for a few minutes (an optimisation only: a cold instance reads 2 documents and the window's incidents). Bounded LRU + TTL. */
const HISTORY_TTL_MS = 10 * 60_000;
const cache = new LRUCache<string, History>({ max: 4, ttl: HISTORY_TTL_MS });
/** Loads in flight, shared by concurrent callers (`/metrics` asks for the history and the detailed checks at once). */
const loading = new Map<string, Promise<History>>();

export function clearHistoryCache(): void {
  cache.clear();
}

export async function loadHistory(deps: HealthDeps): Promise<History> {
  const key = `${deps.settings.pair}:${deps.settings.mode}`;
  const hit = cache.get(key);
  if (hit && deps.clock.nowMs() - hit.loadedAtMs < HISTORY_TTL_MS) return hit;
  const pending = loading.get(key);
  if (pending) return pending;
  const started = readHistory(deps)
    .then((history) => {
      cache.set(key, history);
      return history;
    })
    .finally(() => loading.delete(key));
  loading.set(key, started);
  return started;
}

async function readHistory(deps: HealthDeps): Promise<History> {
  const { pair, mode } = deps.settings;
  const nowMs = deps.clock.nowMs();
  const fromMs = nowMs - AVAILABILITY_WINDOW_MS;
  return withDeadline(
    async () => {
      const [window, ledger, inc] = await Promise.all([
        deps.store.get(healthWindows, healthWindowId(pair, mode)),
        deps.store.get(tradeLedgers, tradeLedgerId(pair, mode)),
        deps.store.list(incidents, { where: [['openedAtMs', '>=', fromMs]], orderBy: { field: 'openedAtMs' } }),
      ]);
      return {
        ticks: (window?.ticks ?? []).filter((t) => t.barOpenMs >= fromMs),
        equity: (window?.equity ?? []).filter((e) => e.atMs >= fromMs),
        trades: ledger ? totalsSince(ledger, nowMs - 365 * DAY_MS) : NO_TRADES,
        recentTrades: ledger ? [...ledger.recent] : [],
        incidents: inc.map((d) => d.data),
        loadedAtMs: nowMs,
      };
    },
    {
      clock: deps.clock,
      timeoutMs: deps.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
      code: 'STORE.UNAVAILABLE',
      what: 'history read',
    },
  );
}
