import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../core/candle.js';
import { addTrade, NO_TRADES } from '../../core/performance/trade-totals.js';
import type { DayTick } from '../../core/health/day-summary.js';
import type { Incident } from '../../core/incidents/incidents.js';
import { parseWithOfficialParser, type ParsedFamily } from '../../../test/support/prometheus.js';
import type { Check } from './checks.js';
import type { DetailedHealth } from './detailed.js';
import type { History } from './history.js';
import { renderMetrics } from './metrics.js';

const NOW = Date.UTC(2026, 10, 20, 12, 10);
const BAR0 = Date.UTC(2026, 10, 20, 0);
const deps = {
  settings: {
    mode: 'paper',
    pair: 'btc_jpy',
    timeframe: '1h',
    macroMode: 'off',
    macroMaxAgeDays: 4,
    tickLatencyBudgetMs: 30_000,
  },
  clock: { nowMs: () => NOW, sleep: () => Promise.resolve() },
  startedAtMs: NOW - 90_000,
} as const;
const healthy: DetailedHealth = {
  httpStatus: 200,
  body: {
    status: 'ok',
    mode: 'paper',
    version: 't',
    uptimeSeconds: 90,
    failing: [],
    elapsedMs: 1,
    checks: { incidents: { status: 'ok', detail: 'none open', data: { open: [] } } },
  },
};
const empty: History = { ticks: [], equity: [], trades: NO_TRADES, recentTrades: [], incidents: [], loadedAtMs: NOW };

/** Bars 0..11 closed: ten ok ticks taking 1..10 s, bar 10 failed on a timeout, bar 11 too late. */
const ticks: DayTick[] = [
  ...Array.from({ length: 10 }, (_, k): DayTick => {
    return { barOpenMs: BAR0 + k * HOUR_MS, outcome: 'ok', code: 'TICK.OK', latencyMs: (k + 1) * 1000 };
  }),
  { barOpenMs: BAR0 + 10 * HOUR_MS, outcome: 'failed', code: 'EXCHANGE.TIMEOUT', latencyMs: 20_000 },
  { barOpenMs: BAR0 + 11 * HOUR_MS, outcome: 'too-late', code: 'TICK.TOO_LATE', latencyMs: 50 },
];
const resolved: Incident = {
  code: 'STORE.UNAVAILABLE',
  status: 'resolved',
  openedAtMs: NOW - 3 * HOUR_MS,
  lastSeenAtMs: NOW - 3 * HOUR_MS,
  resolvedAtMs: NOW - 2 * HOUR_MS,
  lastCount: 1,
  totalCount: 1,
  queries: ['errors-by-code'],
  message: 'down',
  recovery: {
    action: null,
    attempts: 0,
    lastAttemptMs: null,
    nextAttemptAfterMs: null,
    lastResult: null,
    fixed: false,
  },
};
const full: History = {
  ...empty,
  ticks,
  equity: [1_000_000, 1_010_000, 990_000, 1_020_000].map((equityJpy, k) => ({ atMs: BAR0 + k * HOUR_MS, equityJpy })),
  trades: [300, -100, 200].reduce(addTrade, NO_TRADES),
  incidents: [resolved],
};

async function families(history: History): Promise<Map<string, ParsedFamily>> {
  const { text } = await renderMetrics(deps, healthy, history);
  return new Map(parseWithOfficialParser(text).map((f) => [f.name, f]));
}
const value = (f: Map<string, ParsedFamily>, name: string, labels: Record<string, string> = {}) =>
  f.get(name)?.samples.find((s) => JSON.stringify(s.labels) === JSON.stringify(labels))?.value;

