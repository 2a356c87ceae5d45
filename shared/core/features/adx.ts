import { nanColumn } from './rolling.js';

/**
 * Wilder's ADX, streaming, in plain loops (the only indicator the features took from
 * technicalindicators; that library is now a test reference only). Same rules and the same
 * arithmetic order as technicalindicators' ADX, so the values are identical (adx.test.ts): no
 * directional movement on a tie (trading-signals 8.3 counts both moves there); TR, +DM and -DM
 * summed over the first `period` moves, then smoothed `s - s / period + x`; DX = |+DI - -DI| /
 * (+DI + -DI) * 100; ADX = mean of the first `period` DX, then `(dx - adx) * (1 / period) + adx`.
 * NaN until the first ADX (index 2 * period - 1).
 */
export function wilderAdx(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  period: number,
): Float64Array {
  const n = close.length;
  const out = nanColumn(n);
  const exponent = 1 / period;
  let moves = 0;
  let tr = 0;
  let plus = 0;
  let minus = 0;
  let dxCount = 0;
  let dxSum = 0;
  let adx = Number.NaN;
  for (let i = 1; i < n; i += 1) {
    const h = high[i] as number;
    const l = low[i] as number;
    const previousClose = close[i - 1] as number;
    const up = h - (high[i - 1] as number);
    const down = (low[i - 1] as number) - l;
    const p = up > down && up > 0 ? up : 0;
    const m = down > up && down > 0 ? down : 0;
    const a = Math.abs(h - previousClose);
    const b = Math.abs(l - previousClose);
    const t = Math.max(h - l, Number.isNaN(a) ? 0 : a, Number.isNaN(b) ? 0 : b);
    moves += 1;
    if (moves <= period) {
      tr += t;
      plus += p;
      minus += m;
      if (moves < period) continue;
    } else {
      tr = tr - tr / period + t;
      plus = plus - plus / period + p;
      minus = minus - minus / period + m;
    }
    const pdi = (plus * 100) / tr;
    const mdi = (minus * 100) / tr;
    const dx = (Math.abs(pdi - mdi) / (pdi + mdi)) * 100;
    dxCount += 1;
    if (dxCount < period) {
      dxSum += dx;
      continue;
    }
    if (dxCount === period) adx = (dxSum + dx) / period;
    else adx = (dx - adx) * exponent + adx;
    out[i] = adx;
  }
  return out;
}
