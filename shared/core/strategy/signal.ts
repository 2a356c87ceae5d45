import type { OutcomeCode } from '../codes.js';
import { BotError } from '../errors.js';
import type { PlanInput } from '../plan.js';

/** The probability that the price closes higher over the model's horizon, or why there is none. */
export type SignalResult =
  | { readonly ok: true; readonly probabilityUp: number }
  | { readonly ok: false; readonly code: OutcomeCode; readonly reason: string };

/** Where the planner's probability comes from: a model on the last bar's features, or precomputed predictions. */
export type SignalSource = (input: PlanInput) => SignalResult;

/** The part of the model API (shared/core/model) the planner uses. */
export interface ProbabilityModel {
  predictProbabilityUp(features: Readonly<Record<string, number>>): number;
}

/** The last bar's features by name, or why they cannot be had. */
export type FeatureLookup = (
  input: PlanInput,
) => { readonly ok: true; readonly features: Readonly<Record<string, number>> } | { readonly ok: false; readonly code: OutcomeCode; readonly reason: string };

export function checkedProbability(p: number, what: string): SignalResult {
  if (!Number.isFinite(p) || p < 0 || p > 1) return { ok: false, code: 'STRATEGY.FAILED', reason: `${what} gave probability ${p}` };
  return { ok: true, probabilityUp: p };
}

/**
 * The model's probability for the features of the last closed bar. A BotError from the model
 * (a missing or non-finite feature) becomes a hold with its code; anything else is a bug and throws.
 */
export function modelSignal(model: ProbabilityModel, features: FeatureLookup): SignalSource {
  return (input) => {
    const row = features(input);
    if (!row.ok) return row;
    try {
      return checkedProbability(model.predictProbabilityUp(row.features), 'the model');
    } catch (error) {
      if (error instanceof BotError) return { ok: false, code: error.code, reason: error.message };
      throw error;
    }
  };
}

/**
 * Precomputed out-of-sample predictions by bar open time (the walk-forward backtest): NaN or
 * absent means no model that had not seen the bar could predict it, and the planner holds.
 */
export function predictionSignal(predictionByOpenTimeMs: (openTimeMs: number) => number | undefined): SignalSource {
  return (input) => {
    const last = input.candles[input.candles.length - 1];
    const p = last === undefined ? undefined : predictionByOpenTimeMs(last.openTimeMs);
    if (p === undefined || Number.isNaN(p)) return { ok: false, code: 'MODEL.MISSING', reason: 'no out-of-sample prediction for this bar' };
    return checkedProbability(p, 'the walk-forward prediction');
  };
}
