import type { Candle, Timeframe } from '../../core/candle.js';
import { DataQualityError } from '../../core/errors.js';
import {
  computeFeatureMatrix,
  FEATURE_NAMES,
  FEATURE_WINDOW_BARS,
  MACRO_FEATURE_NAMES,
  NON_MACRO_FEATURE_NAMES,
} from '../../core/features/index.js';
import type { MacroData } from '../../core/macro.js';
import { decideRetrain, type RetrainDecision } from '../../core/model/retrain.js';
import { DEFAULT_HORIZON_BARS, type EnsembleConfig } from '../../core/model/types.js';
import type { CandleSource } from '../../ports/candle-source.port.js';
import type { Clock } from '../../ports/clock.port.js';
import type { Logger } from '../../ports/logger.port.js';
import type { MacroSource } from '../../ports/macro-source.port.js';
import type { Store } from '../../ports/store.port.js';
import { appendAudit } from '../audit/audit-log.js';
import { loadCandleWindow } from '../market-data/candle-store.js';
import { loadMacro } from '../market-data/macro-cache.js';
import { ModelStore } from './model-store.js';
import { modelEvent } from '../../core/notify/events.js';
import { enqueueEvent } from '../../store/outbox.js';

export interface RetrainServiceDeps {
  pair: string;
  timeframe: Timeframe;
  store: Store;
  candles: CandleSource;
  macro: { mode: 'required' | 'off'; source?: MacroSource; maxAgeDays: number };
  clock: Clock;
  logger: Logger;
  /** The candle quality gate (throws DATA.*), as in the tick. */
  qualityGate?: (candles: readonly Candle[], nowMs: number) => void;
}

export interface RetrainRunOptions {
  /** Close time of the newest bar used, ms UTC. */
  nowMs: number;
  seed: number;
  trainBars?: number;
  /** Bars evaluated walk-forward before the latest window (default 2,016: twelve weekly folds). */
  evalBars?: number;
  /** Versions kept in the store. */
  keep?: number;
  /** Evaluate and answer, store nothing. */
  dryRun?: boolean;
  ensemble?: Partial<EnsembleConfig>;
}

export interface RetrainOutcome {
  status: 'promoted' | 'kept';
  code: 'MODEL.PROMOTED' | 'MODEL.KEPT';
  reason: string;
  candidate: {
    version: string;
    usesMacro: boolean;
    trainWindow: RetrainDecision['candidate']['trainWindow'];
    validation: RetrainDecision['candidate']['validation'];
  };
  currentVersion: string | null;
  comparison: RetrainDecision['comparison'];
  folds: number;
  bars: number;
  dryRun: boolean;
}

/**
 * Monthly retrain: the latest candle window (the tick's day store) and macro (its cache), the 101
 * features, the pure decideRetrain, then store the candidate (kept for inspection, pruned to the
 * last versions) and promote it only when it won; one log line and an audit record say why.
 */
export async function runRetrain(deps: RetrainServiceDeps, o: RetrainRunOptions): Promise<RetrainOutcome> {
  const trainBars = o.trainBars ?? 1000;
  const bars = FEATURE_WINDOW_BARS + (o.evalBars ?? 2016) + trainBars + DEFAULT_HORIZON_BARS;
  const window = await loadCandleWindow({
    pair: deps.pair,
    timeframe: deps.timeframe,
    nowMs: o.nowMs,
    bars,
    source: deps.candles,
    store: deps.store,
    clock: deps.clock,
  });
  deps.qualityGate?.(window.candles, o.nowMs);
  let macro: MacroData | undefined;
  if (deps.macro.mode === 'required') {
    if (!deps.macro.source)
      throw new DataQualityError('EXTERNAL.FETCH_FAILED', 'MACRO_MODE=required needs a macro source');
    const loaded = await loadMacro({
      nowMs: o.nowMs,
      store: deps.store,
      source: deps.macro.source,
      clock: deps.clock,
      maxAgeDays: deps.macro.maxAgeDays,
      logger: deps.logger,
    });
    if (!loaded.usable)
      throw new DataQualityError(
        loaded.code ?? 'DATA.MACRO_STALE',
        'macro data is stale or missing: not retraining a macro model on it',
      );
    macro = loaded.data;
  }
  const matrix = computeFeatureMatrix(window.candles, macro, { macroMaxAgeDays: deps.macro.maxAgeDays });
  const models = new ModelStore(deps.store, o.keep ?? 5);
  const current = await models.getCurrent().catch((error: unknown) => {
    deps.logger.warn('current model unreadable; retrain compares with the baseline only', {
      code: 'MODEL.MISSING',
      error,
    });
    return undefined;
  });
  const decision = decideRetrain({
    matrix,
    closes: Float64Array.from(window.candles, (c) => c.close),
    featureNames: macro === undefined ? NON_MACRO_FEATURE_NAMES : FEATURE_NAMES,
    macroFeatureNames: MACRO_FEATURE_NAMES,
    current: current?.artifact,
    seed: o.seed,
    createdAtMs: o.nowMs,
    trainBars,
    ...(o.ensemble ? { ensemble: o.ensemble } : {}),
  });
  const { candidate } = decision;
  const code = decision.promote ? 'MODEL.PROMOTED' : 'MODEL.KEPT';
  if (!o.dryRun) {
    await models.save(candidate, deps.clock.nowMs(), decision.reason);
    if (decision.promote) {
      await models.promote(candidate.version, deps.clock.nowMs(), decision.reason);
      await appendAudit(deps.store, {
        kind: 'model-promotion',
        atMs: deps.clock.nowMs(),
        actor: 'retrain',
        details: {
          action: 'promote',
          to: candidate.version,
          previous: current?.version ?? null,
          reason: decision.reason,
        },
      });
    }
    const inUse = decision.promote ? candidate.version : (current?.version ?? 'none');
    const verdict = {
      outcome: decision.promote ? ('promoted' as const) : ('kept' as const),
      version: inUse,
      reason: decision.reason.slice(0, 500),
    };
    await enqueueEvent(deps.store, modelEvent(verdict, candidate.version, deps.clock.nowMs()));
  }
  const outcome: RetrainOutcome = {
    status: decision.promote ? 'promoted' : 'kept',
    code,
    reason: decision.reason,
    candidate: {
      version: candidate.version,
      usesMacro: candidate.usesMacro,
      trainWindow: candidate.trainWindow,
      validation: candidate.validation,
    },
    currentVersion: current?.version ?? null,
    comparison: decision.comparison,
    folds: decision.folds,
    bars: window.candles.length,
    dryRun: o.dryRun ?? false,
  };
  deps.logger.info(decision.promote ? 'retrain promoted a new model' : 'retrain kept the current model', {
    code,
    reason: decision.reason,
    candidate: candidate.version,
    current: outcome.currentVersion,
    rows: decision.comparison.rows,
    dryRun: outcome.dryRun,
  });
  return outcome;
}
