import type { Candle } from '../../shared/core/candle.js';
import { DAY_MS } from '../../shared/core/candle.js';
import type { MacroData } from '../../shared/core/macro.js';
import { runBacktest, type BacktestResult } from '../../shared/core/backtest/index.js';
import { BITBANK_BTC_JPY } from '../../shared/core/market-rules.js';
import { maxDrawdown } from '../../shared/core/performance/metrics.js';
import { annualSharpe, dailyEquity, dailyReturns, researchFigures, type ResearchFigures } from '../../shared/core/research/figures.js';
import { deflatedSharpe } from '../../shared/core/research/dsr.js';
import { selectWalkForward, walkForwardFolds, type Fold } from '../../shared/core/research/walk-forward.js';
import { createStrategy, strategyPlanner, type StrategyContext, type StrategyName, type StrategySettings, type TrendParams } from '../../shared/core/strategy/index.js';
import type { MarketRules } from '../../shared/ports/exchange.port.js';
import { plannerForMarket, type Market } from '../../shared/core/market.js';

import { ownSizing } from './sizing.js';

export { ownSizing };

/** The baselines of every report (registry names). */
export const BASELINES = ['flat', 'buy-and-hold', 'buy-and-hold-vol', 'tsmom-20'] as const satisfies readonly StrategyName[];

export interface ResearchInput {
  readonly candles: readonly Candle[];
  readonly macro: MacroData | undefined;
  readonly barMs: number;
  readonly strategy: StrategyName;
  /** Parameter sets tried (trend parameters; `{}` = the defaults). */
  readonly grid: readonly Partial<TrendParams>[];
  readonly settings: StrategySettings;
  readonly equityJpy: number;
  readonly slippage: number;
  /** The selection period: [fromMs, toMs). The hold-out starts at toMs. */
  readonly fromMs: number;
  readonly toMs: number;
  readonly firstTestMs: number;
  readonly testMs: number;
  /** Between a fold's training and its test, at least the decision interval (or the label horizon). */
  readonly embargoMs: number;
  /** The ml strategy's out-of-sample predictions (walk-forward trained), when the strategy is ml. */
  readonly ml?: StrategyContext['ml'];
  /** Parameters of the baselines that share trend's sizing (volatility target, band, decision hour): the configured defaults, not a grid entry. */
  readonly baselineParams?: Partial<TrendParams>;
  /** Score the chosen configuration on [toMs, end) once, instead of the walk-forward. */
  readonly holdout: boolean;
  readonly rules?: MarketRules;
  /** BOT_MARKET: spot is long or flat (a short signal held flat), no interest; default margin. */
  readonly market?: Market;
}

export interface Curve {
  readonly name: string;
  readonly dayMs: readonly number[];
  /** Equity relative to the start of the scored window (1 = start). */
  readonly equity: Float64Array;
}

export interface ScoredFigures extends ResearchFigures {
  readonly name: string;
}

export interface ConfigRun {
  readonly params: Partial<TrendParams>;
  readonly figures: ResearchFigures;
  readonly result: BacktestResult;
}

export interface ResearchOutcome {
  readonly phase: 'walk-forward' | 'holdout';
  readonly window: { readonly fromMs: number; readonly toMs: number };
  readonly folds: readonly (Fold & { readonly chosen: number })[];
  readonly configs: readonly ConfigRun[];
  readonly strategy: ScoredFigures;
  readonly baselines: readonly ScoredFigures[];
  readonly curves: readonly Curve[];
  /** Per-day returns of the scored strategy (for the DSR). */
  readonly returns: Float64Array;
}

const r4 = (x: number) => Number(x.toFixed(4));

/** One strategy configuration through the backtest engine over `candles`, counted from `startMs`. */
function runOne(input: ResearchInput, name: StrategyName, params: Partial<TrendParams>, candles: readonly Candle[], startMs: number): BacktestResult {
  // Baselines always at their own sizing (whole equity, or the volatility target), whatever the strategy's caps.
  const settings = (BASELINES as readonly string[]).includes(name) ? ownSizing(input.settings) : input.settings;
  const strategy = createStrategy(name, { settings, barMs: input.barMs, trend: params, ...(input.ml ? { ml: input.ml } : {}) });
  const startIndex = Math.max(0, candles.findIndex((c) => c.openTimeMs >= startMs));
  return runBacktest({
    candles,
    macro: input.macro,
    planner: plannerForMarket(strategyPlanner(strategy, settings), input.market ?? 'margin'),
    market: input.market ?? 'margin',
    rules: input.rules ?? BITBANK_BTC_JPY,
    initialEquityJpy: input.equityJpy,
    slippage: input.slippage,
    startIndex,
    barMs: input.barMs,
    windowBars: strategy.requiredBars(input.barMs),
    // The ml strategy's features need contiguous hours; the daily strategies read days across gaps.
    windowAcrossGaps: name !== 'ml',
  });
}

