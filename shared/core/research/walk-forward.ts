import { DAY_MS } from '../candle.js';
import { annualSharpe } from './figures.js';

/** One walk-forward step: choose on [trainFromMs, trainToMs), test on [testFromMs, testToMs); the embargo lies between. */
export interface Fold {
  readonly trainFromMs: number;
  readonly trainToMs: number;
  readonly testFromMs: number;
  readonly testToMs: number;
}

/**
 * Expanding-window folds: the first test starts at `firstTestMs`, each lasts `testMs`, the last
 * ends at `toMs`. Training ends `embargoMs` before the test (at least the decision interval or
 * the label horizon, so no return the test scores was known when choosing).
 */
export function walkForwardFolds(o: { fromMs: number; toMs: number; firstTestMs: number; testMs: number; embargoMs: number }): Fold[] {
  if (!(o.testMs > 0) || o.embargoMs < 0 || o.firstTestMs - o.embargoMs <= o.fromMs) throw new RangeError('walk-forward: no training data before the first test (or bad lengths)');
  const folds: Fold[] = [];
  for (let t = o.firstTestMs; t < o.toMs; t += o.testMs) folds.push({ trainFromMs: o.fromMs, trainToMs: t - o.embargoMs, testFromMs: t, testToMs: Math.min(o.toMs, t + o.testMs) });
  return folds;
}

/** Daily returns of each configuration, aligned on the same days (return i is over the UTC day starting at `dayMs[i]`). */
export interface ReturnsByConfig {
  readonly dayMs: readonly number[];
  readonly returns: readonly Float64Array[];
}

export interface WalkForwardSelection {
  /** Index of the configuration chosen in each fold (best annualised Sharpe on the fold's training days). */
  readonly chosen: readonly number[];
  readonly dayMs: readonly number[];
  /** The chosen configurations' returns on the test days, stitched. */
  readonly returns: Float64Array;
}

/**
 * Walk-forward selection over precomputed returns: every fold picks on its training days only and
 * is scored on its test days. A switch between configurations at a fold boundary is not charged
 * (each configuration's returns already include its own trading costs).
 */
export function selectWalkForward(series: ReturnsByConfig, folds: readonly Fold[]): WalkForwardSelection {
  const chosen: number[] = [];
  const days: number[] = [];
  const out: number[] = [];
  for (const fold of folds) {
    const train = series.dayMs.flatMap((d, i) => (d >= fold.trainFromMs && d + DAY_MS <= fold.trainToMs ? [i] : []));
    let best = 0;
    let bestSharpe = -Infinity;
    series.returns.forEach((r, c) => {
      const s = annualSharpe(Float64Array.from(train, (i) => r[i] as number)) ?? -Infinity;
      if (s > bestSharpe) [best, bestSharpe] = [c, s];
    });
    chosen.push(best);
    series.dayMs.forEach((d, i) => {
      if (d >= fold.testFromMs && d < fold.testToMs) {
        days.push(d);
        out.push((series.returns[best] as Float64Array)[i] as number);
      }
    });
  }
  return { chosen, dayMs: days, returns: Float64Array.from(out) };
}
