import { BotError } from '../errors.js';
import { logReturn, mapColumns, type CandleColumns, type Columns } from './candle-columns.js';
import { lag, rollingMax, rollingMean, rollingMin, rollingShape, rollingSum, rollingZscore } from './rolling.js';

/**
 * Lags of other features and rolling statistics; `base` holds the technical and order-flow columns.
 * Window statistics are computed from row `from` on (earlier rows stay NaN); lags read at most 24 rows back.
 */
export function lagFeatures(c: CandleColumns, base: Columns, from = 0): Columns {
  const n = c.length;
  const at = (x: Float64Array, i: number): number => x[i] as number;
  const col = (name: string): Float64Array => {
    const x = base[name];
    if (x === undefined) throw new BotError('INTERNAL', `lag features need column ${name}`);
    return x;
  };
  const r = col('log_return_1h');
  const shape = rollingShape(r, 168, from);
  const volume24 = rollingSum(c.volume, 24, from);
  const volume168 = rollingSum(c.volume, 168, from);
  const high168 = rollingMax(c.high, 168, from);
  const low168 = rollingMin(c.low, 168, from);
  const atrPct = col('atr_14_pct');
  return {
    log_return_1h_lag_1: lag(r, 1),
    log_return_1h_lag_2: lag(r, 2),
    log_return_1h_lag_3: lag(r, 3),
    log_return_1h_lag_6: lag(r, 6),
    log_return_1h_lag_12: lag(r, 12),
    log_return_1h_lag_24: lag(r, 24),
    rsi_14_lag_1: lag(col('rsi_14'), 1),
    rsi_14_lag_4: lag(col('rsi_14'), 4),
    volume_ratio_24h_lag_1: lag(col('volume_ratio_24h'), 1),
    range_pct_lag_1: lag(col('range_pct'), 1),
    range_pct_lag_2: lag(col('range_pct'), 2),
    close_location_value_lag_1: lag(col('close_location_value'), 1),
    macd_hist_pct_lag_1: lag(col('macd_hist_pct'), 1),
    log_return_12h: logReturn(c.close, 12),
    log_return_48h: logReturn(c.close, 48),
    log_return_72h: logReturn(c.close, 72),
    log_return_168h: logReturn(c.close, 168),
    return_skew_168h: shape.skew,
    return_kurtosis_168h: shape.kurtosis,
    close_zscore_24h: rollingZscore(c.close, 24, from),
    close_zscore_168h: rollingZscore(c.close, 168, from),
    max_return_24h: rollingMax(r, 24, from),
    min_return_24h: rollingMin(r, 24, from),
    up_bar_share_24h: rollingMean(
      mapColumns(n, (i) => (at(c.close, i) > at(c.open, i) ? 1 : 0)),
      24,
      from,
    ),
    drawdown_from_high_168h: mapColumns(n, (i) => at(c.close, i) / at(high168, i) - 1),
    rally_from_low_168h: mapColumns(n, (i) => at(c.close, i) / at(low168, i) - 1),
    volume_ratio_24h_168h: mapColumns(n, (i) => {
      const week = at(volume168, i) / 7;
      return week > 0 ? at(volume24, i) / week : week === 0 ? 1 : Number.NaN;
    }),
    atr_14_pct_change_24h: mapColumns(n, (i) => (i >= 24 ? at(atrPct, i) / at(atrPct, i - 24) - 1 : Number.NaN)),
    realized_vol_24h_lag_24: lag(col('realized_vol_24h'), 24),
    rsi_14_mean_24h: rollingMean(col('rsi_14'), 24, from),
    log_return_24h_lag_24: lag(col('log_return_24h'), 24),
  };
}