/** Figures of a run restricted to [fromMs, toMs): daily returns, drawdown and the trades entered in it. */
export function windowFigures(name: string, result: BacktestResult, initialEquityJpy: number, fromMs: number, toMs: number): { figures: ScoredFigures; dayMs: number[]; returns: Float64Array } {
  const daily = dailyEquity(result, initialEquityJpy);
  const all = dailyReturns(daily.equityJpy);
  const days: number[] = [];
  const returns: number[] = [];
  daily.dayMs.slice(1).forEach((d, i) => {
    if (d >= fromMs && d < toMs) {
      days.push(d);
      returns.push(all[i] as number);
    }
  });
  const inWindow = (ms: number) => ms >= fromMs && ms < toMs;
  const bars: number[] = [];
  for (let i = 0; i < result.bars; i += 1) if (inWindow(result.openTimeMs[i] as number)) bars.push(i);
  const first = bars[0] ?? 0;
  const last = (bars[bars.length - 1] ?? -1) + 1;
  const equityStart = first > 0 ? (result.equityJpy[first - 1] as number) : initialEquityJpy;
  const sub: BacktestResult = {
    ...result,
    bars: last - first,
    openTimeMs: result.openTimeMs.subarray(first, last),
    closeJpy: result.closeJpy.subarray(first, last),
    equityJpy: result.equityJpy.subarray(first, last),
    inPosition: result.inPosition.subarray(first, last),
    trades: result.trades.filter((t) => inWindow(t.entryTimeMs)),
    feesJpy: result.trades.filter((t) => inWindow(t.entryTimeMs)).reduce((a, t) => a + t.feesJpy, 0),
    interestJpy: result.trades.filter((t) => inWindow(t.entryTimeMs)).reduce((a, t) => a + t.interestJpy, 0),
  };
  return { figures: { name, ...researchFigures(sub, equityStart) }, dayMs: days, returns: Float64Array.from(returns) };
}

/** Figures from stitched daily returns (the walk-forward), with trade counts from the chosen runs' test windows. */
function stitchedFigures(name: string, returns: Float64Array, dayMs: readonly number[], parts: readonly ScoredFigures[]): ScoredFigures {
  const equity = curveOf(returns);
  const years = returns.length / 365;
  const sum = (f: (p: ScoredFigures) => number) => parts.reduce((a, p) => a + f(p), 0);
  const trips = sum((p) => p.roundTrips);
  const weight = (f: (p: ScoredFigures) => number) => (returns.length ? parts.reduce((a, p) => a + f(p) * p.days, 0) / returns.length : 0);
  const final = equity[equity.length - 1] ?? 1;
  return {
    name,
    days: returns.length,
    totalReturnPct: r4((final - 1) * 100),
    cagrPct: years > 0 ? r4((final ** (1 / years) - 1) * 100) : 0,
    sharpe: nullable(annualSharpe(returns)),
    maxDrawdownPct: r4(maxDrawdown(equity) * 100),
    exposurePct: r4(weight((p) => p.exposurePct)),
    roundTrips: trips,
    roundTripsPerMonth: years > 0 ? r4(trips / (years * 12)) : 0,
    turnoverPerYear: r4(weight((p) => p.turnoverPerYear)),
    feesJpy: sum((p) => p.feesJpy),
    interestJpy: sum((p) => p.interestJpy),
    costsPct: r4(sum((p) => p.costsPct)),
    costsPerYearPct: r4(weight((p) => p.costsPerYearPct)),
    bySide: {
      long: { trades: sum((p) => p.bySide.long.trades), pnlJpy: sum((p) => p.bySide.long.pnlJpy), winRate: null, feesJpy: sum((p) => p.bySide.long.feesJpy), interestJpy: sum((p) => p.bySide.long.interestJpy) },
      short: { trades: sum((p) => p.bySide.short.trades), pnlJpy: sum((p) => p.bySide.short.pnlJpy), winRate: null, feesJpy: sum((p) => p.bySide.short.feesJpy), interestJpy: sum((p) => p.bySide.short.interestJpy) },
    },
    perYear: perYear(returns, dayMs),
  };
}

const nullable = (x: number | null) => (x === null ? null : r4(x));

export function curveOf(returns: ArrayLike<number>): Float64Array {
  const out = new Float64Array(returns.length + 1);
  out[0] = 1;
  for (let i = 0; i < returns.length; i += 1) out[i + 1] = (out[i] as number) * (1 + (returns[i] as number));
  return out;
}

