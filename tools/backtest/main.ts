import { readFileSync, writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { DAY_MS, HOUR_MS } from '../../shared/core/candle.js';
import {
  STRATEGY_NAMES,
  strategySettingsFromConfig,
  trendParamsFromConfig,
  type StrategyName,
} from '../../shared/core/strategy/index.js';
import { collectSet, configWithSets } from '../lib/set-options.js';
import { readCandlesCsv, readMacroDir } from '../lib/csv.js';
import { runBacktestCli } from './run.js';
import { renderReport } from './report.js';
import { refuseSecretArguments } from '../lib/secret-args.js';

refuseSecretArguments('npm run backtest');

/** npm run backtest -- --candles FILE [--strategy NAME] [--timeframe 1h|1d] [--set NAME=VALUE]... [--macro DIR] [--from ISO --to ISO] [--model FILE] [--quote-per-usd N] [--equity-jpy N] --json [--report out.html] */
const number = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative number`);
  return n;
};
const iso = (value: string) => {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidArgumentError(`not an ISO date: ${value}`);
  return ms;
};

const program = new Command('backtest')
  .description('Backtest the planner bar by bar over a candle file (USD(T) files: scale with --quote-per-usd).')
  .requiredOption('--candles <file>', 'candle CSV (open_time_ms,open,high,low,close,volume)')
  .option(
    '--macro <dir>',
    'macro folder laid out like data/macro (without it: macro off, models without macro features)',
  )
  .option('--from <iso>', 'first bar traded and counted (earlier bars only warm up and train)', iso)
  .option('--to <iso>', 'bars from here on are never read', iso)
  .option('--model <file>', 'model artifact JSON (without it: walk-forward training as the run goes)')
  .option(
    '--quote-per-usd <n>',
    'price scale for USD(T) candle files (about 150 for JPY levels)',
    number('--quote-per-usd'),
    1,
  )
  .option('--equity-jpy <n>', 'starting equity, JPY', number('--equity-jpy'), 100_000)
  .option('--slippage <fraction>', 'adverse move on market and stop fills', number('--slippage'), 0.0005)
  .option('--seed <n>', 'seed for walk-forward training', number('--seed'), 1)
  .option('--strategy <name>', `one of ${STRATEGY_NAMES.join(', ')} (default: BOT_STRATEGY)`)
  .option('--timeframe <tf>', '1h or 1d (default: from the spacing of the file)')
  .option('--set <NAME=VALUE>', 'any setting of shared/config.ts, validated by its schema (repeatable)', collectSet, {})
  .option('--json', 'print one JSON object')
  .option('--report <file>', 'write a self-contained HTML report')
  .parse();

const opts = program.opts<{
  strategy?: string;
  timeframe?: string;
  set: Record<string, string>;
  candles: string;
  macro?: string;
  from?: number;
  to?: number;
  model?: string;
  quotePerUsd: number;
  equityJpy: number;
  slippage: number;
  seed: number;
  json?: boolean;
  report?: string;
}>();

const bar = process.stderr.isTTY
  ? new SingleBar({ format: '{stage} [{bar}] {value}/{total}', hideCursor: true }, Presets.shades_classic)
  : undefined;
let currentStage = '';
const onStage = (stage: string, done: number, total: number) => {
  if (!bar) return;
  if (stage !== currentStage) {
    if (currentStage) bar.stop();
    currentStage = stage;
    bar.start(total, done, { stage });
  } else bar.update(done);
};

try {
  const started = performance.now();
  const candles = readCandlesCsv(opts.candles, { quotePerUsd: opts.quotePerUsd });
  const macro = opts.macro ? readMacroDir(opts.macro) : undefined;
  const config = configWithSets({ ...process.env, BOT_MODE: 'paper' }, opts.set);
  const settings = strategySettingsFromConfig(config);
  const strategy = (opts.strategy ?? config.BOT_STRATEGY) as StrategyName;
  if (!(STRATEGY_NAMES as readonly string[]).includes(strategy))
    throw new InvalidArgumentError(`--strategy must be one of ${STRATEGY_NAMES.join(', ')}`);
  const spacing = candles.length > 1 ? (candles[1]?.openTimeMs ?? 0) - (candles[0]?.openTimeMs ?? 0) : HOUR_MS;
  const timeframe = opts.timeframe ?? (spacing === DAY_MS ? '1d' : '1h');
  if (timeframe !== '1h' && timeframe !== '1d') throw new InvalidArgumentError('--timeframe must be 1h or 1d');
  const run = runBacktestCli({
    candles,
    macro,
    fromMs: opts.from,
    toMs: opts.to,
    modelArtifact: opts.model ? JSON.parse(readFileSync(opts.model, 'utf8')) : undefined,
    settings,
    equityJpy: opts.equityJpy,
    slippage: opts.slippage,
    execution: config.EXECUTION,
    makerWaitBars: config.MAKER_WAIT_BARS,
    market: config.BOT_MARKET,
    seed: opts.seed,
    strategy,
    barMs: timeframe === '1d' ? DAY_MS : HOUR_MS,
    trend: trendParamsFromConfig(config),
    onStage,
  });
  bar?.stop();
  const summary = {
    ...run.summary,
    quotePerUsd: opts.quotePerUsd,
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
  };
  if (opts.report) writeFileSync(opts.report, renderReport(run, summary));
  if (opts.json) console.log(JSON.stringify(summary));
  else console.log(JSON.stringify(summary, null, 2));
  if (run.breaches.length > 0) {
    console.error(`riskLimitBreaches: ${run.breaches.length}`, run.breaches.slice(0, 10));
    process.exitCode = 2;
  }
} catch (error) {
  bar?.stop();
  console.error(`backtest failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
