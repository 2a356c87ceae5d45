import type { OutcomeCode } from '../codes.js';
import { BotError } from '../errors.js';
import type { PlanInput } from '../plan.js';

/**
 * The probability that the price closes higher over the model's horizon by more than the cost,
 * with the model's base rate (its training rows' share of up labels, what a no-skill model says):
 * the planner's threshold is centred there, not on 0.5. Or why there is none.
 */
export type SignalResult =
  | { readonly ok: true; readonly probabilityUp: number; readonly baseRate: number }
  | { readonly ok: false; readonly code: OutcomeCode; readonly reason: string };

/** Where the planner's probability comes from: a model on the last bar's features, or precomputed predictions. */
export type SignalSource = (input: PlanInput) => SignalResult;

/** The part of the model API (shared/core/model) the planner uses. */
export interface ProbabilityModel {
  /** Share of up labels the model was trained on; undefined for an artifact that predates it (no trading on it). */
  readonly baseRate: number | undefined;
  predictProbabilityUp(features: Readonly<Record<string, number>>): number;
}

/** The last bar's features by name, or why they cannot be had. */
export type FeatureLookup = (
  input: PlanInput,
) =>
  | { readonly ok: true; readonly features: Readonly<Record<string, number>> }
  | { readonly ok: false; readonly code: OutcomeCode; readonly reason: string };

export function checkedProbability(p: number, baseRate: number, what: string): SignalResult {
  if (!Number.isFinite(p) || p < 0 || p > 1)
    return { ok: false, code: 'STRATEGY.FAILED', reason: `${what} gave probability ${p}` };
  if (!Number.isFinite(baseRate) || baseRate <= 0 || baseRate >= 1)
    return { ok: false, code: 'STRATEGY.FAILED', reason: `${what} has base rate ${baseRate} (not in (0, 1))` };
  return { ok: true, probabilityUp: p, baseRate };
}

/** An artifact trained before the base rate was recorded: loadable, but the planner does not guess a centre for it. */
export const NO_BASE_RATE_REASON =
  'the model artifact records no base rate (trained before it was recorded): no centre for the threshold; retrain it';

/**
 * The model's probability for the features of the last closed bar. A BotError from the model
 * (a missing or non-finite feature) becomes a hold with its code; anything else is a bug and throws.
 * A model without a base rate holds every bar with MODEL.MISSING (stops, take-profits and the time
 * limit of an open position still apply: they do not read the signal).
 */
export function modelSignal(model: ProbabilityModel, features: FeatureLookup): SignalSource {
  return (input) => {
    if (model.baseRate === undefined) return { ok: false, code: 'MODEL.MISSING', reason: NO_BASE_RATE_REASON };
    const row = features(input);
    if (!row.ok) return row;
    try {
      return checkedProbability(model.predictProbabilityUp(row.features), model.baseRate, 'the model');
    } catch (error) {
      if (error instanceof BotError) return { ok: false, code: error.code, reason: error.message };
      throw error;
    }
  };
}

/**
 * Precomputed out-of-sample predictions by bar open time (the walk-forward backtest): NaN or
 * absent means no model that had not seen the bar could predict it, and the planner holds.
 * `baseRateByOpenTimeMs` gives the base rate of the model that made each prediction (walk-forward:
 * each fold's own), or one number for all; stated by the caller, never assumed.
 */
export function predictionSignal(
  predictionByOpenTimeMs: (openTimeMs: number) => number | undefined,
  baseRateByOpenTimeMs: number | ((openTimeMs: number) => number | undefined),
): SignalSource {
  const baseRateAt = typeof baseRateByOpenTimeMs === 'number' ? () => baseRateByOpenTimeMs : baseRateByOpenTimeMs;
  return (input) => {
    const last = input.candles[input.candles.length - 1];
    const p = last === undefined ? undefined : predictionByOpenTimeMs(last.openTimeMs);
    if (last === undefined || p === undefined || Number.isNaN(p))
      return { ok: false, code: 'MODEL.MISSING', reason: 'no out-of-sample prediction for this bar' };
    const baseRate = baseRateAt(last.openTimeMs);
    if (baseRate === undefined || Number.isNaN(baseRate))
      return { ok: false, code: 'MODEL.MISSING', reason: 'no base rate for the model that predicted this bar' };
    return checkedProbability(p, baseRate, 'the walk-forward prediction');
  };
}
