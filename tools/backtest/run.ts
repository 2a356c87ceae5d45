import { HOUR_MS, type Candle } from '../../shared/core/candle.js';
import type { MacroData } from '../../shared/core/macro.js';
import { computeFeatureMatrix, FEATURE_NAMES, NON_MACRO_FEATURE_NAMES } from '../../shared/core/features/index.js';
import { DEFAULT_HORIZON_BARS, firstCompleteRow, loadModel, walkForward } from '../../shared/core/model/index.js';
import {
  createStrategy,
  predictionSignal,
  strategyPlanner,
  type SignalSource,
  type StrategyName,
  type StrategySettings,
  type TrendParams,
} from '../../shared/core/strategy/index.js';
import { researchFigures, type ResearchFigures } from '../../shared/core/research/figures.js';
import { ownSizing } from '../research/sizing.js';
import {
  alwaysFlatPlanner,
  auditBacktest,
  buyAndHoldPlanner,
  costFigures,
  movingAverageCrossoverPlanner,
  runBacktest,
  summarizeBacktest,
  type BacktestResult,
  type BacktestSummary,
  type BacktestTrade,
  type CostFigures,
  type LimitBreach,
} from '../../shared/core/backtest/index.js';
import type { Planner } from '../../shared/core/plan.js';
import { BITBANK_BTC_JPY, BITBANK_FEE_SCHEDULE } from '../../shared/core/market-rules.js';
import { EXECUTIONS, type Execution } from '../../shared/core/fills/fill-model.js';
import { MARKETS, plannerForMarket, type Market } from '../../shared/core/market.js';

export interface BacktestRunOptions {
  candles: readonly Candle[];
  macro: MacroData | undefined;
  fromMs?: number;
  toMs?: number;
  /** A model artifact (parsed JSON); without it the model is trained walk-forward as the run goes. */
  modelArtifact?: unknown;
  settings: StrategySettings;
  equityJpy: number;
  slippage: number;
  seed: number;
  /** The strategy run (default ml); any other registered strategy needs no model. */
  strategy?: StrategyName;
  /** Candle length (default hourly); a daily file runs the daily strategies on daily bars. */
  barMs?: number;
  trend?: Partial<TrendParams>;
  /** EXECUTION and MAKER_WAIT_BARS of shared/config.ts (default taker, 1 bar). */
  execution?: Execution;
  makerWaitBars?: number;
  /** BOT_MARKET (main.ts passes it, default spot; absent here: margin): spot runs long/flat (a short signal held flat), spot fees, no interest. */
  market?: Market;
  onStage?: (stage: string, done: number, total: number) => void;
}

export interface BacktestRun {
  summary: Record<string, unknown>;
  result: BacktestResult;
  baselines: Record<'buyAndHold' | 'alwaysFlat' | 'maCrossover', { summary: BacktestSummary; result: BacktestResult }>;
  breaches: LimitBreach[];
}

const round = (x: number | null, digits = 4) => (x === null || !Number.isFinite(x) ? x : Number(x.toFixed(digits)));

/**
 * The whole backtest: features over the candles up to `toMs`, out-of-sample probabilities (the
 * given model, or walk-forward training where no bar is predicted by a model that saw it), the
 * planner driven bar by bar from `fromMs`, the baselines through the same engine, and the audit.
 */
