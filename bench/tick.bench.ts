/**
 * The tick against the fakes, as `npm start` runs it: Firestore emulator (started here unless
 * FIRESTORE_EMULATOR_HOST names one; not timed), fake bitbank on the shared candles (x150 JPY),
 * fake Yahoo on data/macro, all set up by the replay session in this process; the tick itself runs
 * in a separate process from an esbuild bundle built as tools/build.ts builds `dist/tick` (one
 * function instance, as deployed), its clock set per request to the replayed bar. Measures each tick's
 * latency (the tick's own `latencyMs`, and the HTTP round trip), the first tick apart (cold
 * instance and the candle store's first fill), the instance's peak RSS (VmHWM), health
 * `/detailed` sequentially, and Firestore reads/writes per tick (counted in this process's run).
 * Prints one JSON object. Run: `npx tsx bench/tick.bench.ts [bars]`.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { readCandlesCsv, readMacroDir } from '../tools/lib/csv.js';
import { startFirestoreEmulator, type RunningEmulator } from '../tools/lib/firestore-emulator.js';
import { gapFreeStart, startReplay } from '../tools/replay/replay.js';
import { buildFunction } from '../tools/build.js';
import { CountingStore } from '../tools/replay/counting-store.js';
import { healthRoute } from '../shared/app/health/routes.js';
import { clearHistoryCache } from '../shared/app/health/history.js';

/** Appended to the tick bundle's entry: a second function wrapping tick with a per-request replay clock, served at once. */
const INSTANCE_SOURCE = `
import { getTestServer as __serve } from '@google-cloud/functions-framework/testing';
import { ReplayClock as __Clock } from './shared/app/replay-clock.js';
import { resetRuntime as __reset } from './functions/runtime.js';
const __clock = new __Clock(0);
__reset({ clock: __clock, paperInitialJpy: 100000 });
http('benchTick', (req, res) => { __clock.set(Number(req.get('x-replay-now-ms'))); return tick(req, res); });
const __server = __serve('benchTick');
__server.listen(0, '127.0.0.1', () => console.log('listening ' + __server.address().port));
process.once('SIGTERM', () => __server.close(() => process.exit(0)));
`;

const bars = Number(process.argv[2] ?? 48);
const data = fileURLToPath(new URL('../data/', import.meta.url));
const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
};
const round = (x: number): number => Math.round(x * 10) / 10;

