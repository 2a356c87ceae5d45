import { writeFileSync } from 'node:fs';
import { readCandlesCsv, readMacroDir } from '../lib/csv.js';
import {
  computeFeatureMatrix,
  FEATURE_NAMES,
  MACRO_FEATURE_NAMES,
  NON_MACRO_FEATURE_NAMES,
} from '../../shared/core/features/index.js';
import { decideRetrain, type RetrainDecision } from '../../shared/core/model/retrain.js';
import { sliceMatrix } from '../../shared/core/model/matrix.js';
import { DEFAULT_HORIZON_BARS } from '../../shared/core/model/types.js';

export interface RetrainFileOptions {
  candles: string;
  macro?: string;
  quotePerUsd: number;
  out: string;
  seed: number;
  createdAtMs: number;
  trainBars: number;
  /** Bars evaluated walk-forward before the latest window (0 = every bar of the file). */
  evalBars: number;
  /** Only candles opening before this time are used (keeps a hold-out untouched). */
  untilMs?: number;
  /** The artifact currently in use, to compare against. */
  current?: unknown;
  onFold?: (done: number, total: number) => void;
}

export interface RetrainFileReport {
  out: string;
  version: string;
  featureCount: number;
  usesMacro: boolean;
  candles: { rows: number; fromMs: number; toMs: number };
  trainWindow: { fromMs: number; toMs: number; rows: number };
  decision: Pick<RetrainDecision, 'promote' | 'reason' | 'comparison' | 'folds'>;
  validation: RetrainDecision['candidate']['validation'];
}

/**
 * The retrain CLI's work: features over the whole file (so warm-up is behind the window), the
 * same pure decideRetrain as the `retrain` function over the latest window, the artifact written.
 */
export function retrainFromFiles(o: RetrainFileOptions): RetrainFileReport {
  const all = readCandlesCsv(o.candles, { quotePerUsd: o.quotePerUsd });
  const candles = o.untilMs === undefined ? all : all.filter((c) => c.openTimeMs < o.untilMs!);
  if (candles.length === 0) throw new Error('no candles before --until');
  const macro = o.macro === undefined ? undefined : readMacroDir(o.macro);
  const full = computeFeatureMatrix(candles, macro);
  const windowRows =
    o.evalBars === 0 ? candles.length : Math.min(candles.length, o.evalBars + o.trainBars + DEFAULT_HORIZON_BARS);
  const matrix = sliceMatrix(full, candles.length - windowRows, candles.length);
  const closes = Float64Array.from(candles.slice(candles.length - windowRows), (c) => c.close);
  const decision = decideRetrain({
    matrix,
    closes,
    featureNames: macro === undefined ? NON_MACRO_FEATURE_NAMES : FEATURE_NAMES,
    macroFeatureNames: MACRO_FEATURE_NAMES,
    current: o.current,
    seed: o.seed,
    createdAtMs: o.createdAtMs,
    trainBars: o.trainBars,
    ...(o.onFold ? { onFold: o.onFold } : {}),
  });
  const artifact = decision.candidate;
  writeFileSync(o.out, `${JSON.stringify(artifact)}\n`);
  return {
    out: o.out,
    version: artifact.version,
    featureCount: artifact.featureNames.length,
    usesMacro: artifact.usesMacro,
    candles: { rows: candles.length, fromMs: candles[0]!.openTimeMs, toMs: candles[candles.length - 1]!.openTimeMs },
    trainWindow: artifact.trainWindow,
    decision: {
      promote: decision.promote,
      reason: decision.reason,
      comparison: decision.comparison,
      folds: decision.folds,
    },
    validation: artifact.validation,
  };
}
