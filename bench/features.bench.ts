/**
 * `npm run bench:features`: the feature engine's speed. Prints one JSON object:
 * - full matrix over 60,000 bars: the shared Binance file (45,024 rows, prices x 150 as JPY) extended
 *   by a seeded synthetic random walk of 14,976 bars continuing from its last close (the data has no
 *   more real hours), with data/macro; goal < 2,000 ms.
 * - the last bar alone, window in memory (FEATURE_WINDOW_BARS candles), 1,000 different bars; goal p50/p99 < 5 ms.
 * - peak RSS of the process. Wall and CPU ms both: on a shared machine the load average (printed)
 *   inflates wall time; CPU ms is the engine's own cost.
 */
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { HOUR_MS, type Candle } from '../shared/core/candle.js';
import { computeFeatureMatrix, computeLatestFeatures, FEATURE_WINDOW_BARS } from '../shared/core/features/index.js';
import { syntheticCandles } from '../shared/core/features/synthetic-candles.js';
import { readCandlesCsv, readMacroDir } from '../tools/lib/csv.js';

const TOTAL_BARS = 60_000;
const data = fileURLToPath(new URL('../data/', import.meta.url));
const real = readCandlesCsv(`${data}candles/binance-btcusdt-1h-2017-2022.csv`, { quotePerUsd: 150 });
const macro = readMacroDir(`${data}macro`);
const last = real.at(-1) as Candle;
const scale = last.close / 5_000_000; // syntheticCandles starts at 5,000,000
const extension = syntheticCandles(TOTAL_BARS - real.length, 11).map((c, i) => ({
  openTimeMs: last.openTimeMs + (i + 1) * HOUR_MS,
  open: c.open * scale,
  high: c.high * scale,
  low: c.low * scale,
  close: c.close * scale,
  volume: c.volume,
}));
const candles = [...real, ...extension];

const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
const round = (ms: number): number => Math.round(ms * 1000) / 1000;

computeFeatureMatrix(candles.slice(0, 5000), macro); // warm the JIT
const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};
const fullRuns: number[] = [];
const fullCpu: number[] = [];
for (let run = 0; run < 5; run += 1) {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const matrix = computeFeatureMatrix(candles, macro);
  fullRuns.push(performance.now() - start);
  fullCpu.push(cpuMs(cpu));
  if (matrix.openTimeMs.length !== TOTAL_BARS) throw new Error('wrong row count');
}
fullRuns.sort((a, b) => a - b);
fullCpu.sort((a, b) => a - b);

// Windows for 1,000 different last bars, all inside the real data (macro live), built before timing.
const windows = Array.from({ length: 1000 }, (_, k) =>
  real.slice(real.length - 1000 - FEATURE_WINDOW_BARS + k, real.length - 1000 + k),
);
for (const w of windows.slice(0, 100)) computeLatestFeatures(w, macro); // warm-up
const lastCpuStart = process.cpuUsage();
const lastRuns = windows.map((w) => {
  const start = performance.now();
  computeLatestFeatures(w, macro);
  return performance.now() - start;
});
const lastCpuMean = cpuMs(lastCpuStart) / windows.length;
lastRuns.sort((a, b) => a - b);

console.log(
  JSON.stringify(
    {
      fullMatrix: {
        bars: TOTAL_BARS,
        realBars: real.length,
        syntheticBars: extension.length,
        features: 101,
        runs: 5,
        msMin: round(fullRuns[0] as number),
        msMedian: round(quantile(fullRuns, 0.5)),
        cpuMsMin: round(fullCpu[0] as number),
        goalMs: 2000,
      },
      lastBar: {
        windowBars: FEATURE_WINDOW_BARS,
        samples: lastRuns.length,
        msP50: round(quantile(lastRuns, 0.5)),
        msP99: round(quantile(lastRuns, 0.99)),
        cpuMsMean: round(lastCpuMean),
        goalMs: 5,
      },
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      node: process.version,
      loadAverage1m: Math.round(loadavg()[0] as number),
      cpus: availableParallelism(),
    },
    null,
    2,
  ),
);