export function runBacktestCli(o: BacktestRunOptions): BacktestRun {
  const candles = o.toMs === undefined ? o.candles : o.candles.filter((c) => c.openTimeMs < (o.toMs as number));
  const startIndex =
    o.fromMs === undefined
      ? 0
      : Math.max(
          0,
          candles.findIndex((c) => c.openTimeMs >= (o.fromMs as number)),
        );
  if (
    candles.length === 0 ||
    (o.fromMs !== undefined && candles.findIndex((c) => c.openTimeMs >= (o.fromMs as number)) < 0)
  ) {
    throw new RangeError('no candles in the requested window');
  }
  const name = o.strategy ?? 'ml';
  const barMs = o.barMs ?? HOUR_MS;
  if (name === 'ml' && barMs !== HOUR_MS) throw new RangeError('the ml strategy runs on hourly candles only');
  const { signal, model } =
    name === 'ml' ? modelSignalFor(o, candles, startIndex) : { signal: undefined, model: { kind: 'none' } };
  const strategy = createStrategy(name, {
    settings: o.settings,
    barMs,
    ...(o.trend ? { trend: o.trend } : {}),
    ...(signal ? { ml: { signal } } : {}),
  });
  const planner = strategyPlanner(strategy, o.settings);
  const daily = name !== 'ml';
  const execution = o.execution ?? 'taker';
  const makerWaitBars = o.makerWaitBars ?? 1;
  const windowBars = Math.max(300, strategy.requiredBars(barMs));
  const market = o.market ?? 'margin';
  // Every planner (the strategy's and the baselines') follows the market's rule: spot is long or flat.
  const run = (p: Planner, stage: string, how: Execution = execution, on: Market = market) =>
    runBacktest({
      candles,
      macro: o.macro,
      planner: plannerForMarket(p, on),
      market: on,
      rules: BITBANK_BTC_JPY,
      initialEquityJpy: o.equityJpy,
      slippage: o.slippage,
      execution: how,
      makerWaitBars,
      startIndex,
      barMs,
      windowBars,
      windowAcrossGaps: daily,
      onProgress: (d, t) => d % 500 === 0 && o.onStage?.(stage, d, t),
    });
  const result = run(planner, 'backtest');
  const breaches = auditBacktest(result, o.settings, BITBANK_BTC_JPY);
  const s = summarizeBacktest(result);
  const baseline = (p: Planner, stage: string) => {
    const r = run(p, stage);
    return { result: r, summary: summarizeBacktest(r) };
  };
  const baselines = {
    buyAndHold: baseline(buyAndHoldPlanner(o.settings.maxPositionBtc), 'buy-and-hold'),
    alwaysFlat: baseline(alwaysFlatPlanner(), 'always-flat'),
    maCrossover: baseline(movingAverageCrossoverPlanner(o.settings.maxPositionBtc), 'ma-crossover'),
  };
  // Buy-and-hold of the whole equity (no caps): the Sharpe and drawdown a holder of BTC had, after interest and fees.
  const holdAll = run(
    strategyPlanner(createStrategy('buy-and-hold', { settings: o.settings, barMs }), ownSizing(o.settings)),
    'buy-and-hold (all equity)',
  );
  const mine = researchFigures(result, o.equityJpy);
  const holder = researchFigures(holdAll, o.equityJpy);
  // The same strategy on each market under each execution setting.
  const byMarket = Object.fromEntries(
    MARKETS.map((on) => [
      on,
      Object.fromEntries(
        EXECUTIONS.map((how) => {
          const r = how === execution && on === market ? result : run(planner, `${on} ${how}`, how, on);
          const b = summarizeBacktest(r);
          return [
            how,
            { trades: b.trades, totalReturnPct: round(b.totalReturnPct), ...roundedCosts(costFigures(r, o.slippage)) },
          ];
        }),
      ),
    ]),
  );
  const costs = roundedCosts(costFigures(result, o.slippage));
  return summarize(o, candles, startIndex, {
    result,
    s,
    breaches,
    baselines,
    model,
    mine,
    holder,
    name,
    barMs,
    execution,
    makerWaitBars,
    market,
    byMarket,
    costs,
  });
}

interface Parts {
  result: BacktestResult;
  s: BacktestSummary;
  breaches: LimitBreach[];
  baselines: BacktestRun['baselines'];
  model: Record<string, unknown>;
  mine: ResearchFigures;
  holder: ResearchFigures;
  name: StrategyName;
  barMs: number;
  execution: Execution;
  makerWaitBars: number;
  market: Market;
  byMarket: Record<string, unknown>;
  costs: ReturnType<typeof roundedCosts>;
}

