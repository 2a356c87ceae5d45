import type { Candle } from '../candle.js';
import type { MacroData } from '../macro.js';
import { averageTrueRange, latestMacroValue, realisedVolatility } from './indicators.js';
import type { StrategySettings } from './settings.js';

export interface MarketState {
  readonly atrJpy: number;
  readonly threshold: number;
  readonly atrRatio: number;
  readonly volRatio: number;
  readonly vix: number | undefined;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * The probability must clear baseRate +- threshold (see signalSide). The threshold starts at `baseThreshold` and widens
 * when the current ATR or realised volatility run above their own `referenceWindowBars` average
 * (each adds up to 1x base at double the average) and when the VIX is above its calm level (up to
 * 1x base at twice that level); capped at `maxThreshold`.
 * `undefined` when the candles cannot give an ATR (the caller holds with a DATA code).
 */
export function marketState(
  candles: readonly Candle[],
  macro: MacroData | undefined,
  nowMs: number,
  s: StrategySettings,
): MarketState | undefined {
  const atrJpy = averageTrueRange(candles, s.atrPeriodBars);
  const atrRef = averageTrueRange(candles, s.referenceWindowBars);
  const vol = realisedVolatility(candles, s.volWindowBars);
  const volRef = realisedVolatility(candles, s.referenceWindowBars);
  if (atrJpy === undefined || atrRef === undefined || vol === undefined || volRef === undefined) return undefined;
  const atrRatio = atrJpy / atrRef;
  const volRatio = volRef > 0 ? vol / volRef : 1;
  const vix = latestMacroValue(macro, 'vix', nowMs)?.value;
  const vixWiden = vix === undefined ? 0 : clamp((vix - s.vixCalmLevel) / s.vixCalmLevel, 0, 1);
  const widen = 1 + 0.5 * clamp(atrRatio - 1, 0, 2) + 0.5 * clamp(volRatio - 1, 0, 2) + vixWiden;
  return { atrJpy, atrRatio, volRatio, vix, threshold: Math.min(s.maxThreshold, s.baseThreshold * widen) };
}
