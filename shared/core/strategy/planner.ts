import { HOUR_MS } from '../candle.js';
import type { OutcomeCode } from '../codes.js';
import { toOrderPrice } from '../money.js';
import type { OpenPosition, PlanInput, Planner, TradePlan } from '../plan.js';
import type { PositionSide } from '../../ports/exchange.port.js';
import {
  checkProtections,
  defaultProtections,
  maxDrawdownProtection,
  type Protection,
} from '../risk/protections/index.js';
import { positionSize } from '../risk/sizing.js';
import { modelSignal, type FeatureLookup, type ProbabilityModel, type SignalSource } from './signal.js';
import { marketState } from './threshold.js';
import { latestFeatureLookup } from './features.js';
import { requiredCandles, type StrategySettings } from './settings.js';

export interface PlannerOptions {
  readonly settings: StrategySettings;
  /** The model, and the features it reads (found by the feature engine on the input's candles unless `features` is given). */
  readonly model?: ProbabilityModel;
  readonly featureNames?: readonly string[];
  readonly features?: FeatureLookup;
  /** Instead of model + features: precomputed probabilities (the walk-forward backtest). */
  readonly signal?: SignalSource;
  /** Defaults to `defaultProtections(settings)`. */
  readonly protections?: readonly Protection[];
}

const hold = (probabilityUp: number | undefined, reasons: string[], blockedBy?: OutcomeCode): TradePlan =>
  blockedBy === undefined
    ? { action: 'hold', probabilityUp, reasons }
    : { action: 'hold', probabilityUp, blockedBy, reasons };

/**
 * Long when p(up) >= baseRate + threshold, short when p(up) <= baseRate - threshold: the threshold is
 * centred on what a no-skill model says (the share of up labels it was trained on, about 0.4 on the
 * shared candles), not on 0.5, which would read "no skill" as a short signal. The model predicts
 * only "up by more than the round-trip cost": a low p(up) says that rise is less likely than usual,
 * which is not the same as "down by more than the cost" (the rest is down or flat within the cost).
 * The short side rests on that weaker evidence; the backtest reports the sides separately.
 */
export function signalSide(probabilityUp: number, baseRate: number, threshold: number): PositionSide | undefined {
  if (probabilityUp >= baseRate + threshold) return 'long';
  if (probabilityUp <= baseRate - threshold) return 'short';
  return undefined;
}

const describeSignal = (p: number, baseRate: number, threshold: number) =>
  `p(up) ${p.toFixed(4)}, base rate ${baseRate.toFixed(4)} +-${threshold.toFixed(4)}`;

