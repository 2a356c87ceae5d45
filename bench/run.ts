/**
 * `npm run bench [-- --json] [--bars N] [--runs N] [--folds N] [--pairs N] [--timeframe 1h|15m]`:
 * every figure of the README's Benchmarks section (and the cost projection of "Cost and scale"),
 * measured in this one run, as ONE JSON object (`--json`: on one line, nothing else on stdout).
 * The existing benches run as fresh child processes, one after the other (no two compete for the
 * cores), and their JSON is taken as printed; this file adds the bundle sizes and
 * the cold start of the tick bundle against the same bundle importing all of ccxt.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { buildFunction, topInputs } from '../tools/build.js';
import { FUNCTION_NAMES } from '../functions/registry.js';
import { markdownTable, monthlyBill, scaleTable } from './cost-model.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const cache = join(root, 'node_modules/.cache/crypto-bot-bench');
const whole = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`not a positive whole number: ${v}`);
  return n;
};
const o = new Command('bench')
  .option('--json', 'print only the JSON object, on one line')
  .option('--bars <n>', 'ticks replayed for the tick latency', whole, 48)
  .option('--runs <n>', 'fresh processes per cold-start variant', whole, 5)
  .option('--folds <n>', 'walk-forward folds actually run (the model bench extrapolates to 60,000 bars)', whole, 20)
  .option('--pairs <n>', 'pairs of the headline cost projection (the table always has 1, 5 and 20)', whole, 1)
  .option(
    '--timeframe <tf>',
    'bar of the headline cost projection: 1h or 15m',
    (v: string) => {
      if (v !== '1h' && v !== '15m') throw new Error(`--timeframe must be 1h or 15m, got ${v}`);
      return v;
    },
    '1h',
  )
  .parse()
  .opts<{ json?: boolean; bars: number; runs: number; folds: number; pairs: number; timeframe: '1h' | '15m' }>();

const say = (line: string): void => {
  if (!o.json) process.stderr.write(`${line}\n`);
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const round = (x: number): number => Math.round(x * 10) / 10;

function run(args: string[], timeoutMs = 900_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      {
        cwd: root,
        env: { ...process.env, METADATA_SERVER_DETECTION: 'none' },
        timeout: timeoutMs,
        maxBuffer: 64 << 20,
      },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${args.join(' ')} failed: ${stderr.slice(-1000) || error.message}`));
        else resolve(stdout);
      },
    );
  });
}

/** A bench prints one JSON object (on one line or pretty): everything from its first `{`. */
async function childBench(file: string, args: string[] = []): Promise<Record<string, unknown>> {
  say(`running bench/${file} ${args.join(' ')} ...`);
  const out = await run(['--import', 'tsx', join('bench', file), ...args]);
  return JSON.parse(out.slice(out.indexOf('{'))) as Record<string, unknown>;
}

function machine(): Record<string, unknown> {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    nproc: availableParallelism(),
    cpuModel: /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    node: process.version,
    loadAverage1mAtStart: round(loadavg()[0] as number),
  };
}

/** Imports a bundle in a fresh node process: module load until registered (what a cold instance pays first). */
async function coldStart(bundle: string): Promise<{ importMs: number; processMs: number; rssMb: number }> {
  const probe = `const t0 = performance.now(); await import(${JSON.stringify(pathToFileURL(bundle).href)}); const importMs = performance.now() - t0; console.log(JSON.stringify({ importMs, rssMb: process.memoryUsage().rss / 1048576 }));`;
  const started = performance.now();
  const out = await run(['--input-type=module', '-e', probe], 60_000);
  const processMs = performance.now() - started;
  return { ...(JSON.parse(out.trim().split('\n').pop() as string) as { importMs: number; rssMb: number }), processMs };
}

