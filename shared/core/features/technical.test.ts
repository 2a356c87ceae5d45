/**
 * Each indicator the features use (trading-signals, full precision) checked against an independent
 * reference: technicalindicators and, for RSI, a hand-written Wilder RSI (technicalindicators rounds
 * RSI to 2 decimals, so it can only confirm the value to +-0.005). EMA-based indicators are seeded
 * differently by the two libraries (first price vs SMA); they are compared once the seed has decayed
 * (row >= 600, where (25/27)^600 < 1e-20).
 */
import { fileURLToPath } from 'node:url';
import * as ti from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { readCandlesCsv } from '../../../tools/lib/csv.js';
import { toCandleColumns } from './candle-columns.js';
import { ADX as TsAdx, StochasticOscillator } from 'trading-signals';
import { indicatorColumns } from './technical.js';
import { syntheticCandles } from './synthetic-candles.js';

const file = fileURLToPath(new URL('../../../data/candles/binance-btcusdt-1h-2017-2022.csv', import.meta.url));
const candles = readCandlesCsv(file, { quotePerUsd: 150 }).slice(0, 3000);
const c = toCandleColumns(candles);
const ind = indicatorColumns(c);
const n = candles.length;
const close = Array.from(c.close);
const high = Array.from(c.high);
const low = Array.from(c.low);
const volume = Array.from(c.volume);
const SETTLED = 600;

/** Compares `mine` with `reference` aligned on the last row, from row `from`, to a relative tolerance. */
function expectClose(mine: Float64Array, reference: readonly number[], from: number, relTol: number): number {
  const offset = n - reference.length;
  let compared = 0;
  for (let i = Math.max(from, offset); i < n; i += 1) {
    const a = mine[i] as number;
    const b = reference[i - offset] as number;
    if (!(Math.abs(a - b) <= relTol * Math.max(1, Math.abs(b)))) throw new Error(`row ${i}: ${a} vs reference ${b}`);
    compared += 1;
  }
  return compared;
}

function wilderRsi(values: readonly number[], period: number): number[] {
  const out = new Array<number>(values.length).fill(Number.NaN);
  let gain = 0;
  let loss = 0;
  for (let i = 1; i < values.length; i += 1) {
    const d = (values[i] as number) - (values[i - 1] as number);
    const g = Math.max(d, 0);
    const l = Math.max(-d, 0);
    if (i <= period) {
      gain += g / period;
      loss += l / period;
    } else {
      gain = (gain * (period - 1) + g) / period;
      loss = (loss * (period - 1) + l) / period;
    }
    if (i >= period) out[i] = loss === 0 ? 100 : 100 - 100 / (1 + gain / loss);
  }
  return out;
}

/** Wilder (1978): DM zero on ties; TR, +DM, -DM smoothed from their first 14-sum; ADX = Wilder mean of DX. */
function wilderAdx(h: readonly number[], l: readonly number[], cl: readonly number[], period: number): number[] {
  const out: number[] = [];
  let tr = 0;
  let pdm = 0;
  let mdm = 0;
  let adx = 0;
  let dxCount = 0;
  for (let i = 1; i < cl.length; i += 1) {
    const up = (h[i] as number) - (h[i - 1] as number);
    const down = (l[i - 1] as number) - (l[i] as number);
    const t = Math.max(
      (h[i] as number) - (l[i] as number),
      Math.abs((h[i] as number) - (cl[i - 1] as number)),
      Math.abs((l[i] as number) - (cl[i - 1] as number)),
    );
    const p = up > down && up > 0 ? up : 0;
    const m = down > up && down > 0 ? down : 0;
    if (i <= period) {
      tr += t;
      pdm += p;
      mdm += m;
    } else {
      tr = tr - tr / period + t;
      pdm = pdm - pdm / period + p;
      mdm = mdm - mdm / period + m;
    }
    if (i < period) continue;
    const pdi = (100 * pdm) / tr;
    const mdi = (100 * mdm) / tr;
    const dx = (100 * Math.abs(pdi - mdi)) / (pdi + mdi);
    dxCount += 1;
    if (dxCount <= period) adx += dx / period;
    else adx = (adx * (period - 1) + dx) / period;
    if (dxCount >= period) out.push(adx);
  }
  return out;
}