/** The planner for live, paper, replay and backtest: one decision path, pure, time in the input. */
export function createPlanner(options: PlannerOptions): Planner {
  const { settings } = options;
  const features = options.features ?? (options.featureNames ? latestFeatureLookup(options.featureNames) : undefined);
  const signal = options.signal ?? (options.model && features ? modelSignal(options.model, features) : undefined);
  if (!signal) throw new TypeError('createPlanner needs a signal, or a model with featureNames (or a feature lookup)');
  const signalSource: SignalSource = signal;
  const protections = options.protections ?? defaultProtections(settings);
  const breaker = maxDrawdownProtection(settings.maxDrawdown);
  const needed = requiredCandles(settings);

  return (input) => {
    const last = input.candles[input.candles.length - 1];
    if (!last) return hold(undefined, ['no candles'], 'DATA.MISSING_CANDLES');
    if (input.position) return planWithPosition(input, input.position, last.close);

    if (input.killSwitch) return hold(undefined, ['kill switch is set: no new positions'], 'RISK.KILL_SWITCH');
    const tripped = breaker.check({ ...input, side: 'long' });
    if (tripped) return hold(undefined, [tripped.reason], tripped.code);
    const market = marketState(input.candles, input.macro, input.nowMs, settings);
    if (!market)
      return hold(
        undefined,
        [`ATR/volatility need ${needed} contiguous hourly candles; have ${input.candles.length}`],
        'DATA.MISSING_CANDLES',
      );
    const s = signal(input);
    if (!s.ok) return hold(undefined, [s.reason], s.code);
    const p = s.probabilityUp;
    const reasons = [
      `${describeSignal(p, s.baseRate, market.threshold)} (atr x${market.atrRatio.toFixed(2)}, vol x${market.volRatio.toFixed(2)}, vix ${market.vix ?? 'n/a'})`,
    ];
    const side = signalSide(p, s.baseRate, market.threshold);
    if (!side) return hold(p, [...reasons, 'no signal']);

    const blocks = checkProtections(protections, { ...input, side });
    if (blocks[0]) return hold(p, [...reasons, ...blocks.map((b) => `${b.protection}: ${b.reason}`)], blocks[0].code);

    const rules = input.rules;
    const stopRaw =
      side === 'long'
        ? last.close - settings.atrStopMultiple * market.atrJpy
        : last.close + settings.atrStopMultiple * market.atrJpy;
    const takeRaw =
      side === 'long'
        ? last.close + settings.takeProfitAtrMultiple * market.atrJpy
        : last.close - settings.takeProfitAtrMultiple * market.atrJpy;
    if (!(stopRaw > 0) || !(takeRaw > 0))
      return hold(p, [...reasons, `stop ${stopRaw} or take-profit ${takeRaw} not positive`], 'STRATEGY.FAILED');
    // Stops are rounded away from the price (the size below uses the rounded distance), take-profits towards it.
    const stopPriceJpy = toOrderPrice(stopRaw, rules, side === 'long' ? 'down' : 'up');
    const takeProfitPriceJpy = toOrderPrice(takeRaw, rules, side === 'long' ? 'down' : 'up');
    const size = positionSize({
      equityJpy: input.equityJpy,
      priceJpy: last.close,
      stopDistanceJpy: Math.abs(last.close - Number(stopPriceJpy)),
      closedTrades: input.closedTrades,
      rules,
      settings,
    });
    if (!size.ok) return hold(p, [...reasons, ...size.reasons, size.reason]);
    return {
      action: 'enter',
      side,
      amountBtc: size.amountBtc,
      stopPriceJpy,
      takeProfitPriceJpy,
      probabilityUp: p,
      reasons: [...reasons, ...size.reasons],
    };
  };

  function planWithPosition(input: PlanInput, position: OpenPosition, closeJpy: number): TradePlan {
    const long = position.side === 'long';
    if (long ? closeJpy <= position.stopPriceJpy : closeJpy >= position.stopPriceJpy) {
      return {
        action: 'exit',
        reason: 'stop',
        probabilityUp: undefined,
        reasons: [`close ${closeJpy} is beyond the stop ${position.stopPriceJpy}`],
      };
    }
    if (long ? closeJpy >= position.takeProfitPriceJpy : closeJpy <= position.takeProfitPriceJpy) {
      return {
        action: 'exit',
        reason: 'take-profit',
        probabilityUp: undefined,
        reasons: [`close ${closeJpy} reached the take-profit ${position.takeProfitPriceJpy}`],
      };
    }
    const heldHours = (input.nowMs - position.entryTimeMs) / HOUR_MS;
    if (heldHours >= settings.maxHoldHours) {
      return {
        action: 'exit',
        reason: 'time-limit',
        probabilityUp: undefined,
        reasons: [`held ${heldHours} h (limit ${settings.maxHoldHours} h)`],
      };
    }
    const market = marketState(input.candles, input.macro, input.nowMs, settings);
    if (!market)
      return hold(
        undefined,
        ['position kept: ATR/volatility not computable for the exit signal'],
        'DATA.MISSING_CANDLES',
      );
    const s = signalSource(input);
    if (!s.ok) return hold(undefined, [`position kept: ${s.reason}`], s.code);
    const p = s.probabilityUp;
    const opposite = signalSide(p, s.baseRate, market.threshold) === (long ? 'short' : 'long');
    const why = describeSignal(p, s.baseRate, market.threshold);
    if (opposite) return { action: 'exit', reason: 'signal', probabilityUp: p, reasons: [`${why}: opposite signal`] };
    return hold(p, [`${why}: keep the ${position.side}`]);
  }
}
