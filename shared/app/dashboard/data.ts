import { drawdownSeries } from '../../core/performance/index.js';
import { withDeadline } from '../../core/retry.js';
import { fromCandleDayRecord } from '../../adapters/market-data/candle-days.js';
import { candleDays } from '../../store/market-data-collections.js';
import type { DetailedHealth } from '../health/detailed.js';
import { DEFAULT_CHECK_TIMEOUT_MS, type HealthDeps } from '../health/health-deps.js';
import type { History } from '../health/history.js';
import { performanceOf } from '../health/performance.js';

/** Everything the dashboard page draws, in one JSON document (times in seconds for the charts). */
export async function dashboardData(
  deps: HealthDeps,
  detailed: DetailedHealth,
  history: History,
): Promise<Record<string, unknown>> {
  const { pair } = deps.settings;
  const days = await withDeadline(
    () => deps.store.list(candleDays, { orderBy: { field: 'seriesDay', direction: 'desc' }, limit: 8 }),
    {
      clock: deps.clock,
      timeoutMs: deps.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
      code: 'STORE.UNAVAILABLE',
      what: 'dashboard read',
    },
  );
  const candles = days
    .map((d) => d.data)
    .filter((d) => d.pair === pair)
    .reverse()
    .flatMap(fromCandleDayRecord)
    .map((c) => ({ time: c.openTimeMs / 1000, open: c.open, high: c.high, low: c.low, close: c.close }));
  const curve = history.equity.map((e) => e.equityJpy);
  const dd = drawdownSeries(curve);
  return {
    generatedAt: new Date(deps.clock.nowMs()).toISOString(),
    pair,
    mode: deps.settings.mode,
    health: { status: detailed.body.status, failing: detailed.body.failing, checks: detailed.body.checks },
    performance: performanceOf(history),
    candles,
    trades: history.recentTrades.map((t) => ({
      side: t.side,
      entryTime: t.entryTimeMs / 1000,
      exitTime: t.exitTimeMs / 1000,
      entryPriceJpy: t.entryPriceJpy,
      exitPriceJpy: t.exitPriceJpy,
      pnlJpy: t.pnlJpy,
      exitReason: t.exitReason,
    })),
    equity: history.equity.map((e, i) => ({ time: e.atMs / 1000, equityJpy: e.equityJpy, drawdown: dd[i] ?? 0 })),
    // The last 24 finished ticks from the day summaries (a running tick shows in the lastTick check).
    ticks: history.ticks
      .slice(-24)
      .reverse()
      .map((t) => ({
        bar: new Date(t.barOpenMs).toISOString(),
        status: t.outcome === 'failed' ? 'failed' : 'done',
        outcome: t.outcome,
        code: t.code ?? null,
        latencyMs: t.latencyMs ?? null,
        decision: t.decision ?? null,
      })),
    incidents: [...history.incidents]
      .reverse()
      .slice(0, 30)
      .map((i) => ({
        code: i.code,
        status: i.status,
        openedAt: new Date(i.openedAtMs).toISOString(),
        resolvedAt: i.resolvedAtMs === null ? null : new Date(i.resolvedAtMs).toISOString(),
        lastCount: i.lastCount,
        recovery: i.recovery.lastResult,
        attempts: i.recovery.attempts,
      })),
  };
}
