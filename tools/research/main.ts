import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { DAY_MS, HOUR_MS } from '../../shared/core/candle.js';
import { BITBANK_BTC_JPY } from '../../shared/core/market-rules.js';
import { STRATEGY_NAMES, strategySettingsFromConfig, trendParamsFromConfig, type StrategyName, type TrendParams } from '../../shared/core/strategy/index.js';
import { readCandlesCsv, readMacroDir } from '../lib/csv.js';
import { collectSet, configWithSets } from '../lib/set-options.js';
import { mlPredictionsFor } from '../backtest/run.js';
import { renderResearchReport } from './report.js';
import { deflated, ownSizing, runResearch } from './run.js';
import { appendTrials, readTrials, trialsForData, type Trial } from './trials.js';

/**
 * npm run research -- --candles FILE [--macro DIR] --strategy NAME --grid grid.json [--json] [--report out.html] [--holdout]
 * Appends every configuration it tries to research/trials.jsonl.
 */
const iso = (value: string) => {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidArgumentError(`not an ISO date: ${value}`);
  return ms;
};
const positive = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
  return n;
};
const strategyName = (value: string): StrategyName => {
  if (!(STRATEGY_NAMES as readonly string[]).includes(value)) throw new InvalidArgumentError(`--strategy must be one of ${STRATEGY_NAMES.join(', ')}`);
  return value as StrategyName;
};

/** A grid file: a list of parameter sets, or one object of arrays (their cartesian product). Unknown keys are refused. */
const paramsSchema = z
  .object({
    decisionHourUtc: z.number().int().min(0).max(23),
    lookbacksDays: z.array(z.number().int().positive()).min(1),
    signals: z.array(z.enum(['tsmom', 'donchian', 'always'])).min(1),
    targetVolAnnual: z.number().min(0),
    maxFraction: z.number().positive(),
    volLookbackDays: z.number().int().min(2),
    rebalanceBand: z.number().min(0),
    allowShort: z.boolean(),
    stopDailyVols: z.number().positive(),
  })
  .partial()
  .strict();
function readGrid(path: string | undefined): Partial<TrendParams>[] {
  if (!path) return [{}];
  const raw: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (Array.isArray(raw)) return raw.map((p) => paramsSchema.parse(p));
  const axes = Object.entries(z.record(z.string(), z.array(z.unknown()).min(1)).parse(raw));
  let out: Record<string, unknown>[] = [{}];
  for (const [key, values] of axes) out = out.flatMap((p) => values.map((v) => ({ ...p, [key]: v })));
  return out.map((p) => paramsSchema.parse(p));
}

const program = new Command('research')
  .description('Purged walk-forward research of a strategy over a candle file; every configuration tried is appended to research/trials.jsonl.')
  .requiredOption('--candles <file>', 'candle CSV (open_time_ms,open,high,low,close,volume), 1h or 1d bars')
  .option('--macro <dir>', 'macro folder laid out like data/macro (ml only)')
  .requiredOption('--strategy <name>', `one of ${STRATEGY_NAMES.join(', ')}`, strategyName)
  .option('--grid <file>', 'JSON: a list of parameter sets, or an object of arrays (cartesian product); default: the documented defaults only')
  .option('--timeframe <tf>', '1h or 1d (default: from the spacing of the file)')
  .option('--quote-per-usd <n>', 'price scale for USD(T) candle files (about 150 for JPY levels)', positive('--quote-per-usd'), 150)
  .option('--equity-jpy <n>', 'starting equity, JPY', positive('--equity-jpy'), 10_000_000)
  .option('--slippage <fraction>', 'adverse move on market and stop fills', Number, 0.0005)
  .option('--from <iso>', 'start of the selection period', iso)
  .option('--to <iso>', 'end of the selection period = start of the hold-out', iso, Date.parse('2022-04-11T10:00:00Z'))
  .option('--first-test <iso>', 'first walk-forward test day (before it: training only)', iso, Date.parse('2018-08-17T00:00:00Z'))
  .option('--test-days <n>', 'length of each walk-forward test, days', positive('--test-days'), 182)
  .option('--embargo-days <n>', 'gap between training and test, days (at least the decision interval / label horizon)', positive('--embargo-days'), 1)
  .option('--execution <mode>', 'taker: every entry and exit at market (the pessimistic case); maker-bound: every fill at the maker fee without slippage (an optimistic bound, not a fill model)', 'taker')
  .option('--sizing <mode>', 'own: the strategy\'s own size, live caps lifted (research); config: the configured caps (--set)', 'own')
  .option('--set <NAME=VALUE>', 'any setting of shared/config.ts (repeatable)', collectSet, {})
  .option('--seed <n>', 'seed for the ml walk-forward training', Number, 1)
  .option('--holdout', 'score the configuration chosen on the selection period on the hold-out, ONCE (refused when already logged)')
  .option('--allow-repeat-holdout', 'run the hold-out again although the log has it (recorded as a repeat)')
  .option('--trials <file>', 'trial log', 'research/trials.jsonl')
  .option('--json', 'print one JSON object')
  .option('--report <file>', 'write a self-contained HTML report')
  .parse();

