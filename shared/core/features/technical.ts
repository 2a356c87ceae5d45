import { ATR, BollingerBands, EMA, MACD, OBV, RSI, SMA } from 'trading-signals';
import { logReturn, mapColumns, type CandleColumns, type Columns } from './candle-columns.js';
import { wilderAdx } from './adx.js';
import { nanColumn, rollingMax, rollingMean, rollingMin, rollingSum } from './rolling.js';

/**
 * Indicator outputs from trading-signals (full precision, plain numbers), one streaming pass.
 * NaN until each indicator is stable; ADX is Wilder's (adx.ts). Cross-checked against
 * technicalindicators and hand-written references in technical.test.ts.
 */
export interface IndicatorColumns {
  rsi14: Float64Array;
  rsi7: Float64Array;
  macd: Float64Array;
  macdSignal: Float64Array;
  ema12: Float64Array;
  ema26: Float64Array;
  sma20: Float64Array;
  sma168: Float64Array;
  bbLower: Float64Array;
  bbUpper: Float64Array;
  atr14: Float64Array;
  stochK: Float64Array;
  stochD: Float64Array;
  adx14: Float64Array;
  obv: Float64Array;
  volumeSma24: Float64Array;
}

export function indicatorColumns(c: CandleColumns): IndicatorColumns {
  const n = c.length;
  const out: IndicatorColumns = {
    rsi14: nanColumn(n),
    rsi7: nanColumn(n),
    macd: nanColumn(n),
    macdSignal: nanColumn(n),
    ema12: nanColumn(n),
    ema26: nanColumn(n),
    sma20: nanColumn(n),
    sma168: nanColumn(n),
    bbLower: nanColumn(n),
    bbUpper: nanColumn(n),
    atr14: nanColumn(n),
    stochK: nanColumn(n),
    stochD: nanColumn(n),
    adx14: nanColumn(n),
    obv: nanColumn(n),
    volumeSma24: nanColumn(n),
  };
  const rsi14 = new RSI(14);
  const rsi7 = new RSI(7);
  const macd = new MACD(new EMA(12), new EMA(26), new EMA(9));
  const ema12 = new EMA(12);
  const ema26 = new EMA(26);
  const sma20 = new SMA(20);
  const sma168 = new SMA(168);
  const bb = new BollingerBands(20, 2);
  const atr = new ATR(14);
  const obv = new OBV(2);
  const volumeSma = new SMA(24);
  for (let i = 0; i < n; i += 1) {
    const close = c.close[i] as number;
    const bar = {
      open: c.open[i] as number,
      high: c.high[i] as number,
      low: c.low[i] as number,
      close,
      volume: c.volume[i] as number,
    };
    out.rsi14[i] = rsi14.add(close) ?? Number.NaN;
    out.rsi7[i] = rsi7.add(close) ?? Number.NaN;
    const m = macd.add(close);
    if (m !== null) {
      out.macd[i] = m.macd;
      if (i >= 33) out.macdSignal[i] = m.signal; // its EMA9 is stable after 9 MACD values (bars 25..33)
    }
    const e12 = ema12.add(close);
    if (i >= 11) out.ema12[i] = e12 ?? Number.NaN; // EMA12 is stable after 12 inputs
    const e26 = ema26.add(close);
    if (i >= 25) out.ema26[i] = e26 ?? Number.NaN; // EMA26 is stable after 26 inputs
    out.sma20[i] = sma20.add(close) ?? Number.NaN;
    out.sma168[i] = sma168.add(close) ?? Number.NaN;
    const band = bb.add(close);
    if (band !== null) {
      out.bbLower[i] = band.lower;
      out.bbUpper[i] = band.upper;
    }
    out.atr14[i] = atr.add(bar) ?? Number.NaN;
    out.obv[i] = obv.add(bar) ?? Number.NaN;
    out.volumeSma24[i] = volumeSma.add(c.volume[i] as number) ?? Number.NaN;
  }
  out.adx14 = wilderAdx(c.high, c.low, c.close, 14);
  const stochastic = stochasticKD(c, 14, 3);
  out.stochK = stochastic.k;
  out.stochD = stochastic.d;
  return out;
}

/**
 * Stochastic %K(14) (no slowing) and %D = SMA3(%K) over exact O(n) rolling max/min. trading-signals'
 * StochasticOscillator spreads its 14 candles into Math.max on every bar (the slowest indicator of
 * the set, and it withholds %K until %D is ready); values equal both libraries (technical.test.ts),
 * with trading-signals' rule for a flat window (divide by 1).
 */
function stochasticKD(c: CandleColumns, period: number, dPeriod: number): { k: Float64Array; d: Float64Array } {
  const hi = rollingMax(c.high, period);
  const lo = rollingMin(c.low, period);
  const k = nanColumn(c.length);
  for (let i = period - 1; i < c.length; i += 1) {
    const span = (hi[i] as number) - (lo[i] as number);
    k[i] = (((c.close[i] as number) - (lo[i] as number)) * 100) / (span === 0 ? 1 : span);
  }
  return { k, d: rollingMean(k, dPeriod) };
}

export function technicalFeatures(c: CandleColumns, ind: IndicatorColumns, from = 0): Columns {
  const n = c.length;
  const close = c.close;
  const at = (x: Float64Array, i: number): number => x[i] as number;
  const macdSignal = ind.macdSignal;
  const obvDiff = mapColumns(n, (i) => (i >= 24 ? at(ind.obv, i) - at(ind.obv, i - 24) : Number.NaN));
  const volume24 = rollingSum(c.volume, 24, from);
  return {
    log_return_1h: logReturn(close, 1),
    log_return_4h: logReturn(close, 4),
    log_return_24h: logReturn(close, 24),
    rsi_14: ind.rsi14,
    rsi_7: ind.rsi7,
    macd_pct: mapColumns(n, (i) => at(ind.macd, i) / at(close, i)),
    macd_signal_pct: mapColumns(n, (i) => at(macdSignal, i) / at(close, i)),
    macd_hist_pct: mapColumns(n, (i) => (at(ind.macd, i) - at(macdSignal, i)) / at(close, i)),
    bb_percent_b_20: mapColumns(n, (i) => {
      const width = at(ind.bbUpper, i) - at(ind.bbLower, i);
      return width > 0 ? (at(close, i) - at(ind.bbLower, i)) / width : width === 0 ? 0.5 : Number.NaN;
    }),
    bb_width_20: mapColumns(n, (i) => (at(ind.bbUpper, i) - at(ind.bbLower, i)) / at(ind.sma20, i)),
    atr_14_pct: mapColumns(n, (i) => at(ind.atr14, i) / at(close, i)),
    ema_12_dist: mapColumns(n, (i) => at(close, i) / at(ind.ema12, i) - 1),
    ema_26_dist: mapColumns(n, (i) => at(close, i) / at(ind.ema26, i) - 1),
    sma_20_dist: mapColumns(n, (i) => at(close, i) / at(ind.sma20, i) - 1),
    sma_168_dist: mapColumns(n, (i) => at(close, i) / at(ind.sma168, i) - 1),
    stoch_k_14: ind.stochK,
    stoch_d_14_3: ind.stochD,
    adx_14: ind.adx14,
    obv_flow_24h: mapColumns(n, (i) => {
      const v = at(volume24, i);
      return v > 0 ? at(obvDiff, i) / v : v === 0 ? 0 : Number.NaN;
    }),
    volume_ratio_24h: mapColumns(n, (i) => {
      const m = at(ind.volumeSma24, i);
      return m > 0 ? at(c.volume, i) / m : m === 0 ? 1 : Number.NaN;
    }),
  };
}
