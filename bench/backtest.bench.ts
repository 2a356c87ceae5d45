/**
 * The backtest with a fixed model over 60,000 hourly bars: goal under 2 s on one core for the
 * bar-by-bar run (planner + fills + audit) with the model's predictions. The feature matrix and
 * the batch prediction are timed separately, and the per-bar model path (features looked up and
 * the model asked on every bar, as the live tick does) too. Prints one JSON object.
 * Run: `npx tsx bench/backtest.bench.ts [bars]`.
 */
import type { Candle } from '../shared/core/candle.js';
import { HOUR_MS } from '../shared/core/candle.js';
import { computeFeatureMatrix, NON_MACRO_FEATURE_NAMES } from '../shared/core/features/index.js';
import { loadModel, trainModel } from '../shared/core/model/index.js';
import { seededRandom } from '../shared/core/model/prng.js';
import { auditBacktest, runBacktest, summarizeBacktest } from '../shared/core/backtest/index.js';
import {
  createPlanner,
  DEFAULT_STRATEGY_SETTINGS,
  matrixFeatureLookup,
  predictionSignal,
} from '../shared/core/strategy/index.js';
import { BITBANK_BTC_JPY } from '../shared/core/market-rules.js';

const bars = Number(process.argv[2] ?? 60_000);
const random = seededRandom(7);
const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const candles: Candle[] = [];
let price = 5_000_000;
for (let i = 0; i < bars; i += 1) {
  const open = price;
  price *= Math.exp(0.007 * gauss());
  const wick = () => Math.abs(gauss()) * 0.003 * open;
  candles.push({
    openTimeMs: Date.UTC(2018, 0, 1) + i * HOUR_MS,
    open,
    high: Math.max(open, price) + wick(),
    low: Math.min(open, price) - wick(),
    close: price,
    volume: 10 + 5 * Math.abs(gauss()),
  });
}

/** CPU time of the process (user + system), ms: what one core spends, whatever else shares the machine. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const wall: Record<string, number> = {};
let label = '';
const time = <T>(f: () => T): [T, number] => {
  const t0 = cpuMs();
  const w0 = performance.now();
  const value = f();
  wall[label] = Math.round(performance.now() - w0);
  return [value, cpuMs() - t0];
};
const timed = <T>(name: string, f: () => T): [T, number] => {
  label = name;
  return time(f);
};

const names = NON_MACRO_FEATURE_NAMES;
const [matrix, featuresMs] = timed('features', () => computeFeatureMatrix(candles, undefined));
const closes = candles.map((c) => c.close);
const [model, trainMs] = timed('train', () =>
  loadModel(
    trainModel(matrix, closes, { featureNames: names, fromRow: 500, toRow: 3_500, seed: 1, createdAtMs: 0 }),
    names,
  ),
);
const [predictions, predictMs] = timed('batchPredict', () => model.predictRows(matrix, 0, bars));
const row = new Map<number, number>();
matrix.openTimeMs.forEach((t, i) => row.set(t, i));
const settings = DEFAULT_STRATEGY_SETTINGS;
const fixed = createPlanner({
  settings,
  signal: predictionSignal((ms) => predictions[row.get(ms) ?? -1], model.baseRate as number),
});
const options = { candles, rules: BITBANK_BTC_JPY, initialEquityJpy: 1_000_000, slippage: 0.0005, startIndex: 3_500 };
const [result, backtestMs] = timed('backtest', () => runBacktest({ ...options, planner: fixed }));
const [breaches, auditMs] = timed('audit', () => auditBacktest(result, settings, BITBANK_BTC_JPY));
const perBar = createPlanner({ settings, model, features: matrixFeatureLookup(matrix, model.artifact.featureNames) });
const [perBarResult, perBarModelPathMs] = timed('perBarModelPath', () => runBacktest({ ...options, planner: perBar }));
const summary = summarizeBacktest(result);
const usage = process.resourceUsage();

console.log(
  JSON.stringify({
    bench: 'backtest-fixed-model',
    bars,
    countedBars: result.bars,
    trades: summary.trades,
    riskLimitBreaches: breaches.length,
    backtestMs: Math.round(backtestMs),
    auditMs: Math.round(auditMs),
    goalMs: 2_000,
    withinGoal: backtestMs + auditMs < 2_000,
    featuresMs: Math.round(featuresMs),
    trainMs: Math.round(trainMs),
    batchPredictMs: Math.round(predictMs),
    perBarModelPathMs: Math.round(perBarModelPathMs),
    perBarSameTrades: perBarResult.trades.length === result.trades.length,
    timesAre: 'process CPU ms (user + system); wallMs alongside',
    wallMs: wall,
    peakRssMb: Math.round(usage.maxRSS / 1024),
    heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1048576),
    node: process.version,
  }),
);
