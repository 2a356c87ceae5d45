import { HOUR_MS } from '../candle.js';
import { BotError } from '../errors.js';
import { computeLatestFeatures, type FeatureMatrix, type FeatureOptions } from '../features/index.js';
import type { FeatureLookup } from './signal.js';

/**
 * Live, paper and replay: the last bar's features from the candles (the feature engine's
 * last-bar path). A NaN among the model's features holds the bar with the reason the engine
 * gives: DATA.MACRO_STALE for a missing or stale macro input, DATA.MISSING_CANDLES otherwise.
 */
export function latestFeatureLookup(featureNames: readonly string[], options: FeatureOptions = {}): FeatureLookup {
  return (input) => {
    const last = input.candles[input.candles.length - 1];
    if (!last || last.openTimeMs + HOUR_MS !== input.nowMs) {
      return { ok: false, code: 'DATA.STALE_CANDLES', reason: 'the last candle is not the bar being decided' };
    }
    try {
      const vector = computeLatestFeatures(input.candles, input.macro, options);
      return checkRow(vector.features, featureNames, vector.flags);
    } catch (error) {
      if (error instanceof BotError) return { ok: false, code: error.code, reason: error.message };
      throw error;
    }
  };
}

/** The backtest: rows of a precomputed matrix, found by the last candle's open time (same engine code). */
export function matrixFeatureLookup(matrix: FeatureMatrix, featureNames: readonly string[]): FeatureLookup {
  const rowByOpenTime = new Map<number, number>();
  matrix.openTimeMs.forEach((t, i) => rowByOpenTime.set(t, i));
  return (input) => {
    const last = input.candles[input.candles.length - 1];
    const row = last === undefined ? undefined : rowByOpenTime.get(last.openTimeMs);
    if (row === undefined) return { ok: false, code: 'DATA.MISSING_CANDLES', reason: 'bar not in the feature matrix' };
    const features: Record<string, number> = {};
    for (const name of featureNames) features[name] = (matrix.columns[name] as Float64Array)[row] as number;
    return checkRow(features, featureNames, {});
  };
}

function checkRow(
  features: Record<string, number>,
  featureNames: readonly string[],
  flags: Record<string, string>,
): ReturnType<FeatureLookup> {
  const bad = featureNames.filter((n) => !Number.isFinite(features[n]));
  if (bad.length === 0) return { ok: true, features };
  const macro = bad.some((n) => /missing|stale/.test(flags[n] ?? ''));
  const detail = bad
    .slice(0, 5)
    .map((n) => `${n}${flags[n] ? ` (${flags[n]})` : ''}`)
    .join(', ');
  return {
    ok: false,
    code: macro ? 'DATA.MACRO_STALE' : 'DATA.MISSING_CANDLES',
    reason: `${bad.length} features not computable: ${detail}`,
  };
}