describe('/metrics text', () => {
  it('leaves out every figure it does not know (no trade, equity, tick or incident) instead of writing 0', async () => {
    const f = await families(empty);
    expect([...f.keys()].sort()).toEqual([
      'crypto_bot_closed_trades_365d',
      'crypto_bot_health_status',
      'crypto_bot_net_profit_365d_jpy',
      'crypto_bot_open_incidents',
      'crypto_bot_uptime_seconds',
    ]);
    expect(value(f, 'crypto_bot_closed_trades_365d')).toBe(0);
    expect(value(f, 'crypto_bot_uptime_seconds')).toBe(90);
    expect(value(f, 'crypto_bot_open_incidents')).toBe(0);
  });

  it('leaves out the open incidents when their check could not read them (not 0)', async () => {
    const unread: Check = { status: 'fail', codes: ['STORE.UNAVAILABLE'], detail: 'check timed out' };
    const failed: DetailedHealth = {
      httpStatus: 503,
      body: { ...healthy.body, failing: ['STORE.UNAVAILABLE'], checks: { incidents: unread } },
    };
    const { text } = await renderMetrics(deps, failed, empty);
    const f = new Map(parseWithOfficialParser(text).map((family) => [family.name, family]));
    expect(f.has('crypto_bot_open_incidents')).toBe(false);
    expect(value(f, 'crypto_bot_failing_checks', { code: 'STORE.UNAVAILABLE' })).toBe(1);
  });

  it('writes the 30-day figures as gauges named for the window, latency as quantiles of the window', async () => {
    const f = await families(full);
    expect(value(f, 'crypto_bot_closed_trades_365d')).toBe(3);
    expect(value(f, 'crypto_bot_net_profit_365d_jpy')).toBe(400);
    expect(value(f, 'crypto_bot_winning_trades_365d_ratio')).toBeCloseTo(2 / 3, 12);
    expect(value(f, 'crypto_bot_max_drawdown_30d_ratio')).toBeCloseTo(20_000 / 1_010_000, 12);
    expect(f.has('crypto_bot_sharpe_30d_ratio')).toBe(true);
    expect(f.has('crypto_bot_kelly_365d_ratio')).toBe(true);
    // 12 bars closed (00:00..11:00 open), 10 with a successful tick.
    expect(value(f, 'crypto_bot_availability_30d_ratio')).toBeCloseTo(10 / 12, 12);
    expect(value(f, 'crypto_bot_mttr_30d_seconds')).toBe(3600);
    expect(value(f, 'crypto_bot_ticks_30d', { outcome: 'ok' })).toBe(10);
    expect(value(f, 'crypto_bot_ticks_30d', { outcome: 'failed' })).toBe(1);
    expect(value(f, 'crypto_bot_ticks_30d', { outcome: 'too-late' })).toBe(1);
    expect(value(f, 'crypto_bot_tick_errors_30d', { code: 'EXCHANGE.TIMEOUT' })).toBe(1);
    expect(value(f, 'crypto_bot_tick_errors_30d', { code: 'TICK.TOO_LATE' })).toBe(1);
    // Nearest-rank quantiles of the ten ok latencies 1..10 s: p50 = 5th, p95 = 10th, max.
    expect(value(f, 'crypto_bot_tick_latency_30d_seconds', { outcome: 'ok', quantile: '0.5' })).toBe(5);
    expect(value(f, 'crypto_bot_tick_latency_30d_seconds', { outcome: 'ok', quantile: '0.95' })).toBe(10);
    expect(value(f, 'crypto_bot_tick_latency_30d_seconds', { outcome: 'ok', quantile: '1' })).toBe(10);
    expect(value(f, 'crypto_bot_tick_latency_30d_seconds', { outcome: 'failed', quantile: '0.5' })).toBe(20);
  });

  it('follows the Prometheus naming conventions, as the official parser reads it', async () => {
    const failing: DetailedHealth = { httpStatus: 503, body: { ...healthy.body, failing: ['EXCHANGE.AUTH'] } };
    const { text } = await renderMetrics(deps, failing, full);
    const parsed = parseWithOfficialParser(text);
    expect(parsed.length).toBeGreaterThanOrEqual(14);
    for (const family of parsed) {
      const { name, type, help } = family;
      expect(name, name).toMatch(/^crypto_bot_[a-z][a-z0-9_]*[a-z0-9]$/);
      expect(help.length, name).toBeGreaterThan(10);
      // Every figure is the instance's state or recomputed from a window at each scrape: nothing here only grows.
      expect(type, name).toBe('gauge');
      for (const sample of family.samples) expect(sample.name, name).toBe(name);
      expect(name, name).not.toMatch(/_(total|count|sum|bucket|created|info)$/);
      // Base units only, spelt out; fractions are ratios.
      expect(name, name).not.toMatch(/_(ms|milliseconds|minutes|hours|percent|pct|rate|kb|mb)(_|$)/);
      expect(/fraction|ratio/i.test(help), name).toBe(name.endsWith('_ratio'));
      expect(/\bseconds\b/i.test(help), name).toBe(name.endsWith('_seconds'));
      expect(/\bJPY\b/.test(help), name).toBe(name.endsWith('_jpy'));
      // A figure over a window says which one, in the name and in the help.
      for (const [days, suffix] of [
        ['30', '_30d'],
        ['365', '_365d'],
      ] as const) {
        expect(help.includes(`(${days} days)`), name).toBe(name.includes(`${suffix}`));
      }
      expect(name, name).not.toMatch(/_\d+d_\d+d/);
    }
    // One name per meaning: no two families share a help text.
    expect(new Set(parsed.map((f) => f.help)).size).toBe(parsed.length);
  });
});
