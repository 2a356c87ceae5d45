import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { resetRuntime } from '../functions/runtime.js';
import { resetLogCheckDeps } from '../functions/logCheck.js';
import '../functions/index.js';
import * as grpc from '@grpc/grpc-js';
import { HOUR_MS } from '../shared/core/candle.js';
import { MAX_RECOVERY_ATTEMPTS } from '../shared/core/incidents/incidents.js';
import { createCloudLogQuery, createLogging } from '../shared/adapters/cloud-logging/cloud-log-query.js';
import { ReplayClock } from '../shared/app/replay-clock.js';
import type { LogCheckDeps, RecoveryExchange } from '../shared/app/log-check/log-check-deps.js';
import { runLogCheck } from '../shared/app/log-check/run-log-check.js';
import { healthRoute } from '../shared/app/health/routes.js';
import type { ExchangeOrder } from '../shared/ports/exchange.port.js';
import { outbox } from '../shared/store/outbox-collections.js';
import { incidents } from '../shared/store/incident-collections.js';
import { ticks } from '../shared/store/tick-collections.js';
import { startFakeLogging, type FakeEntry, type FakeLogging } from '../tools/fake-logging/server.js';
import { clearFirestoreEmulator } from '../tools/lib/firestore-emulator.js';
import { describeWithEmulator, emulatorHost, emulatorStore } from './support/emulator.js';
import { healthDeps, waveCandles } from './health-helpers.js';
import { RULES, captureLogger, tableFeed } from './tick-helpers.js';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const MIN = 60_000;
const line = (atMs: number, severity: string, payload: Record<string, unknown>): FakeEntry => ({
  timestamp: new Date(atMs).toISOString(),
  severity,
  logName: 'projects/demo-crypto-bot/logs/run.googleapis.com%2Fstdout',
  jsonPayload: payload,
});

function recoveryExchange(options: { credentialsOk: boolean }): RecoveryExchange & { cancelled: string[] } {
  const orphan: ExchangeOrder = {
    orderId: '777',
    pair: 'btc_jpy',
    side: 'sell',
    positionSide: 'long',
    type: 'stop',
    amountBtc: '0.001',
    remainingBtc: '0.001',
    executedBtc: '0',
    triggerPriceJpy: '9000000',
    status: 'UNFILLED',
    orderedAtMs: NOW - HOUR_MS,
  };
  const cancelled: string[] = [];
  return {
    cancelled,
    fetchMarginPositions: async () => [],
    fetchOpenOrders: async () => (cancelled.includes('777') ? [] : [orphan]),
    cancelOrder: async (_pair, orderId) => {
      cancelled.push(orderId);
      return { ...orphan, status: 'CANCELED_UNFILLED' };
    },
    loadMarketRules: async () => RULES,
    verifyCredentials: async () => ({
      ok: options.credentialsOk,
      checks: [
        { name: 'order', ok: options.credentialsOk, ...(options.credentialsOk ? {} : { code: 'EXCHANGE.AUTH' }) },
      ],
    }),
  };
}

