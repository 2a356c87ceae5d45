import { beforeEach, expect, it } from 'vitest';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { resetRuntime } from '../functions/runtime.js';
import { resetHealthDeps } from '../functions/health.js';
import { clearHistoryCache } from '../shared/app/health/history.js';
import '../functions/index.js';
import parsePrometheus from 'parse-prometheus-text-format';
import { HOUR_MS } from '../shared/core/candle.js';
import { kellyFraction, maxDrawdown, winRate } from '../shared/core/performance/index.js';
import { healthRoute } from '../shared/app/health/routes.js';
import { incidents } from '../shared/store/incident-collections.js';
import { equity } from '../shared/store/tick-collections.js';
import { bookTrade, repairHealthSummaries } from '../shared/app/health/summaries.js';
import { modelPointers } from '../shared/store/model-collections.js';
import { planIncidents, incidentId } from '../shared/core/incidents/incidents.js';
import { clearFirestoreEmulator } from '../tools/lib/firestore-emulator.js';
import { describeWithEmulator, emulatorHost, emulatorStore } from './support/emulator.js';
import {
  fakeLiveExchange,
  healthDeps,
  runPaperTicks,
  seedCandles,
  seedMacro,
  seedModel,
  waveCandles,
} from './health-helpers.js';

const T0 = Date.UTC(2026, 10, 20);
const at = (bar: number) => T0 + bar * HOUR_MS;
const NOW = at(48) + 10 * 60_000; // 10 minutes into bar 48

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
async function get(
  deps: ReturnType<typeof healthDeps>,
  route: string,
): Promise<{ status: number; body: Body; contentType: string; text: string }> {
  const a = await healthRoute(deps, route);
  return {
    status: a.status,
    contentType: a.contentType,
    text: a.body,
    body: a.contentType.startsWith('application/json') ? (JSON.parse(a.body) as Body) : {},
  };
}

