import type { Candle, Timeframe } from '../core/candle.js';
import { DataQualityError, StrategyError } from '../core/errors.js';
import { FEATURE_WINDOW_BARS, computeLatestFeatures } from '../core/features/index.js';
import type { MacroData } from '../core/macro.js';
import type { LoadedModel } from '../core/model/index.js';
import type { Planner } from '../core/plan.js';
import { plannerForMarket, type Market } from '../core/market.js';
import { createStrategy, type StrategyName } from '../core/strategy/registry.js';
import { requiredCandles, type StrategySettings } from '../core/strategy/settings.js';
import { strategyPlanner } from '../core/strategy/target.js';
import type { TrendParams } from '../core/strategy/trend.js';
import { usesModelAndMacro } from '../core/strategy/names.js';
import { TIMEFRAME_MS } from '../core/candle.js';
import { featuresDigest, type StepTiming } from '../core/tick/outcome.js';
import { tickId } from '../core/tick/bar.js';
import { loadCandleWindow, type CandleWindow } from '../adapters/market-data/candle-store.js';
import { CandleDayCache } from '../adapters/market-data/candle-day-cache.js';
import { loadMacro, type MacroMemo } from '../adapters/market-data/macro-cache.js';
import type { CandleSource } from '../ports/candle-source.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { Logger } from '../ports/logger.port.js';
import type { MacroSource } from '../ports/macro-source.port.js';
import type { Store } from '../ports/store.port.js';
import type { Brain, Decision, DecisionContext } from './tick-deps.js';

export interface BrainOptions {
  pair: string;
  timeframe: Timeframe;
  store: Store;
  clock: Clock;
  logger: Logger;
  candles: CandleSource;
  /** `required`: stale macro data stops trading for the bar; `off`: no macro (a model trained without it). */
  macro: { mode: 'required' | 'off'; source?: MacroSource; maxAgeDays: number };
  settings: StrategySettings;
  /** BOT_STRATEGY (default ml): only ml reads the model and the macro series. */
  strategy?: StrategyName;
  trend?: Partial<TrendParams>;
  /** BOT_MARKET (the tick passes it; absent here: margin): on spot a short entry is held flat (shared/core/market.ts). */
  market?: Market;
  /** The current model (cached by the caller; MODEL.MISSING when there is none). */
  model: () => Promise<LoadedModel>;
  /** The candle quality gate: throws a DATA.* error when the window fails it. */
  qualityGate?: (candles: readonly Candle[], nowMs: number) => void;
}

/**
 * The decision of one bar: candle window (Firestore day store, fetching only what is new) ->
 * quality gate -> [ml: macro (Firestore cache) -> model] -> the configured strategy through
 * `strategyPlanner` (sizing caps and protections). Each sub-step is timed; a failure is a DATA.* /
 * MODEL.* error that stops the tick, never a patched value. The window is what the strategy
 * needs (trend: its longest lookback in days, about 1,300 hourly bars, kept in the day store).
 */