describe('indicators against independent references', () => {
  it('RSI 14 and 7 equal a hand-written Wilder RSI to 1e-9, and technicalindicators to its 2 decimals', () => {
    for (const [period, column] of [
      [14, ind.rsi14],
      [7, ind.rsi7],
    ] as const) {
      const reference = wilderRsi(close, period).slice(period);
      expect(expectClose(column, reference, period, 1e-9)).toBe(n - period);
      const rounded = ti.RSI.calculate({ values: close, period });
      expect(expectClose(column, rounded, period, 0.005 + 1e-9)).toBe(n - period);
    }
  });

  it('EMA 12/26 and MACD(12, 26, 9) match technicalindicators once seeded', () => {
    expect(expectClose(ind.ema12, ti.EMA.calculate({ values: close, period: 12 }), SETTLED, 1e-12)).toBe(n - SETTLED);
    expect(expectClose(ind.ema26, ti.EMA.calculate({ values: close, period: 26 }), SETTLED, 1e-12)).toBe(n - SETTLED);
    const macd = ti.MACD.calculate({
      values: close,
      fastPeriod: 12,
      slowPeriod: 26,
      signalPeriod: 9,
      SimpleMAOscillator: false,
      SimpleMASignal: false,
    });
    expect(
      expectClose(
        ind.macd,
        macd.map((m) => m.MACD as number),
        SETTLED,
        1e-9,
      ),
    ).toBe(n - SETTLED);
    expect(
      expectClose(
        ind.macdSignal,
        macd.map((m) => m.signal as number),
        SETTLED,
        1e-9,
      ),
    ).toBe(n - SETTLED);
  });

  it('SMA 20/168/24(volume) and Bollinger(20, 2) match exactly from their first value', () => {
    expect(expectClose(ind.sma20, ti.SMA.calculate({ values: close, period: 20 }), 19, 1e-12)).toBe(n - 19);
    expect(expectClose(ind.sma168, ti.SMA.calculate({ values: close, period: 168 }), 167, 1e-12)).toBe(n - 167);
    expect(expectClose(ind.volumeSma24, ti.SMA.calculate({ values: volume, period: 24 }), 23, 1e-12)).toBe(n - 23);
    const bb = ti.BollingerBands.calculate({ values: close, period: 20, stdDev: 2 });
    expect(
      expectClose(
        ind.bbUpper,
        bb.map((b) => b.upper),
        19,
        1e-12,
      ),
    ).toBe(n - 19);
    expect(
      expectClose(
        ind.bbLower,
        bb.map((b) => b.lower),
        19,
        1e-12,
      ),
    ).toBe(n - 19);
  });

  it('Wilder ATR 14 matches technicalindicators once seeded', () => {
    expect(expectClose(ind.atr14, ti.ATR.calculate({ high, low, close, period: 14 }), SETTLED, 1e-9)).toBe(n - SETTLED);
  });

  it('ADX 14 equals a hand-written Wilder ADX from its first value', () => {
    expect(expectClose(ind.adx14, wilderAdx(high, low, close, 14), 27, 1e-9)).toBe(n - 27);
  });

  it('ADX 14 agrees with trading-signals once seeded where no up/down move ties (a synthetic walk)', () => {
    const walk = syntheticCandles(2000);
    const mine = indicatorColumns(toCandleColumns(walk)).adx14;
    const ts = new TsAdx(14);
    const reference = walk.map((k) => ts.add(k) ?? Number.NaN);
    for (let i = SETTLED; i < walk.length; i += 1)
      expect(Math.abs((mine[i] as number) - (reference[i] as number))).toBeLessThan(1e-9);
  });

  it('stochastic %K(14) and %D(3) match technicalindicators and trading-signals exactly', () => {
    const stoch = ti.Stochastic.calculate({ high, low, close, period: 14, signalPeriod: 3 });
    expect(
      expectClose(
        ind.stochK,
        stoch.map((s) => s.k),
        13,
        1e-12,
      ),
    ).toBe(n - 13);
    expect(
      expectClose(
        ind.stochD,
        stoch.filter((s) => s.d !== undefined).map((s) => s.d),
        15,
        1e-12,
      ),
    ).toBe(n - 15);
    const ts = new StochasticOscillator({ kPeriod: 14, kSlowingPeriod: 1, dPeriod: 3 });
    candles.forEach((k, i) => {
      const r = ts.add(k);
      if (i < 15) return;
      expect(Math.abs((r?.stochK ?? NaN) - (ind.stochK[i] as number))).toBeLessThan(1e-9);
      expect(Math.abs((r?.stochD ?? NaN) - (ind.stochD[i] as number))).toBeLessThan(1e-9);
    });
  });

  it('OBV changes over 24 bars match technicalindicators', () => {
    const obv = ti.OBV.calculate({ close, volume });
    const offset = n - obv.length;
    for (let i = 30; i < n; i += 1) {
      const mine = (ind.obv[i] as number) - (ind.obv[i - 24] as number);
      const reference = (obv[i - offset] as number) - (obv[i - 24 - offset] as number);
      expect(Math.abs(mine - reference)).toBeLessThan(1e-6);
    }
  });
});