/** The ml strategy's signal: the given artifact's probabilities, or walk-forward out-of-sample ones. */
function modelSignalFor(
  o: BacktestRunOptions,
  candles: readonly Candle[],
  startIndex: number,
): { signal: SignalSource; model: Record<string, unknown> } {
  const featureNames = o.macro ? FEATURE_NAMES : NON_MACRO_FEATURE_NAMES;
  o.onStage?.('features', 0, 1);
  const matrix = computeFeatureMatrix(candles, o.macro);
  o.onStage?.('features', 1, 1);
  let predictions: Float64Array;
  /** The base rate of the model behind each row's prediction: the planner's threshold is centred on it. */
  let baseRates: Float64Array | number;
  let model: Record<string, unknown>;
  if (o.modelArtifact !== undefined) {
    const loaded = loadModel(o.modelArtifact, FEATURE_NAMES);
    if (loaded.artifact.usesMacro && !o.macro)
      throw new RangeError(`model ${loaded.artifact.version} uses macro features: pass --macro`);
    if (loaded.artifact.trainWindow.toMs > candles[startIndex]!.openTimeMs) {
      throw new RangeError(
        `model ${loaded.artifact.version} was trained on bars up to ${new Date(loaded.artifact.trainWindow.toMs).toISOString()}: start the backtest after that (--from)`,
      );
    }
    if (loaded.baseRate === undefined)
      throw new RangeError(
        `model ${loaded.artifact.version} records no base rate (trained before it was recorded): retrain it`,
      );
    predictions = loaded.predictRows(matrix, 0, candles.length);
    baseRates = loaded.baseRate;
    model = {
      kind: 'fixed',
      version: loaded.artifact.version,
      trainWindow: loaded.artifact.trainWindow,
      baseRate: round(loaded.baseRate),
      validation: loaded.artifact.validation,
    };
  } else {
    // Folds whose test bars all fall before the window are not needed: start training so the first test bar is at or before `fromMs`.
    const trainBars = 1_000;
    const startRow = Math.max(firstCompleteRow(matrix, featureNames), startIndex - trainBars - DEFAULT_HORIZON_BARS);
    const wf = walkForward(
      matrix,
      candles.map((c) => c.close),
      { featureNames, seed: o.seed, trainBars, startRow, onFold: (d, t) => o.onStage?.('walk-forward', d, t) },
    );
    predictions = wf.predictions;
    baseRates = wf.baseline; // each fold model's base rate on the rows it predicted
    const folds = { folds: wf.folds.length, skippedFolds: wf.folds.filter((f) => f.skipped).length };
    model = {
      kind: 'walk-forward',
      ...folds,
      baseRate: rateRange(wf.baseline),
      outOfSample: wf.metrics,
      noSkillBaseline: wf.baselineMetrics,
    };
  }
  const rowByOpenTime = new Map<number, number>();
  matrix.openTimeMs.forEach((t, i) => rowByOpenTime.set(t, i));
  return {
    signal: predictionSignal((ms) => predictions[rowByOpenTime.get(ms) ?? -1], rateAt(baseRates, rowByOpenTime)),
    model,
  };
}

function summarize(o: BacktestRunOptions, candles: readonly Candle[], startIndex: number, parts: Parts): BacktestRun {
  const { result, s, breaches, baselines, model, mine, holder, costs } = parts;
  const first = candles[startIndex]!;
  const last = candles[candles.length - 1]!;
  const brief = (b: BacktestSummary) => ({
    trades: b.trades,
    totalReturnPct: round(b.totalReturnPct),
    sharpe: round(b.sharpe),
    maxDrawdownPct: round(b.maxDrawdownPct),
    feesJpy: round(b.feesJpy, 0),
    exposurePct: round(b.exposurePct, 2),
  });
  const summary = {
    bars: s.bars,
    trades: s.trades,
    winRate: round(s.winRate),
    totalReturnPct: round(s.totalReturnPct),
    buyHoldReturnPct: round(baselines.buyAndHold.summary.totalReturnPct),
    strategy: parts.name,
    timeframe: parts.barMs === HOUR_MS ? '1h' : '1d',
    sharpe: round(mine.sharpe),
    buyHoldSharpe: round(holder.sharpe),
    buyHoldMaxDrawdownPct: round(holder.maxDrawdownPct),
    roundTripsPerMonth: round(mine.roundTripsPerMonth),
    hourlySharpe: round(s.sharpe),
    sortino: round(s.sortino),
    maxDrawdownPct: round(s.maxDrawdownPct),
    profitFactor: round(s.profitFactor),
    exposurePct: round(s.exposurePct, 2),
    feesJpy: round(s.feesJpy, 0),
    interestJpy: round(s.interestJpy, 0),
    makerFeesJpy: costs.feesJpy.maker,
    takerFeesJpy: costs.feesJpy.taker,
    slippageJpy: costs.slippageJpy,
    makerFillRate: costs.makerFillRate,
    costPerRoundTripPct: costs.costPerRoundTripPct,
    maxPositionBtc: s.maxPositionBtc,
    maxEntriesInADay: s.maxEntriesInADay,
    riskLimitBreaches: breaches.length,
    equityJpy: o.equityJpy,
    finalEquityJpy: round(s.finalEquityJpy, 0),
    window: { from: new Date(first.openTimeMs).toISOString(), to: new Date(last.openTimeMs).toISOString() },
    marketReturnPct: round((last.close / first.open - 1) * 100),
    gaps: s.gaps,
    missingBars: s.missingBars,
    killSwitchAt: result.killSwitchAtMs === undefined ? null : new Date(result.killSwitchAtMs).toISOString(),
    holdCodes: result.holdCodes,
    exitReasons: countBy(result.trades.map((t) => t.exitReason)),
    bySide: { long: sideFigures(result.trades, 'long'), short: sideFigures(result.trades, 'short') },
    slippage: o.slippage,
    macro: o.macro !== undefined,
    model,
    baselines: {
      buyAndHold: brief(baselines.buyAndHold.summary),
      alwaysFlat: brief(baselines.alwaysFlat.summary),
      maCrossover: brief(baselines.maCrossover.summary),
    },
    costs: {
      source: `bitbank's schedule since ${BITBANK_FEE_SCHEDULE.since} (BITBANK_FEE_SCHEDULE, shared/core/market-rules.ts)`,
      market: parts.market,
      ...(parts.market === 'spot'
        ? {
            makerFeeRate: BITBANK_BTC_JPY.makerFeeRate,
            takerFeeRate: BITBANK_BTC_JPY.takerFeeRate,
            marginInterestDaily: null,
            sides: 'long or flat',
          }
        : {
            makerFeeRate: BITBANK_BTC_JPY.marginMakerFeeRate,
            takerFeeRate: BITBANK_BTC_JPY.marginTakerFeeRate,
            marginInterestDaily: {
              long: BITBANK_BTC_JPY.marginLongInterestDaily,
              short: BITBANK_BTC_JPY.marginShortInterestDaily,
              chargedAt: '00:00 JST',
            },
            sides: 'long and short',
          }),
      execution: parts.execution,
      makerWaitBars: parts.makerWaitBars,
    },
    byMarket: parts.byMarket,
  };
  return { summary, result, baselines, breaches };
}