describeWithEmulator('logCheck: real @google-cloud/logging client against the fake Logging gRPC server', () => {
  const store = emulatorStore('live');
  let fake: FakeLogging;
  const clock = new ReplayClock(NOW);
  const { logger, lines } = captureLogger();
  let exchange: ReturnType<typeof recoveryExchange>;
  let deps: LogCheckDeps;

  beforeAll(async () => {
    fake = await startFakeLogging();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(async () => {
    await clearFirestoreEmulator(emulatorHost());
    fake.clear();
    lines.length = 0;
    clock.set(NOW);
    exchange = recoveryExchange({ credentialsOk: false });
    const logging = createLogging({ projectId: 'demo-crypto-bot', endpoint: fake.endpoint });
    deps = {
      settings: { pair: 'btc_jpy', timeframe: '1h', mode: 'live', tickLatencyBudgetMs: 30_000, windowMs: 15 * MIN },
      store,
      clock,
      logger,
      logs: createCloudLogQuery(logging, { projectId: 'demo-crypto-bot', clock, callTimeoutMs: 1_000, pageSize: 2 }),
      candles: tableFeed(waveCandles(NOW - 72 * HOUR_MS, 80), clock),
      exchange,
    };
  });

  it('opens one incident per code from the five queries, counting only the window, and recovers what it can', async () => {
    fake.add([
      ...[1, 2, 3].map((k) =>
        line(NOW - k * MIN, 'ERROR', { message: 'tick failed', code: 'EXCHANGE.AUTH', tick: 't' }),
      ),
      line(NOW - 4 * MIN, 'ERROR', { message: 'tick failed', code: 'DATA.STALE_CANDLES' }),
      line(NOW - 5 * MIN, 'WARNING', { message: 'macro series failed', code: 'EXTERNAL.FETCH_FAILED', series: 'vix' }),
      line(NOW - 6 * MIN, 'INFO', { message: 'tick ok', code: 'TICK.OK', latencyMs: 45_000 }),
      line(NOW - 7 * MIN, 'INFO', { message: 'tick ok', code: 'TICK.OK', latencyMs: 900 }),
      line(NOW - 8 * MIN, 'ERROR', { message: 'order rejected', code: 'EXCHANGE.ORDER_REJECTED' }),
      line(NOW - 40 * MIN, 'ERROR', { message: 'old', code: 'STORE.UNAVAILABLE' }), // outside the window
      line(NOW - 2 * MIN, 'ERROR', { message: 'incident opened', code: 'STORE.CONFLICT', source: 'logCheck' }), // logCheck's own line
    ]);
    await store.set(ticks, 'btc_jpy_1h_stale', {
      tickId: 'btc_jpy_1h_stale',
      pair: 'btc_jpy',
      timeframe: '1h',
      barOpenMs: NOW - HOUR_MS,
      status: 'running',
      owner: 'dead',
      attempt: 1,
      leaseUntilMs: NOW - 30 * MIN,
      claimedAtMs: NOW - HOUR_MS,
      mode: 'live',
    });

    const summary = await runLogCheck(deps);
    expect(summary.complete).toBe(true);
    expect(summary.queries.map((q) => [q.name, q.matches])).toEqual([
      ['errors-by-code', 5],
      ['auth-failures', 3],
      ['data-failures', 1],
      ['external-fetch-failures', 1],
      ['tick-latency', 1],
    ]);
    expect(summary.opened.sort()).toEqual([
      'DATA.STALE_CANDLES',
      'EXCHANGE.AUTH',
      'EXCHANGE.ORDER_REJECTED',
      'EXTERNAL.FETCH_FAILED',
      'TICK.SLOW',
    ]);
    // Every query went through the real client with the window in its filter; pages of 2 were followed.
    expect(
      fake.requests.every(
        (r) =>
          r.filter.startsWith(`timestamp>="${new Date(NOW - 15 * MIN).toISOString().slice(0, 16)}`) &&
          r.resourceNames[0] === 'projects/demo-crypto-bot',
      ),
    ).toBe(true);
    expect(fake.requests.some((r) => r.pageToken !== '')).toBe(true);

    const stored = new Map((await store.list(incidents)).map((d) => [d.data.code, d.data]));
    expect(stored.size).toBe(5);
    expect(stored.get('EXCHANGE.AUTH')).toMatchObject({
      status: 'open',
      lastCount: 3,
      queries: ['errors-by-code', 'auth-failures'],
    });
    const byAction = new Map(summary.recoveries.map((r) => [r.action, r]));
    expect(byAction.get('clear-stale-lease')).toMatchObject({ code: 'TICK.SLOW', ok: true });
    expect(await store.get(ticks, 'btc_jpy_1h_stale')).toMatchObject({ status: 'failed', code: 'TICK.DEADLINE' });
    expect(byAction.get('refresh-candles')).toMatchObject({ code: 'DATA.STALE_CANDLES', ok: true });
    expect(byAction.get('verify-credentials')).toMatchObject({ code: 'EXCHANGE.AUTH', ok: false, attempt: 1 });
    expect(byAction.get('cancel-orphans')).toMatchObject({ code: 'EXCHANGE.ORDER_REJECTED', ok: true });
    expect(exchange.cancelled).toEqual(['777']);
    expect(stored.get('EXTERNAL.FETCH_FAILED')?.recovery.action).toBeNull();
    expect(lines.filter((l) => l.message === 'incident opened').every((l) => l.source === 'logCheck')).toBe(true);
  });

  it('resolves quiet incidents, keeps a recurring one, and gives up recovery after 3 backed-off attempts, visible on /detailed and /metrics', async () => {
    const auth = (atMs: number) => line(atMs - MIN, 'ERROR', { message: 'tick failed', code: 'EXCHANGE.AUTH' });
    fake.add([auth(NOW), line(NOW - 3 * MIN, 'ERROR', { message: 'x', code: 'DATA.BAD_CANDLES' })]);
    await runLogCheck(deps);
    const attempts: number[] = [];
    for (let k = 1; k <= 8; k += 1) {
      clock.set(NOW + k * 15 * MIN);
      fake.add([auth(NOW + k * 15 * MIN)]);
      const s = await runLogCheck(deps);
      if (k === 1) expect(s.resolved).toEqual(['DATA.BAD_CANDLES']);
      expect(s.updated).toEqual(['EXCHANGE.AUTH']);
      attempts.push(...s.recoveries.map(() => k));
    }
    // Attempt 1 at the first run, then after 30 and 60 more minutes: runs 2 and 6; none after that.
    expect(attempts).toEqual([2, 6]);
    const open = (await store.list(incidents, { where: [['status', '==', 'open']] })).map((d) => d.data);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      code: 'EXCHANGE.AUTH',
      recovery: { attempts: MAX_RECOVERY_ATTEMPTS, fixed: false },
    });
    const resolved = (await store.list(incidents, { where: [['status', '==', 'resolved']] })).map((d) => d.data);
    expect(resolved.map((i) => i.code)).toEqual(['DATA.BAD_CANDLES']);
    // each opening and resolution is a notification, written with the incident (issue 17)
    const events = (await store.list(outbox))
      .map((d) => d.data.event)
      .filter((e) => e.kind === 'incident')
      .map((e) => (e.kind === 'incident' ? `${e.data.code} ${e.data.state}` : ''));
    expect(events.sort()).toEqual(['DATA.BAD_CANDLES opened', 'DATA.BAD_CANDLES resolved', 'EXCHANGE.AUTH opened']);
    const openToResolveMs = resolved[0]!.resolvedAtMs! - resolved[0]!.openedAtMs;
    expect(Math.abs(openToResolveMs - 15 * MIN)).toBeLessThan(5_000); // the replay clock runs at wall speed

    const hd = healthDeps(store, NOW + 8 * 15 * MIN);
    const detailed = JSON.parse((await healthRoute(hd, '/detailed')).body) as {
      failing: string[];
      checks: {
        incidents: { data: { open: Array<{ code: string; recovery: { attempts: number } }> } };
        reliability: { data: { mttrSeconds: number } };
      };
    };
    expect(detailed.failing).toContain('EXCHANGE.AUTH');
    expect(detailed.checks.incidents.data.open[0]).toMatchObject({ code: 'EXCHANGE.AUTH', recovery: { attempts: 3 } });
    expect(detailed.checks.reliability.data.mttrSeconds).toBe(openToResolveMs / 1000);
    const metrics = (await healthRoute(hd, '/metrics')).body;
    expect(metrics).toMatch(/^crypto_bot_open_incidents 1$/m);
    expect(metrics).toMatch(/^crypto_bot_open_incident\{code="EXCHANGE.AUTH"\} 1$/m);
  });

  it('a failing Logging API resolves nothing and opens LOGGING.UNAVAILABLE; a hanging one is cut by the deadline', async () => {
    fake.add([line(NOW - MIN, 'ERROR', { message: 'x', code: 'DATA.BAD_CANDLES' })]);
    await runLogCheck(deps);
    clock.set(NOW + 15 * MIN);
    fake.fail({ code: grpc.status.PERMISSION_DENIED, count: 1 });
    fake.fail({ hang: true, count: 20 });
    const t0 = performance.now();
    const s = await runLogCheck(deps);
    const elapsed = performance.now() - t0;
    expect(s.complete).toBe(false);
    expect(s.queries.filter((q) => q.error).length).toBe(5);
    expect(s.queries.find((q) => q.error?.includes('PERMISSION_DENIED'))).toBeDefined();
    expect(s.resolved).toEqual([]);
    expect(s.opened).toEqual(['LOGGING.UNAVAILABLE']);
    expect(elapsed).toBeLessThan(8_000);
  });

  it('the deployed handler (functions-framework, real runtime) queries the endpoint from LOGGING_API_ENDPOINT and answers its summary', async () => {
    fake.add([line(Date.now() - MIN, 'ERROR', { message: 'firestore down', code: 'STORE.UNAVAILABLE' })]);
    process.env.LOGGING_API_ENDPOINT = fake.endpoint;
    resetRuntime();
    resetLogCheckDeps();
    const server = getTestServer('logCheck');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST' });
      const body = (await res.json()) as { status: string; opened: string[]; open: string[] };
      expect(res.status).toBe(200);
      expect(body).toMatchObject({ status: 'ok', opened: ['STORE.UNAVAILABLE'], open: ['STORE.UNAVAILABLE'] });
      expect((await store.list(incidents)).map((d) => d.data.code)).toEqual(['STORE.UNAVAILABLE']);
    } finally {
      server.close();
      delete process.env.LOGGING_API_ENDPOINT;
      resetRuntime();
      resetLogCheckDeps();
    }
  });
});