describeWithEmulator('health over emulator-backed records', () => {
  const store = emulatorStore('paper');
  const candles = waveCandles(T0, 60);

  beforeEach(async () => {
    await clearFirestoreEmulator(emulatorHost());
    await seedCandles(store, candles, NOW);
    await seedMacro(store, NOW);
    await seedModel(store, NOW - 3 * 24 * HOUR_MS);
    await runPaperTicks(store, candles, [at(45), at(46), at(47), at(48)]);
  });

  it('/detailed answers 200 with every check, the last tick and availability', async () => {
    const { status, body } = await get(healthDeps(store, NOW), '/detailed');
    expect(body.failing).toEqual([]);
    expect(status).toBe(200);
    expect(body.mode).toBe('paper');
    expect(Object.keys(body.checks).sort()).toEqual(
      [
        'candles',
        'credentials',
        'incidents',
        'killSwitch',
        'lastTick',
        'macro',
        'margin',
        'model',
        'position',
        'reliability',
      ].sort(),
    );
    expect(body.checks.lastTick.data.last).toMatchObject({
      bar: new Date(at(48)).toISOString(),
      outcome: 'ok',
      code: 'TICK.OK',
    });
    expect(body.checks.model.data).toMatchObject({ version: 'model-2026-11-01', ageDays: 3 });
    expect(body.checks.macro.data.series.vix).toMatchObject({ ageDays: 1, stale: false });
    expect(body.checks.candles.data.lastBar).toBe(new Date(at(47)).toISOString());
    // Bars 45..47 closed since the first tick, all successful (bar 48 still open).
    expect(body.checks.reliability.data).toMatchObject({
      availability: 1,
      barsElapsed: 3,
      barsOk: 3,
      mttrSeconds: null,
    });
    expect(body.checks.margin.status).toBe('skipped');
  });

  it('/detailed answers 503 naming TICK.MISSED and stale candles when no tick succeeded for 2 bars', async () => {
    const later = at(51) + 5 * 60_000;
    const { status, body } = await get(healthDeps(store, later), '/detailed');
    expect(status).toBe(503);
    expect(body.status).toBe('failing');
    expect(body.failing).toEqual(expect.arrayContaining(['TICK.MISSED', 'DATA.STALE_CANDLES']));
    expect(body.checks.lastTick.data.lastOkBar).toBe(new Date(at(48)).toISOString());
    // 3 bars elapsed after bar 48 without a tick: availability drops to 4/6.
    expect(body.checks.reliability.data).toMatchObject({ barsElapsed: 6, barsOk: 4 });
  });

  it('/detailed fails on a missing model, stale macro data and an open incident, each by its code', async () => {
    await store.delete(modelPointers, 'current');
    await seedMacro(store, NOW, 9);
    const plan = planIncidents({
      open: [],
      observations: [{ code: 'EXCHANGE.RATE_LIMIT', count: 4, query: 'errors-by-code', message: 'rate limited' }],
      nowMs: NOW - HOUR_MS,
    });
    await store.set(incidents, incidentId('EXCHANGE.RATE_LIMIT', NOW - HOUR_MS), plan.open[0]!);
    const { status, body } = await get(healthDeps(store, NOW), '/detailed');
    expect(status).toBe(503);
    expect(body.failing.sort()).toEqual(['DATA.MACRO_STALE', 'EXCHANGE.RATE_LIMIT', 'MODEL.MISSING']);
    expect(body.checks.incidents.data.open[0]).toMatchObject({ code: 'EXCHANGE.RATE_LIMIT', lastCount: 4 });
  });

  it('an open NOTIFY.CHANNEL_FAILING incident is a warning (the bot trades on), not a 503; with a trading incident it fails', async () => {
    const opened = (code: 'NOTIFY.CHANNEL_FAILING' | 'EXCHANGE.RATE_LIMIT') =>
      planIncidents({
        open: [],
        observations: [{ code, count: 2, query: 'notify', message: 'slack: 2 failed runs' }],
        nowMs: NOW - HOUR_MS,
      }).open[0]!;
    await store.set(incidents, incidentId('NOTIFY.CHANNEL_FAILING', NOW - HOUR_MS), opened('NOTIFY.CHANNEL_FAILING'));
    const degraded = await get(healthDeps(store, NOW), '/detailed');
    expect(degraded.status).toBe(200);
    expect(degraded.body.failing).toEqual([]);
    expect(degraded.body.checks.incidents).toMatchObject({ status: 'warn', codes: ['NOTIFY.CHANNEL_FAILING'] });
    await store.set(incidents, incidentId('EXCHANGE.RATE_LIMIT', NOW - HOUR_MS), opened('EXCHANGE.RATE_LIMIT'));
    const failing = await get(healthDeps(store, NOW), '/detailed');
    expect(failing.status).toBe(503);
    expect(failing.body.failing).toEqual(['EXCHANGE.RATE_LIMIT']);
  });

  it('live mode: margin call and rejected keys fail by code; a hanging exchange fails by deadline, never past 5 s', async () => {
    const live = (exchange: ReturnType<typeof fakeLiveExchange>, checkTimeoutMs?: number) => {
      const deps = healthDeps(store, NOW, { exchange, ...(checkTimeoutMs ? { checkTimeoutMs } : {}) });
      return { ...deps, settings: { ...deps.settings, mode: 'live' as const } };
    };
    const good = await get(live(fakeLiveExchange({})), '/detailed');
    expect(good.status).toBe(200);
    expect(good.body.checks.credentials.status).toBe('ok');
    expect(good.body.checks.margin.data.status).toBe('NORMAL');

    const bad = await get(live(fakeLiveExchange({ margin: 'CALL', credentialsOk: false })), '/detailed');
    expect(bad.status).toBe(503);
    expect(bad.body.failing.sort()).toEqual(['EXCHANGE.AUTH', 'EXCHANGE.MARGIN_CALL']);

    const t0 = performance.now();
    const hung = await get(live(fakeLiveExchange({ hang: true }), 1_500), '/detailed');
    const elapsed = performance.now() - t0;
    expect(hung.status).toBe(503);
    expect(hung.body.failing).toEqual(['EXCHANGE.TIMEOUT']);
    expect(hung.body.checks.lastTick.status).toBe('ok');
    expect(elapsed).toBeGreaterThanOrEqual(1_400);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('/performance grades the core maths over stored trades and equity', async () => {
    const pnls = [300, 200, -100, 250, -150, 400, 120, -80, 60, 90];
    for (const [i, pnl] of pnls.entries()) {
      await bookTrade(
        store,
        {
          pair: 'btc_jpy',
          side: 'long',
          amountBtc: '0.001',
          entryTimeMs: at(10 + i),
          exitTimeMs: at(11 + i),
          entryPriceJpy: 1e7,
          exitPriceJpy: 1e7 + pnl * 1000,
          pnlJpy: pnl,
          feesJpy: 1,
          interestJpy: 0,
          exitReason: 'signal',
          closingOrderId: `o${i}`,
          tradeIds: [],
        },
        'paper',
        NOW,
      );
    }
    const curve = [1_000_000, 1_010_000, 950_000, 1_020_000, 1_030_000];
    for (const [i, e] of curve.entries())
      await store.set(equity, `e${i}`, {
        atMs: at(20 + i),
        tickId: `e${i}`,
        equityJpy: e,
        peakJpy: Math.max(...curve.slice(0, i + 1)),
        mode: 'paper',
      });
    // Equity recorded without a tick (before the day summaries existed): the one-off repair adds it to them.
    await repairHealthSummaries(store, { pair: 'btc_jpy', mode: 'paper', nowMs: NOW });
    const { status, body } = await get(healthDeps(store, NOW), '/performance');
    expect(status).toBe(200);
    expect(body.trades).toBe(10);
    expect(body.totalProfitJpy).toBe(1090);
    expect(body.winRate).toEqual({ value: winRate(pnls), grade: 'good' });
    expect(body.kelly.value).toBeCloseTo(kellyFraction(pnls) as number, 12);
    expect(body.kelly.grade).toBe('good');
    // The paper ticks of beforeEach wrote equity too (1,000,000 each); the curve is read in time order.
    expect(body.maxDrawdown.value).toBeCloseTo(maxDrawdown([...curve, 1_000_000, 1_000_000, 1_000_000, 1_000_000]), 12);
    expect(body.maxDrawdown.grade).toBe('good');
    expect(['good', 'warning', 'poor']).toContain(body.sharpe.grade);
  });

  it('/metrics is Prometheus text that parses, with the promised families and values', async () => {
    await bookTrade(
      store,
      {
        pair: 'btc_jpy',
        side: 'short',
        amountBtc: '0.001',
        entryTimeMs: at(30),
        exitTimeMs: at(31),
        entryPriceJpy: 1e7,
        exitPriceJpy: 9.9e6,
        pnlJpy: 95,
        feesJpy: 5,
        interestJpy: 0,
        exitReason: 'stop',
        closingOrderId: 'x',
        tradeIds: [],
      },
      'paper',
      NOW,
    );
    const { status, text, contentType } = await get(healthDeps(store, NOW), '/metrics');
    expect(status).toBe(200);
    expect(contentType).toContain('text/plain');
    const families = new Map(parsePrometheus(text).map((f) => [f.name, f]));
    const promised = [
      'crypto_bot_uptime_seconds',
      'crypto_bot_health_status',
      'crypto_bot_net_profit_365d_jpy',
      'crypto_bot_closed_trades_365d',
      'crypto_bot_winning_trades_365d_ratio',
      'crypto_bot_kelly_365d_ratio',
      'crypto_bot_max_drawdown_30d_ratio',
      'crypto_bot_ticks_30d',
      'crypto_bot_tick_latency_30d_seconds',
      'crypto_bot_open_incidents',
      'crypto_bot_availability_30d_ratio',
    ];
    for (const name of promised) {
      expect(families.has(name), name).toBe(true);
    }
    // Unknown here, so absent (not 0): a flat equity curve has no Sharpe ratio, no incident was resolved.
    expect(families.has('crypto_bot_sharpe_30d_ratio')).toBe(false);
    expect(families.has('crypto_bot_mttr_30d_seconds')).toBe(false);
    const value = (name: string) => Number(families.get(name)?.metrics[0]?.value);
    expect(value('crypto_bot_health_status')).toBe(1);
    expect(value('crypto_bot_closed_trades_365d')).toBe(1);
    expect(value('crypto_bot_net_profit_365d_jpy')).toBe(95);
    expect(value('crypto_bot_uptime_seconds')).toBeGreaterThanOrEqual(60);
    expect(value('crypto_bot_availability_30d_ratio')).toBe(1);
    expect(families.get('crypto_bot_ticks_30d')?.metrics).toEqual([{ labels: { outcome: 'ok' }, value: '4' }]); // four paper ticks, all ok
    const latency = families.get('crypto_bot_tick_latency_30d_seconds');
    expect(latency?.type).toBe('GAUGE');
    expect(latency?.metrics.map((m) => m.labels?.quantile)).toEqual(['0.5', '0.95', '1']);
  });

  it('/metrics reports an unhealthy bot and its open incidents by code', async () => {
    const plan = planIncidents({
      open: [],
      observations: [{ code: 'EXCHANGE.AUTH', count: 2, query: 'auth-failures', message: 'rejected' }],
      nowMs: NOW,
    });
    await store.set(incidents, incidentId('EXCHANGE.AUTH', NOW), plan.open[0]!);
    const { text } = await get(healthDeps(store, NOW), '/metrics');
    const families = new Map(parsePrometheus(text).map((f) => [f.name, f]));
    expect(Number(families.get('crypto_bot_health_status')?.metrics[0]?.value)).toBe(0);
    expect(Number(families.get('crypto_bot_open_incidents')?.metrics[0]?.value)).toBe(1);
    expect(families.get('crypto_bot_open_incident')?.metrics[0]?.labels).toEqual({ code: 'EXCHANGE.AUTH' });
    expect(families.get('crypto_bot_failing_checks')?.metrics.map((m) => m.labels?.code)).toEqual(['EXCHANGE.AUTH']);
  });

  it('/ is liveness only and unknown routes answer 404', async () => {
    expect((await get(healthDeps(store, NOW), '/')).body).toMatchObject({ status: 'ok', mode: 'paper' });
    expect((await get(healthDeps(store, NOW), '/nope')).status).toBe(404);
  });

  it('the deployed handler (functions-framework, real clock) answers 503 on week-old records and serves metrics and the page', async () => {
    resetRuntime();
    resetHealthDeps();
    clearHistoryCache();
    const server = getTestServer('health');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const detailed = await fetch(`${base}/detailed`);
      const body = (await detailed.json()) as { failing: string[] };
      expect(detailed.status).toBe(503);
      expect(body.failing).toEqual(expect.arrayContaining(['TICK.MISSED', 'DATA.STALE_CANDLES']));
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.headers.get('content-type')).toContain('text/plain');
      expect(await metrics.text()).toMatch(/^crypto_bot_health_status 0$/m);
      const page = await fetch(`${base}/dashboard/`);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('window.LightweightCharts=');
    } finally {
      server.close();
      resetHealthDeps();
    }
  });
});