async function bundlesAndColdStart(): Promise<Record<string, unknown>> {
  say('building the five bundles (as npm run build does) and a tick bundle importing all of ccxt ...');
  const sizes: Record<string, number> = {};
  const startupBytes: Record<string, number> = {};
  const topInputsByBundle: Record<string, Array<{ path: string; bytes: number }>> = {};
  for (const name of FUNCTION_NAMES) {
    const built = await buildFunction(name, join(cache, 'bundles'));
    sizes[name] = built.bytes;
    startupBytes[name] = built.startupBytes;
    topInputsByBundle[name] = topInputs(built.metafile, 10).map((i) => ({
      path: i.path.replace(/^.*node_modules\//, ''),
      bytes: i.bytes,
    }));
  }
  const allCcxt = await buildFunction(
    'tick',
    join(cache, 'ccxt-all'),
    "import * as __ccxtAll from 'ccxt';\nglobalThis.__ccxtAll = __ccxtAll;\n",
  );
  const variants = { tick: join(cache, 'bundles/tick/index.js'), tickWithAllCcxt: join(allCcxt.dir, 'index.js') };
  const samples: Record<keyof typeof variants, Array<{ importMs: number; processMs: number; rssMb: number }>> = {
    tick: [],
    tickWithAllCcxt: [],
  };
  say(`cold start: ${o.runs} fresh processes per variant, alternating ...`);
  for (let i = 0; i < o.runs; i += 1)
    for (const [name, file] of Object.entries(variants) as Array<[keyof typeof variants, string]>)
      samples[name].push(await coldStart(file));
  const summary = (s: typeof samples.tick) => ({
    importMsMedian: round(median(s.map((x) => x.importMs))),
    processMsMedian: round(median(s.map((x) => x.processMs))),
    rssMbMedian: round(median(s.map((x) => x.rssMb))),
  });
  const tick = summary(samples.tick);
  const withAll = summary(samples.tickWithAllCcxt);
  return {
    bundleBytes: { ...sizes, tickWithAllCcxt: allCcxt.bytes },
    bundleStartupBytes: { ...startupBytes, tickWithAllCcxt: allCcxt.startupBytes },
    bundleTopInputs: topInputsByBundle,
    coldStart: {
      runs: o.runs,
      tick,
      tickWithAllCcxt: withAll,
      ratioTickOverAllCcxt: Math.round((tick.importMsMedian / withAll.importMsMedian) * 100) / 100,
      note: 'module load of the bundle in a fresh node process, until the function is registered',
    },
  };
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const host = machine();
  const build = await bundlesAndColdStart();
  const tick = await childBench('tick.bench.ts', [String(o.bars)]);
  const features = await childBench('features.bench.ts');
  const backtest = await childBench('backtest.bench.ts', ['60000']);
  const model = await childBench('model.bench.ts', ['--folds', String(o.folds)]);
  const peer = (await childBench('peer.bench.ts', ['60000'])) as {
    trades: { ours: number; grademark: number; identical: boolean };
    barsPerSecond: { ours: number; grademark: number };
    ratioOursOverGrademark: number;
  };
  const f = features as {
    fullMatrix: { msMedian: number; cpuMsMin: number };
    lastBar: { msP50: number; msP99: number };
  };
  const m = model as {
    walkForward: {
      folds: number;
      cpuMs: number;
      wallMs: number;
      perFoldCpuMs: number;
      extrapolated60kBars: { folds: number; cpuSeconds: number };
    };
  };
  const b = backtest as {
    bars: number;
    backtestMs: number;
    auditMs: number;
    batchPredictMs: number;
    trades: number;
    withinGoal: boolean;
  };
  const t = tick as {
    tickLatencyMs: { p50: number; p99: number };
    firstTickMs: number;
    healthDetailedMs: { p50: number; p99: number };
    tickInstancePeakRssMb: number;
    ticksFailed: number;
    firestorePerTick: { steadyState: { reads: number; writes: number } };
    healthFirestoreReadsPerCall: Record<string, { cold: number; warm: number }>;
    tickStepMs: Record<string, { p50: number; p99: number }>;
  };
  // Measured: one pair at 1h (the only bar BOT_TIMEFRAME allows); more pairs and 15m are projected from it.
  const measuredTick = {
    readsPerTick: t.firestorePerTick.steadyState.reads,
    writesPerTick: t.firestorePerTick.steadyState.writes,
    secondsPerTick: t.tickLatencyMs.p50 / 1000,
    healthReadsPerCall: Math.max(
      ...Object.entries(t.healthFirestoreReadsPerCall)
        .filter(([k]) => k.startsWith('/'))
        .map(([, v]) => v.cold),
    ),
  };
  const scale = {
    measured: measuredTick,
    requested: monthlyBill(measuredTick, { pairs: o.pairs, timeframe: o.timeframe }),
    table: scaleTable(measuredTick),
    markdown: markdownTable(scaleTable(measuredTick)),
    note: 'reads, writes and seconds per tick measured at 1 pair x 1h (tick bench, steady state, paper mode); pairs and 15m bars projected (ticks x pairs x bars per day); prices in bench/cost-model.ts',
  };
  const result = {
    bench: 'crypto-bot',
    startedAt,
    command: `npm run bench -- --json${o.bars !== 48 ? ` --bars ${o.bars}` : ''}${o.runs !== 5 ? ` --runs ${o.runs}` : ''}${o.folds !== 20 ? ` --folds ${o.folds}` : ''}${o.pairs !== 1 ? ` --pairs ${o.pairs}` : ''}${o.timeframe !== '1h' ? ` --timeframe ${o.timeframe}` : ''}`,
    machine: host,
    headline: {
      coldStartTickMs: (build.coldStart as { tick: { importMsMedian: number } }).tick.importMsMedian,
      coldStartAllCcxtRatio: (build.coldStart as { ratioTickOverAllCcxt: number }).ratioTickOverAllCcxt,
      tickFirestoreReads: t.firestorePerTick.steadyState.reads,
      tickFirestoreWrites: t.firestorePerTick.steadyState.writes,
      healthColdReads: Math.max(
        ...Object.entries(t.healthFirestoreReadsPerCall)
          .filter(([k]) => k.startsWith('/'))
          .map(([, v]) => v.cold),
      ),
      healthColdReadsByRoute: Object.fromEntries(
        Object.entries(t.healthFirestoreReadsPerCall)
          .filter(([k]) => k.startsWith('/'))
          .map(([k, v]) => [k, v.cold]),
      ),
      tickStepP50Ms: Object.fromEntries(Object.entries(t.tickStepMs).map(([k, v]) => [k, v.p50])),
      tickLatencyP50Ms: t.tickLatencyMs.p50,
      tickLatencyP99Ms: t.tickLatencyMs.p99,
      healthDetailedP99Ms: t.healthDetailedMs.p99,
      featuresLastBarP50Ms: f.lastBar.msP50,
      features60kBarsMs: f.fullMatrix.msMedian,
      backtest60kBarsMs: b.batchPredictMs + b.backtestMs + b.auditMs,
      backtest60kBarsNote: 'CPU ms: batch prediction + engine + audit, a fixed model (features computed beforehand)',
      walkForward60kBarsCpuSeconds: m.walkForward.extrapolated60kBars.cpuSeconds,
      tickPeakRssMb: t.tickInstancePeakRssMb,
      tickPeakRssWithinGoal: t.tickInstancePeakRssMb < 256,
      tickBundleBytes: (build.bundleBytes as Record<string, number>).tick,
      peerTradesIdentical: peer.trades.identical,
      peerBarsPerSecond: peer.barsPerSecond,
      peerRatioOursOverGrademark: peer.ratioOursOverGrademark,
      monthlyUsd: {
        pairs: o.pairs,
        timeframe: o.timeframe,
        withFreeTier: scale.requested.withFreeTierUsd,
        withoutFreeTier: scale.requested.withoutFreeTierUsd,
      },
    },
    ...build,
    tick,
    features,
    backtest,
    peer,
    scale,
    walkForward: {
      foldsRun: m.walkForward.folds,
      cpuMs: m.walkForward.cpuMs,
      wallMs: m.walkForward.wallMs,
      perFoldCpuMs: m.walkForward.perFoldCpuMs,
      extrapolated60kBars: m.walkForward.extrapolated60kBars,
    },
    totalSeconds: round((performance.now() - t0) / 1000),
    loadAverage1mAtEnd: round(loadavg()[0] as number),
  };
  process.stdout.write(o.json ? `${JSON.stringify(result)}\n` : `${JSON.stringify(result, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