async function main(): Promise<void> {
  process.env.METADATA_SERVER_DETECTION ??= 'none';
  let emulator: RunningEmulator | undefined;
  if (!process.env.FIRESTORE_EMULATOR_HOST) {
    emulator = await startFirestoreEmulator();
    process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
  }
  const candles = readCandlesCsv(join(data, 'candles/binance-btcusdt-1h-2017-2022.csv'), { quotePerUsd: 150 });
  const startMs = candles[
    gapFreeStart(
      candles,
      bars,
      candles.findIndex((c) => c.openTimeMs >= Date.UTC(2019, 5, 1)),
    )
  ]?.openTimeMs as number;
  const session = await startReplay({
    candles,
    bars,
    startMs,
    mode: 'paper',
    duplicates: 1,
    logLevel: 'WARNING',
    log: () => undefined,
    macro: {
      dir: join(data, 'macro'),
      fixturesDir: join(data, 'fixtures/yahoo-finance2'),
      data: readMacroDir(join(data, 'macro')),
    },
  });
  try {
    // The first bars through this process's functions, counting Firestore reads/writes: bar 0 cold
    // (it fills the candle store), bars 1..STEADY steady state; the rest through the instance.
    const counted = await session.bar(0);
    const STEADY = 3;
    const before = {
      reads: session.counts.reads,
      writes: session.counts.writes,
      byCollection: structuredClone(session.counts.byCollection),
    };
    for (let k = 1; k <= STEADY; k += 1) {
      await session.advance(k);
      const answers = await session.bar(k);
      if (!answers[0] || answers[0].status >= 300)
        throw new Error(`steady-state bar ${k} failed: ${JSON.stringify(answers[0])}`);
    }
    const steadyByCollection = Object.fromEntries(
      Object.entries(session.counts.byCollection)
        .map(([name, c]) => [
          name,
          {
            reads: round((c.reads - (before.byCollection[name]?.reads ?? 0)) / STEADY),
            writes: round((c.writes - (before.byCollection[name]?.writes ?? 0)) / STEADY),
          },
        ])
        .filter(([, c]) => (c as { reads: number }).reads > 0 || (c as { writes: number }).writes > 0),
    );
    const steady = {
      reads: round((session.counts.reads - before.reads) / STEADY),
      writes: round((session.counts.writes - before.writes) / STEADY),
      bars: STEADY,
      byCollection: steadyByCollection,
    };
    const bundle = await buildFunction(
      'tick',
      fileURLToPath(new URL('../node_modules/.cache/crypto-bot-bench/instance/', import.meta.url)),
      INSTANCE_SOURCE,
    );
    // BENCH_OLD_SPACE_MB caps the instance's V8 old space (e.g. 128, to see a tick inside a 256 MiB instance).
    const heapCap = process.env.BENCH_OLD_SPACE_MB
      ? [`--max-old-space-size=${Number(process.env.BENCH_OLD_SPACE_MB)}`]
      : [];
    const instance = spawn(process.execPath, [...heapCap, join(bundle.dir, 'index.js')], {
      env: process.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      instance.stdout.on('data', (chunk: Buffer) => {
        const m = /listening (\d+)/.exec(chunk.toString());
        if (m) resolve(Number(m[1]));
      });
      instance.once('exit', (code) => reject(new Error(`tick instance exited with ${code}`)));
    });
    const server: number[] = [];
    const roundTrip: number[] = [];
    const stepMs: Record<string, number[]> = {};
    let failed = counted[0] && counted[0].status < 300 ? 0 : 1;
    let firstFailure: Record<string, unknown> | undefined;
    for (let k = STEADY + 1; k < bars; k += 1) {
      const barMs = await session.advance(k);
      const t0 = performance.now();
      const response = await fetch(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        body: '{}',
        signal: AbortSignal.timeout(120_000),
        headers: {
          'content-type': 'application/json',
          'X-CloudScheduler-ScheduleTime': new Date(barMs).toISOString(),
          'x-replay-now-ms': String(barMs + 5_000),
        },
      });
      const body = (await response.json()) as {
        latencyMs?: number;
        timings?: Array<{ step: string; ms: number }>;
        code?: string;
        message?: string;
      };
      if (response.status >= 300)
        firstFailure ??= {
          bar: new Date(barMs).toISOString(),
          status: response.status,
          code: body.code,
          message: body.message,
        };
      roundTrip.push(performance.now() - t0);
      server.push(Number(body.latencyMs ?? Number.NaN));
      for (const t of body.timings ?? []) (stepMs[t.step] ??= []).push(t.ms);
      if (response.status >= 300) failed += 1;
    }
    const status = readFileSync(`/proc/${instance.pid}/status`, 'utf8');
    const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN);
    const instancePeakRssMb = Math.round(kb('VmHWM') / 1024);
    instance.kill('SIGTERM');
    const health: number[] = [];
    for (let i = 0; i < 100; i += 1) {
      const t0 = performance.now();
      const response = await fetch(`${session.urls.health}detailed`, { signal: AbortSignal.timeout(10_000) });
      await response.text();
      health.push(performance.now() - t0);
    }
    // Firestore reads of one health call, cold (history cache empty) and warm, over this run's history.
    const counting = new CountingStore(session.store);
    const healthDeps = {
      settings: {
        mode: 'paper',
        pair: 'btc_jpy',
        timeframe: '1h',
        macroMode: 'required',
        macroMaxAgeDays: 4,
        tickLatencyBudgetMs: 30_000,
      } as const,
      store: counting,
      clock: session.clock,
      startedAtMs: session.clock.nowMs(),
      version: 'bench',
    };
    const healthReads: Record<string, { cold: number; warm: number }> = {};
    for (const route of ['/detailed', '/performance', '/metrics', '/dashboard/data.json']) {
      clearHistoryCache();
      const r0 = counting.counts.reads;
      await healthRoute(healthDeps, route);
      const r1 = counting.counts.reads;
      await healthRoute(healthDeps, route);
      healthReads[route] = { cold: r1 - r0, warm: counting.counts.reads - r1 };
    }
    const warm = server.slice(1);
    const summary = await session.summary();
    console.log(
      JSON.stringify({
        bench: 'tick',
        bars,
        ticksFailed: failed,
        ...(firstFailure ? { firstFailure } : {}),
        firstTickMs: round(server[0] as number),
        tickLatencyMs: {
          p50: round(quantile(warm, 0.5)),
          p99: round(quantile(warm, 0.99)),
          max: round(Math.max(...warm)),
          samples: warm.length,
        },
        tickRoundTripMs: {
          p50: round(quantile(roundTrip.slice(1), 0.5)),
          p99: round(quantile(roundTrip.slice(1), 0.99)),
        },
        healthDetailedMs: {
          p50: round(quantile(health, 0.5)),
          p99: round(quantile(health, 0.99)),
          samples: health.length,
          sequential: true,
        },
        healthFirestoreReadsPerCall: { ...healthReads, historyBars: bars },
        firestorePerTick: {
          steadyState: steady,
          firstBarAndSteady: { reads: summary.firestore.readsPerTick, writes: summary.firestore.writesPerTick },
          note: `steadyState: bars 1..${STEADY} counted in this process (bar 0 fills the candle store)`,
        },
        tickStepMs: Object.fromEntries(
          Object.entries(stepMs).map(([step, xs]) => [
            step,
            { p50: round(quantile(xs, 0.5)), p99: round(quantile(xs, 0.99)) },
          ]),
        ),
        tickInstancePeakRssMb: instancePeakRssMb,
        ...(heapCap.length > 0 ? { tickInstanceOldSpaceCapMb: Number(process.env.BENCH_OLD_SPACE_MB) } : {}),
        peakRssGoalMb: 256,
        peakRssNote: 'VmHWM of a node process serving only the tick bundle',
      }),
    );
  } finally {
    await session.close();
    await emulator?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
