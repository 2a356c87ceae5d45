import { Gauge, Registry } from 'prom-client';
import { TIMEFRAME_MS } from '../../core/candle.js';
import { tickWindowStats } from '../../core/health/tick-window.js';
import { availability, meanTimeToRecoveryMs } from '../../core/incidents/availability.js';
import type { DetailedHealth } from './detailed.js';
import type { HealthDeps } from './health-deps.js';
import type { History } from './history.js';
import { performanceOf } from './performance.js';

interface Sample {
  readonly labels?: Record<string, string | number>;
  readonly value: number | null;
}

/**
 * Prometheus text for one request: a fresh Registry each time (no state kept between invocations),
 * filled from the detailed checks and the history. Every family is a gauge: the figures are the
 * instance's state or recomputed from a window at each scrape (named for it: `_30d`, `_365d`), so
 * none only grows and none is a counter. A figure that is not known (no trades, no equity curve, no
 * tick recorded) is left out, never written as 0; so is a labelled family without samples.
 */
export async function renderMetrics(
  deps: Pick<HealthDeps, 'clock' | 'startedAtMs' | 'settings'>,
  detailed: DetailedHealth,
  history: History,
): Promise<{ contentType: string; text: string }> {
  const registry = new Registry();
  const nowMs = deps.clock.nowMs();
  const gauge = (name: string, help: string, samples: readonly Sample[], labelNames: readonly string[] = []): void => {
    const known = samples.filter((s): s is Sample & { value: number } => s.value !== null && Number.isFinite(s.value));
    if (known.length === 0) return;
    const g = new Gauge({ name, help, labelNames, registers: [registry] });
    for (const s of known) {
      if (s.labels) g.set(s.labels, s.value);
      else g.set(s.value);
    }
  };
  const one = (value: number | null): Sample[] => [{ value }];

  const perf = performanceOf(history);
  const uptimeSeconds = (nowMs - deps.startedAtMs) / 1000;
  gauge('crypto_bot_uptime_seconds', 'Seconds since this function instance started', one(uptimeSeconds));
  const healthy = detailed.httpStatus === 200 ? 1 : 0;
  gauge('crypto_bot_health_status', '1 when every detailed health check passes, else 0', one(healthy));
  gauge('crypto_bot_net_profit_365d_jpy', 'Net profit of closed trades in JPY (365 days)', one(perf.totalProfitJpy));
  gauge('crypto_bot_closed_trades_365d', 'Closed trades (365 days)', one(perf.trades));
  gauge(
    'crypto_bot_winning_trades_365d_ratio',
    'Fraction of closed trades with a positive net result (365 days)',
    one(perf.winRate.value),
  );
  gauge('crypto_bot_kelly_365d_ratio', 'Kelly fraction of the closed trades (365 days)', one(perf.kelly.value));
  gauge(
    'crypto_bot_max_drawdown_30d_ratio',
    'Largest drawdown of the equity curve, a fraction of its peak (30 days)',
    one(perf.maxDrawdown.value),
  );
  gauge(
    'crypto_bot_sharpe_30d_ratio',
    'Annualised Sharpe ratio of the hourly equity curve (30 days)',
    one(perf.sharpe.value),
  );

  const barMs = TIMEFRAME_MS[deps.settings.timeframe];
  const okBarOpensMs = history.ticks.filter((t) => t.outcome === 'ok').map((t) => t.barOpenMs);
  const a = availability({ okBarOpensMs, firstBarMs: history.ticks[0]?.barOpenMs ?? null, nowMs, barMs });
  gauge('crypto_bot_availability_30d_ratio', 'Fraction of elapsed bars with a successful tick (30 days)', one(a.ratio));
  const mttrMs = meanTimeToRecoveryMs(history.incidents, nowMs);
  gauge(
    'crypto_bot_mttr_30d_seconds',
    'Mean seconds from opening to resolving an incident (30 days)',
    one(mttrMs === null ? null : mttrMs / 1000),
  );

  const stats = tickWindowStats(history.ticks);
  const ticks = [...stats.ticksByOutcome].map(([outcome, n]) => ({ labels: { outcome }, value: n }));
  gauge('crypto_bot_ticks_30d', 'Recorded ticks by outcome (30 days)', ticks, ['outcome']);
  const latency = [...stats.latencyMsByOutcome].flatMap(([outcome, quantiles]) =>
    quantiles.map((q) => ({ labels: { outcome, quantile: q.quantile }, value: q.ms / 1000 })),
  );
  const latencyHelp = 'Tick latency in seconds, nearest-rank quantiles by outcome (30 days)';
  gauge('crypto_bot_tick_latency_30d_seconds', latencyHelp, latency, ['outcome', 'quantile']);
  const errors = [...stats.errorsByCode].map(([code, n]) => ({ labels: { code }, value: n }));
  gauge('crypto_bot_tick_errors_30d', 'Failed or too-late ticks by code (30 days)', errors, ['code']);

  // Unknown (absent) when the incidents check could not read them.
  const read = detailed.body.checks.incidents?.data?.open;
  const openList = Array.isArray(read) ? (read as Array<{ code: string }>) : null;
  const openHelp = 'Open incidents (one per code at most; ones recovery could not fix stay open)';
  gauge('crypto_bot_open_incidents', openHelp, one(openList === null ? null : openList.length));
  const open = (openList ?? []).map((i) => ({ labels: { code: i.code }, value: 1 }));
  gauge('crypto_bot_open_incident', '1 for each open incident, by code', open, ['code']);
  const failing = detailed.body.failing.map((code) => ({ labels: { code }, value: 1 }));
  gauge('crypto_bot_failing_checks', 'Failing health checks by code', failing, ['code']);
  return { contentType: registry.contentType, text: await registry.metrics() };
}