function perYear(returns: Float64Array, dayMs: readonly number[]): ResearchFigures['perYear'] {
  const out: Array<ResearchFigures['perYear'][number]> = [];
  for (let i = 0; i < returns.length; ) {
    const year = new Date(dayMs[i] as number).getUTCFullYear();
    let j = i;
    while (j < returns.length && new Date(dayMs[j] as number).getUTCFullYear() === year) j += 1;
    const slice = returns.subarray(i, j);
    const eq = curveOf(slice);
    out.push({ year, returnPct: r4(((eq[eq.length - 1] as number) - 1) * 100), sharpe: nullable(annualSharpe(slice)), maxDrawdownPct: r4(maxDrawdown(eq) * 100) });
    i = j;
  }
  return out;
}

/**
 * The research run. Walk-forward: every configuration of the grid runs over the selection period,
 * each fold picks the best on its training days (an embargo before its test) and is scored on its
 * test days; the baselines are scored on the same days. Hold-out: the configuration the whole
 * selection period picks, run once over [toMs, end), with the baselines.
 */
export function runResearch(input: ResearchInput, onStage?: (stage: string) => void): ResearchOutcome {
  if (input.grid.length === 0) throw new RangeError('the grid has no configuration');
  const selection = input.candles.filter((c) => c.openTimeMs < input.toMs);
  const folds = walkForwardFolds({ fromMs: input.fromMs, toMs: input.toMs, firstTestMs: input.firstTestMs, testMs: input.testMs, embargoMs: input.embargoMs });
  const configs: ConfigRun[] = input.grid.map((params, i) => {
    onStage?.(`config ${i + 1}/${input.grid.length}`);
    const result = runOne(input, input.strategy, params, selection, input.fromMs);
    return { params, result, figures: windowFigures('config', result, input.equityJpy, input.firstTestMs, input.toMs).figures };
  });
  const aligned = configs.map((c) => windowFigures('config', c.result, input.equityJpy, input.fromMs, input.toMs));
  const series = { dayMs: aligned[0]?.dayMs ?? [], returns: aligned.map((a) => a.returns) };
  const wf = selectWalkForward(series, folds);

  if (!input.holdout) {
    const parts = folds.map((f, k) => windowFigures('part', (configs[wf.chosen[k] as number] as ConfigRun).result, input.equityJpy, f.testFromMs, f.testToMs).figures);
    const strategy = stitchedFigures(input.strategy, wf.returns, wf.dayMs, parts);
    const baselines = BASELINES.map((b) => {
      onStage?.(`baseline ${b}`);
      return windowFigures(b, runOne(input, b, input.baselineParams ?? {}, selection, input.fromMs), input.equityJpy, input.firstTestMs, input.toMs);
    });
    const curves = [{ name: input.strategy, dayMs: wf.dayMs, equity: curveOf(wf.returns) }, ...baselines.map((b) => ({ name: b.figures.name, dayMs: b.dayMs, equity: curveOf(b.returns) }))];
    return { phase: 'walk-forward', window: { fromMs: input.firstTestMs, toMs: input.toMs }, folds: folds.map((f, k) => ({ ...f, chosen: wf.chosen[k] as number })), configs, strategy, baselines: baselines.map((b) => b.figures), curves, returns: wf.returns };
  }

  // Hold-out: chosen on the whole selection period (the same rule as a fold whose training ends at toMs).
  const [pick] = selectWalkForward(series, [{ trainFromMs: input.fromMs, trainToMs: input.toMs, testFromMs: input.toMs, testToMs: input.toMs }]).chosen;
  const params = input.grid[pick as number] as Partial<TrendParams>;
  const endMs = (input.candles[input.candles.length - 1] as Candle).openTimeMs + DAY_MS;
  const score = (name: StrategyName, p: Partial<TrendParams>) => windowFigures(name, runOne(input, name, p, input.candles, input.toMs), input.equityJpy, input.toMs, endMs);
  onStage?.('hold-out');
  const mine = score(input.strategy, params);
  const baselines = BASELINES.map((b) => score(b, input.baselineParams ?? {}));
  const curves = [mine, ...baselines].map((b) => ({ name: b.figures.name, dayMs: b.dayMs, equity: curveOf(b.returns) }));
  return { phase: 'holdout', window: { fromMs: input.toMs, toMs: endMs }, folds: [{ trainFromMs: input.fromMs, trainToMs: input.toMs, testFromMs: input.toMs, testToMs: endMs, chosen: pick as number }], configs, strategy: mine.figures, baselines: baselines.map((b) => b.figures), curves, returns: mine.returns };
}

/** The DSR of the scored returns against every trial logged for the same data (their per-day Sharpe ratios). */
export function deflated(returns: Float64Array, trialAnnualSharpes: readonly number[]) {
  const d = deflatedSharpe(returns, trialAnnualSharpes.map((s) => s / Math.sqrt(365)));
  return { probability: r4(d.probability), trials: d.trials, benchmarkAnnualSharpe: r4(d.benchmarkSharpe * Math.sqrt(365)), annualSharpe: r4(d.sharpe * Math.sqrt(365)) };
}