const o = program.opts<{
  candles: string; macro?: string; strategy: StrategyName; grid?: string; timeframe?: string; quotePerUsd: number; equityJpy: number; slippage: number; from?: number; to: number;
  firstTest: number; testDays: number; embargoDays: number; execution: string; sizing: string; set: Record<string, string>; seed: number; holdout?: boolean; allowRepeatHoldout?: boolean; trials: string; json?: boolean; report?: string;
}>();

try {
  if (o.sizing !== 'own' && o.sizing !== 'config') throw new InvalidArgumentError('--sizing must be own or config');
  if (o.execution !== 'taker' && o.execution !== 'maker-bound') throw new InvalidArgumentError('--execution must be taker or maker-bound');
  const makerBound = o.execution === 'maker-bound';
  const rules = makerBound ? { ...BITBANK_BTC_JPY, takerFeeRate: BITBANK_BTC_JPY.makerFeeRate } : BITBANK_BTC_JPY;
  const slippage = makerBound ? 0 : o.slippage;
  const text = readFileSync(o.candles);
  const sha256 = createHash('sha256').update(text).digest('hex');
  const candles = readCandlesCsv(o.candles, { quotePerUsd: o.quotePerUsd });
  const spacing = candles.length > 1 ? (candles[1]?.openTimeMs ?? 0) - (candles[0]?.openTimeMs ?? 0) : HOUR_MS;
  const timeframe = o.timeframe ?? (spacing === DAY_MS ? '1d' : '1h');
  if (timeframe !== '1h' && timeframe !== '1d') throw new InvalidArgumentError('--timeframe must be 1h or 1d');
  const barMs = timeframe === '1d' ? DAY_MS : HOUR_MS;
  const config = configWithSets({ ...process.env, BOT_MODE: 'paper' }, o.set);
  const configured = strategySettingsFromConfig(config);
  const settings = o.sizing === 'own' ? ownSizing(configured, o.strategy) : configured;
  const fromMs = o.from ?? (candles[0]?.openTimeMs as number);
  const macro = o.macro ? readMacroDir(o.macro) : undefined;
  const grid = readGrid(o.grid).map((p) => ({ ...trendParamsFromConfig(config), ...p }));
  const logged = readTrials(o.trials);
  if (o.holdout && !o.allowRepeatHoldout && logged.some((t) => t.kind === 'holdout' && t.data.sha256 === sha256 && t.strategy === o.strategy)) {
    throw new Error(`the hold-out of ${o.strategy} on this data is already in ${o.trials}: it is used once (--allow-repeat-holdout records a repeat)`);
  }
  const ml = o.strategy === 'ml' ? mlPredictionsFor({ candles, macro, seed: o.seed, fromMs }) : undefined;
  const started = performance.now();
  const outcome = runResearch(
    { candles, macro, barMs, strategy: o.strategy, grid, settings, equityJpy: o.equityJpy, slippage, rules, fromMs, toMs: o.to, firstTestMs: o.firstTest, testMs: o.testDays * DAY_MS, embargoMs: o.embargoDays * DAY_MS, holdout: o.holdout === true, baselineParams: trendParamsFromConfig(config), market: config.BOT_MARKET, ...(ml ? { ml } : {}) },
    (stage) => process.stderr.isTTY && process.stderr.write(`${stage}\n`),
  );
  const isoOf = (ms: number) => new Date(ms).toISOString();
  const base = {
    atIso: new Date().toISOString(),
    data: { file: o.candles, sha256, timeframe, quotePerUsd: o.quotePerUsd },
    costs: { takerFeeRate: rules.takerFeeRate, makerFeeRate: rules.makerFeeRate, slippage, execution: makerBound ? 'maker-bound (every fill at the maker fee, no slippage: optimistic, not a fill model)' : 'taker-only (market entries and exits, stops at market)',
      // Spot pays no interest; `market` is written for spot only, so a margin trial counts once with those logged before BOT_MARKET.
      ...(config.BOT_MARKET === 'spot' ? { market: 'spot' as const, interestDaily: 0 } : { interestDaily: rules.marginLongInterestDaily }),
    },
    sizing: o.sizing === 'own' ? (o.strategy === 'ml' ? `own (RISK_PER_TRADE ${configured.riskPerTrade} over the ATR stop; other caps lifted)` : 'own (strategy fraction of equity; live caps lifted)') : `config (${JSON.stringify(o.set)})`,
  };
  const brief = (f: { sharpe: number | null; totalReturnPct: number; maxDrawdownPct: number; roundTripsPerMonth: number; exposurePct: number; cagrPct: number; costsPct: number; costsPerYearPct: number; days: number }) =>
    ({ sharpe: f.sharpe, totalReturnPct: f.totalReturnPct, cagrPct: f.cagrPct, maxDrawdownPct: f.maxDrawdownPct, roundTripsPerMonth: f.roundTripsPerMonth, exposurePct: f.exposurePct, costsPct: f.costsPct, costsPerYearPct: f.costsPerYearPct, days: f.days });
  const trials: Trial[] = [];
  const period = { from: isoOf(outcome.window.fromMs), to: isoOf(outcome.window.toMs) };
  if (!o.holdout) {
    for (const c of outcome.configs) trials.push({ ...base, kind: 'config', strategy: o.strategy, params: { ...c.params }, period, figures: brief(c.figures) });
    trials.push({ ...base, kind: 'walk-forward', strategy: o.strategy, params: { grid: grid.length, chosen: outcome.folds.map((f) => f.chosen) }, period, figures: brief(outcome.strategy) });
  } else {
    const repeat = logged.some((t) => t.kind === 'holdout' && t.data.sha256 === sha256 && t.strategy === o.strategy);
    trials.push({ ...base, kind: 'holdout', strategy: o.strategy, params: { ...(grid[outcome.folds[0]?.chosen ?? 0] ?? {}), ...(repeat ? { repeatedHoldout: true } : {}) }, period, figures: brief(outcome.strategy) });
  }
  for (const b of outcome.baselines) trials.push({ ...base, kind: 'baseline', strategy: b.name, params: { phase: outcome.phase }, period, figures: brief(b) });
  appendTrials(o.trials, trials);
  const counted = trialsForData([...logged, ...trials], sha256);
  const dsr = deflated(outcome.returns, counted.map((t) => Number(t.figures.sharpe ?? 0)));
  // Beside it, over this strategy's own trials only: the ml trials' very negative Sharpe ratios widen the variance across all trials, which raises the luck benchmark for every strategy.
  const dsrStrategy = deflated(outcome.returns, counted.filter((t) => t.strategy === o.strategy).map((t) => Number(t.figures.sharpe ?? 0)));
  const beats = outcome.baselines.filter((b) => b.name !== o.strategy).every((b) => (outcome.strategy.sharpe ?? -Infinity) > (b.sharpe ?? -Infinity));
  const summary = {
    phase: outcome.phase,
    strategy: o.strategy,
    window: period,
    data: base.data,
    costs: base.costs,
    sizing: base.sizing,
    grid: grid.length,
    folds: outcome.folds.map((f) => ({ test: `${isoOf(f.testFromMs).slice(0, 10)}..${isoOf(f.testToMs).slice(0, 10)}`, chosen: f.chosen })),
    figures: outcome.strategy,
    baselines: Object.fromEntries(outcome.baselines.map((b) => [b.name, brief(b)])),
    deflatedSharpe: dsr,
    deflatedSharpeThisStrategy: dsrStrategy,
    targets: {
      sharpeAtLeast1_2: (outcome.strategy.sharpe ?? 0) >= 1.2,
      aboveEveryBaseline: beats,
      maxDrawdownAtMost25: outcome.strategy.maxDrawdownPct <= 25,
      roundTripsPerMonthAtMost10: outcome.strategy.roundTripsPerMonth <= 10,
      dsrAtLeast0_95: dsr.probability >= 0.95,
    },
    trialsLogged: { file: o.trials, appended: trials.length, configsOnThisData: counted.length },
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
  };
  if (o.report) writeFileSync(o.report, renderResearchReport(outcome, summary));
  console.log(o.json ? JSON.stringify(summary) : JSON.stringify(summary, null, 2));
} catch (error) {
  console.error(`research failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