export function createBrain(options: BrainOptions): Brain {
  const name = options.strategy ?? 'ml';
  const barMs = TIMEFRAME_MS[options.timeframe];
  const usesModel = usesModelAndMacro(name);
  // Without a model (every strategy but ml) the strategy is built once; ml is rebuilt when the model version changes.
  const strategy = usesModel
    ? undefined
    : createStrategy(name, { settings: options.settings, barMs, ...(options.trend ? { trend: options.trend } : {}) });
  const market = options.market ?? 'margin';
  const fixed = strategy ? plannerForMarket(strategyPlanner(strategy, options.settings), market) : undefined;
  const bars = strategy
    ? strategy.requiredBars(barMs)
    : Math.max(FEATURE_WINDOW_BARS, requiredCandles(options.settings));
  let cached: { version: string; planner: Planner } | undefined;
  // Per instance: the final day documents (a steady tick reads only the day still running).
  const candleDays = new CandleDayCache();
  const macroMemo: MacroMemo = new Map();
  const loadWindow = (nowMs: number, signal: AbortSignal): Promise<CandleWindow> =>
    loadCandleWindow({
      pair: options.pair,
      timeframe: options.timeframe,
      nowMs,
      bars,
      source: options.candles,
      store: options.store,
      clock: options.clock,
      signal,
      cache: candleDays,
    });
  let early: { nowMs: number; window: Promise<CandleWindow> } | undefined;
  return {
    prefetch(nowMs: number, signal: AbortSignal): void {
      const window = loadWindow(nowMs, signal);
      window.catch(() => undefined); // awaited (and its error raised) by decide; a tick failing earlier drops it
      early = { nowMs, window };
    },
    async decide(context: DecisionContext, signal: AbortSignal): Promise<Decision> {
      const timings: StepTiming[] = [];
      const timed = async <T>(step: string, work: () => Promise<T> | T): Promise<T> => {
        const t0 = options.clock.nowMs();
        const result = await work();
        timings.push({ step, ms: options.clock.nowMs() - t0 });
        return result;
      };
      const started = early?.nowMs === context.nowMs ? early.window : undefined;
      early = undefined;
      const window = await timed('candles', () => started ?? loadWindow(context.nowMs, signal));
      const candles = window.candles;
      if (options.qualityGate) await timed('quality-gate', () => options.qualityGate?.(candles, context.nowMs));
      let macro: MacroData | undefined;
      // Gaps the gate let through (old, settled) are flagged on the decision and logged, never silent.
      const flags: Record<string, string> = { ...window.flags };
      if (window.flags.candleGaps)
        options.logger.warn(`candle window has old gaps (not blocking): ${window.flags.candleGaps}`, {
          code: 'DATA.CANDLE_GAP',
          tick: tickId(options.pair, options.timeframe, context.nowMs),
        });
      if (fixed) {
        const plan = await timed('plan', () => fixed({ ...context, candles, macro: undefined }));
        return { plan, timings, ...(Object.keys(flags).length > 0 ? { flags } : {}) };
      }
      if (options.macro.mode === 'required') {
        if (!options.macro.source)
          throw new StrategyError('STRATEGY.FAILED', 'MACRO_MODE=required needs a macro source');
        const loaded = await timed('macro', () =>
          loadMacro({
            nowMs: context.nowMs,
            store: options.store,
            source: options.macro.source as MacroSource,
            clock: options.clock,
            maxAgeDays: options.macro.maxAgeDays,
            signal,
            logger: options.logger,
            memo: macroMemo,
          }),
        );
        if (!loaded.usable)
          throw new DataQualityError(
            loaded.code ?? 'DATA.MACRO_STALE',
            'macro data is stale or missing: not trading this bar (MACRO_MODE=required)',
            { details: { series: Object.fromEntries(Object.entries(loaded.series).map(([k, v]) => [k, v.lastDate])) } },
          );
        macro = loaded.data;
      }
      const model = await timed('model', () => options.model());
      if (options.macro.mode === 'off' && model.artifact.usesMacro) {
        throw new StrategyError(
          'MODEL.FEATURE_MISMATCH',
          `model ${model.artifact.version} reads macro features but MACRO_MODE=off`,
        );
      }
      if (cached?.version !== model.artifact.version) {
        cached = {
          version: model.artifact.version,
          planner: plannerForMarket(
            strategyPlanner(
              createStrategy('ml', {
                settings: options.settings,
                ml: { model, featureNames: model.artifact.featureNames },
              }),
              options.settings,
            ),
            market,
          ),
        };
      }
      const planner = cached.planner;
      const digest = await timed('features', () => {
        const vector = computeLatestFeatures(candles, macro, { macroMaxAgeDays: options.macro.maxAgeDays });
        Object.assign(flags, vector.flags);
        return featuresDigest(
          Object.fromEntries(model.artifact.featureNames.map((n) => [n, vector.features[n] ?? Number.NaN])),
        );
      });
      const plan = await timed('plan', () => planner({ ...context, candles, macro }));
      return { plan, featuresDigest: digest, timings, ...(Object.keys(flags).length > 0 ? { flags } : {}) };
    },
  };
}
