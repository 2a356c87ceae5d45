/**
 * Model speed (and, once, the hold-out quality): training time per walk-forward fold, prediction
 * time (one bar as the tick asks, and a 168-bar batch), and the walk-forward over the shared
 * Binance file (45,024 bars) with its extrapolation to 60,000 bars (goal: under 5 min on one core).
 * Times are CPU ms of this process (what one core spends, whatever else shares the machine) with
 * wall ms beside them. Prints one JSON object.
 * Run: `npx tsx bench/model.bench.ts [--macro] [--folds N]` (N limits the walk-forward to its last N folds).
 */
import { fileURLToPath } from 'node:url';
import { readCandlesCsv, readMacroDir } from '../tools/lib/csv.js';
import { computeFeatureMatrix, FEATURE_NAMES, NON_MACRO_FEATURE_NAMES } from '../shared/core/features/index.js';
import {
  classificationMetrics,
  DEFAULT_ENSEMBLE,
  firstCompleteRow,
  foldBoundaries,
  loadModel,
  sliceMatrix,
  trainModel,
  walkForward,
} from '../shared/core/model/index.js';

const args = process.argv.slice(2);
const withMacro = args.includes('--macro');
const foldLimit = args.includes('--folds') ? Number(args[args.indexOf('--folds') + 1]) : Infinity;
const data = (p: string) => fileURLToPath(new URL(`../data/${p}`, import.meta.url));
const HOLDOUT_BARS = 4_380; // the newest six months, kept out of every choice made here

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const timed = <T>(f: () => T): { value: T; cpuMs: number; wallMs: number } => {
  const c0 = cpuMs();
  const w0 = performance.now();
  const value = f();
  return { value, cpuMs: cpuMs() - c0, wallMs: performance.now() - w0 };
};
const r = (x: number, d = 0) => Number(x.toFixed(d));

const candles = readCandlesCsv(data('candles/binance-btcusdt-1h-2017-2022.csv'), { quotePerUsd: 150 });
const macro = withMacro ? readMacroDir(data('macro')) : undefined;
const names = withMacro ? FEATURE_NAMES : NON_MACRO_FEATURE_NAMES;
const features = timed(() => computeFeatureMatrix(candles, macro));
const matrix = features.value;
const closes = Float64Array.from(candles, (c) => c.close);

// Training per fold, on 10 folds spread over the file.
const start = firstCompleteRow(matrix, names);
const all = foldBoundaries(candles.length, {
  startRow: start,
  trainBars: 1000,
  testBars: 168,
  stepBars: 168,
  gapBars: 5,
});
const sample = Array.from({ length: 10 }, (_, i) => all[Math.floor(((i + 0.5) * all.length) / 10)]!);
const trainings = sample.map((f) =>
  timed(() =>
    trainModel(matrix, closes, {
      featureNames: names,
      fromRow: f.trainFrom,
      toRow: f.trainTo,
      seed: 1,
      createdAtMs: 0,
    }),
  ),
);
const model = loadModel(trainings[0]!.value, names);
const single = timed(() => {
  for (let i = 0; i < 200; i += 1) {
    const t = sample[0]!.testFrom + (i % 168);
    model.predictProbabilityUp(Object.fromEntries(names.map((n) => [n, matrix.columns[n]![t]!])));
  }
});
const batch = timed(() => model.predictRows(matrix, sample[0]!.testFrom, sample[0]!.testTo));

// The walk-forward over the file (or its last `--folds` folds), memory watched.
const firstFold = all[Math.max(0, all.length - foldLimit)]!;
const part = sliceMatrix(matrix, firstFold.trainFrom, candles.length);
let peakRssMb = 0;
const wf = timed(() =>
  walkForward(part, closes.subarray(firstFold.trainFrom), {
    featureNames: names,
    seed: 1,
    startRow: 0,
    onFold: () => void (peakRssMb = Math.max(peakRssMb, process.memoryUsage().rss / 2 ** 20)),
  }),
);
const folds = wf.value.folds.length;
const perFoldCpu = wf.cpuMs / folds;
const folds60k = foldBoundaries(60_000, {
  startRow: 0,
  trainBars: 1000,
  testBars: 168,
  stepBars: 168,
  gapBars: 5,
}).length;
const holdFrom = candles.length - HOLDOUT_BARS - firstFold.trainFrom;
const hold = (a: Float64Array) => Float64Array.from(a, (v, i) => (i >= holdFrom ? v : Number.NaN));
const before = (a: Float64Array) => Float64Array.from(a, (v, i) => (i < holdFrom ? v : Number.NaN));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(
  JSON.stringify(
    {
      bench: 'model',
      features: names.length,
      macro: withMacro,
      ensemble: DEFAULT_ENSEMBLE,
      bars: candles.length,
      featureMatrix: { cpuMs: r(features.cpuMs), wallMs: r(features.wallMs) },
      trainPerFold: {
        folds: sample.length,
        rows: 1000,
        medianCpuMs: r(median(trainings.map((t) => t.cpuMs))),
        medianWallMs: r(median(trainings.map((t) => t.wallMs))),
      },
      artifactBytes: JSON.stringify(trainings[0]!.value).length,
      predictOneBar: { cpuUs: r((single.cpuMs / 200) * 1000), wallUs: r((single.wallMs / 200) * 1000) },
      predict168Batch: { cpuMs: r(batch.cpuMs, 1), wallMs: r(batch.wallMs, 1) },
      walkForward: {
        folds,
        bars: candles.length - firstFold.trainFrom,
        cpuMs: r(wf.cpuMs),
        wallMs: r(wf.wallMs),
        perFoldCpuMs: r(perFoldCpu),
        peakRssMb: r(peakRssMb),
        extrapolated60kBars: {
          folds: folds60k,
          cpuSeconds: r((perFoldCpu * folds60k + (features.cpuMs * 60_000) / candles.length) / 1000, 1),
          goalSeconds: 300,
          label: 'linear in folds from the measured per-fold CPU time, plus the feature matrix scaled to 60,000 bars',
        },
      },
      quality: {
        beforeHoldout: {
          model: classificationMetrics(before(wf.value.predictions), wf.value.labels),
          noSkill: classificationMetrics(before(wf.value.baseline), wf.value.labels),
        },
        holdoutNewest6Months: {
          model: classificationMetrics(hold(wf.value.predictions), wf.value.labels),
          noSkill: classificationMetrics(hold(wf.value.baseline), wf.value.labels),
        },
      },
    },
    null,
    2,
  ),
);