/**
 * The ml strategy's signal for research: out-of-sample probabilities from walk-forward training
 * (no bar predicted by a model that saw it), each with its fold model's base rate.
 */
export function mlPredictionsFor(o: {
  candles: readonly Candle[];
  macro: MacroData | undefined;
  seed: number;
  fromMs: number;
}): { signal: SignalSource } {
  const featureNames = o.macro ? FEATURE_NAMES : NON_MACRO_FEATURE_NAMES;
  const matrix = computeFeatureMatrix(o.candles, o.macro);
  const startIndex = Math.max(
    0,
    o.candles.findIndex((c) => c.openTimeMs >= o.fromMs),
  );
  const trainBars = 1_000;
  const startRow = Math.max(firstCompleteRow(matrix, featureNames), startIndex - trainBars - DEFAULT_HORIZON_BARS);
  const wf = walkForward(
    matrix,
    o.candles.map((c) => c.close),
    { featureNames, seed: o.seed, trainBars, startRow },
  );
  const rowByOpenTime = new Map<number, number>();
  matrix.openTimeMs.forEach((t, i) => rowByOpenTime.set(t, i));
  return {
    signal: predictionSignal((ms) => wf.predictions[rowByOpenTime.get(ms) ?? -1], rateAt(wf.baseline, rowByOpenTime)),
  };
}

function rateAt(
  baseRates: Float64Array | number,
  rowByOpenTime: ReadonlyMap<number, number>,
): number | ((openTimeMs: number) => number | undefined) {
  return typeof baseRates === 'number' ? baseRates : (ms) => baseRates[rowByOpenTime.get(ms) ?? -1];
}

/** Over the predicted rows: the fold models' base rates (what the threshold was centred on). */
function rateRange(rates: Float64Array): { min: number; mean: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let n = 0;
  for (const r of rates) {
    if (!Number.isFinite(r)) continue;
    min = Math.min(min, r);
    max = Math.max(max, r);
    sum += r;
    n += 1;
  }
  return n === 0 ? null : { min: round(min) as number, mean: round(sum / n) as number, max: round(max) as number };
}

/** The model predicts only "up by more than the cost": its shorts rest on weaker evidence, so each side is shown. */
function sideFigures(
  trades: readonly BacktestTrade[],
  side: 'long' | 'short',
): { trades: number; winRate: number | null; pnlJpy: number } {
  const mine = trades.filter((t) => t.side === side);
  const wins = mine.filter((t) => t.pnlJpy > 0).length;
  return {
    trades: mine.length,
    winRate: mine.length === 0 ? null : (round(wins / mine.length) as number),
    pnlJpy: round(
      mine.reduce((a, t) => a + t.pnlJpy, 0),
      0,
    ) as number,
  };
}

function countBy(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

function roundedCosts(c: CostFigures) {
  return {
    feesJpy: {
      maker: round(c.feesJpy.maker, 0) as number,
      taker: round(c.feesJpy.taker, 0) as number,
      total: round(c.feesJpy.total, 0) as number,
    },
    interestJpy: round(c.interestJpy, 0) as number,
    slippageJpy: round(c.slippageJpy, 0) as number,
    makerFillRate: c.makerFillRate === null ? null : round(c.makerFillRate),
    costPerRoundTripPct: c.costPerRoundTripPct === null ? null : round(c.costPerRoundTripPct),
  };
}
