import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { TIMEFRAME_MS } from '../../core/candle.js';
import { availability, meanTimeToRecoveryMs } from '../../core/incidents/availability.js';
import type { DetailedHealth } from './detailed.js';
import type { HealthDeps } from './health-deps.js';
import type { History } from './history.js';
import { performanceOf } from './performance.js';

/** Tick latency buckets, seconds (the tick deadline is 60 s by default). */
const LATENCY_BUCKETS = [0.25, 0.5, 1, 2, 5, 10, 20, 30, 45, 60, 120];

/**
 * Prometheus text for one request: a fresh Registry each time (no state kept between invocations),
 * filled from the detailed checks and the 30-day history. The latency histogram and the error
 * counts cover the tick records of the last 30 days.
 */
export async function renderMetrics(deps: HealthDeps, detailed: DetailedHealth, history: History): Promise<{ contentType: string; text: string }> {
  const registry = new Registry();
  const nowMs = deps.clock.nowMs();
  const gauge = (name: string, help: string, value: number | null): void => {
    const g = new Gauge({ name, help, registers: [registry] });
    if (value !== null && Number.isFinite(value)) g.set(value);
  };
  const perf = performanceOf(history);
  gauge('crypto_bot_uptime_seconds', 'Seconds since this function instance started', (nowMs - deps.startedAtMs) / 1000);
  gauge('crypto_bot_health_status', '1 when every detailed health check passes, else 0', detailed.httpStatus === 200 ? 1 : 0);
  gauge('crypto_bot_total_profit_jpy', 'Net profit of closed trades (365 days), JPY', perf.totalProfitJpy);
  gauge('crypto_bot_trade_count', 'Closed trades (365 days)', perf.trades);
  gauge('crypto_bot_win_rate', 'Fraction of closed trades with a positive net result', perf.winRate.value);
  gauge('crypto_bot_kelly_ratio', 'Kelly fraction of the closed trades', perf.kelly.value);
  gauge('crypto_bot_max_drawdown', 'Largest drawdown of the 30-day equity curve, fraction', perf.maxDrawdown.value);
  gauge('crypto_bot_sharpe_ratio', 'Annualised Sharpe ratio of the 30-day hourly equity curve', perf.sharpe.value);

  const a = availability({ okBarOpensMs: history.ticks.filter((t) => t.outcome === 'ok').map((t) => t.barOpenMs), firstBarMs: history.ticks[0]?.barOpenMs ?? null, nowMs, barMs: TIMEFRAME_MS[deps.settings.timeframe] });
  gauge('crypto_bot_availability_ratio', 'Bars with a successful tick over bars elapsed (30 days)', a.ratio);
  const mttr = meanTimeToRecoveryMs(history.incidents, nowMs);
  gauge('crypto_bot_mttr_seconds', 'Mean time to recovery of incidents resolved in 30 days', mttr === null ? null : mttr / 1000);

  const latency = new Histogram({ name: 'crypto_bot_tick_latency_seconds', help: 'Latency of recorded ticks (30 days)', labelNames: ['outcome'], buckets: LATENCY_BUCKETS, registers: [registry] });
  const errors = new Counter({ name: 'crypto_bot_tick_errors_total', help: 'Failed or too-late ticks by code (30 days)', labelNames: ['code'], registers: [registry] });
  for (const t of history.ticks) {
    if (t.latencyMs !== undefined && t.outcome !== undefined) latency.observe({ outcome: t.outcome }, t.latencyMs / 1000);
    if ((t.outcome === 'failed' || t.outcome === 'too-late') && t.code) errors.inc({ code: t.code });
  }
  const openList = (detailed.body.checks.incidents?.data?.open ?? []) as Array<{ code: string }>;
  gauge('crypto_bot_open_incidents', 'Open incidents (one per code at most; ones recovery could not fix stay open)', openList.length);
  const open = new Gauge({ name: 'crypto_bot_open_incident', help: '1 for each open incident, by code', labelNames: ['code'], registers: [registry] });
  for (const i of openList) open.set({ code: i.code }, 1);
  const failing = new Gauge({ name: 'crypto_bot_failing_checks', help: 'Failing health checks by code', labelNames: ['code'], registers: [registry] });
  for (const code of detailed.body.failing) failing.set({ code }, 1);
  return { contentType: registry.contentType, text: await registry.metrics() };
}
