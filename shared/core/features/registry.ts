/**
 * The one table of the 101 features: name, group, formula in one line, inputs, warm-up bars and
 * whether it reads a macro series. Models, the CLI and docs/features.md read it; columns are
 * always looked up by name. `warmupBars` is the 0-based index of the first row that can be
 * finite on a gap-free file (for macro features: 0, their warm-up is in daily observations,
 * written in the formula as "obs").
 */
export type FeatureGroup = 'technical' | 'vix' | 'dollar-rates' | 'fear-greed' | 'order-flow' | 'time' | 'lags';

export interface FeatureSpec {
  name: string;
  group: FeatureGroup;
  formula: string;
  inputs: readonly string[];
  warmupBars: number;
  macro: boolean;
}

type Row = readonly [name: string, formula: string, inputs: string, warmupBars: number];

const OHLCV = 'open,high,low,close,volume';

const TECHNICAL: readonly Row[] = [
  ['log_return_1h', 'ln(close / close[-1])', 'close', 1],
  ['log_return_4h', 'ln(close / close[-4])', 'close', 4],
  ['log_return_24h', 'ln(close / close[-24])', 'close', 24],
  ['rsi_14', 'Wilder RSI(14) of close, full precision (trading-signals RSI)', 'close', 14],
  ['rsi_7', 'Wilder RSI(7) of close, full precision (trading-signals RSI)', 'close', 7],
  ['macd_pct', '(EMA12(close) - EMA26(close)) / close', 'close', 25],
  ['macd_signal_pct', 'EMA9(EMA12 - EMA26) / close', 'close', 33],
  ['macd_hist_pct', '(macd - signal) / close', 'close', 33],
  [
    'bb_percent_b_20',
    '(close - lowerBB) / (upperBB - lowerBB), BB(20, 2 population sd); 0.5 if the bands collapse',
    'close',
    19,
  ],
  ['bb_width_20', '(upperBB - lowerBB) / SMA20(close)', 'close', 19],
  ['atr_14_pct', 'Wilder ATR(14) / close', 'high,low,close', 13],
  ['ema_12_dist', 'close / EMA12(close) - 1', 'close', 11],
  ['ema_26_dist', 'close / EMA26(close) - 1', 'close', 25],
  ['sma_20_dist', 'close / SMA20(close) - 1', 'close', 19],
  ['sma_168_dist', 'close / SMA168(close) - 1 (one week)', 'close', 167],
  ['stoch_k_14', 'stochastic %K(14): 100 (close - min low14) / (max high14 - min low14)', 'high,low,close', 13],
  ['stoch_d_14_3', 'SMA3 of stoch_k_14', 'high,low,close', 15],
  ['adx_14', 'Wilder ADX(14), no directional move on ties (technicalindicators ADX)', 'high,low,close', 27],
  ['obv_flow_24h', '(OBV - OBV[-24]) / sum24(volume); 0 if no volume', 'close,volume', 25],
  ['volume_ratio_24h', 'volume / SMA24(volume)', 'volume', 23],
];

const ORDER_FLOW: readonly Row[] = [
  ['range_pct', '(high - low) / close', 'high,low,close', 0],
  ['body_pct', '(close - open) / open', 'open,close', 0],
  ['close_location_value', '((close - low) - (high - close)) / (high - low); 0 if high = low', 'high,low,close', 0],
  ['upper_wick_ratio', '(high - max(open, close)) / (high - low); 0 if high = low', OHLCV, 0],
  ['lower_wick_ratio', '(min(open, close) - low) / (high - low); 0 if high = low', OHLCV, 0],
  ['parkinson_vol_24h', 'sqrt(mean24(ln(high/low)^2) / (4 ln 2))', 'high,low', 23],
  ['garman_klass_vol_24h', 'sqrt(mean24(0.5 ln(high/low)^2 - (2 ln 2 - 1) ln(close/open)^2))', OHLCV, 23],
  ['realized_vol_24h', 'population sd of log_return_1h over 24 bars', 'close', 24],
  ['vol_ratio_24h_168h', 'realized_vol_24h / realized_vol_168h', 'close', 168],
  [
    'signed_volume_imbalance_24h',
    'sum24(sign(close - open) volume) / sum24(volume); 0 if no volume',
    'open,close,volume',
    23,
  ],
  [
    'chaikin_money_flow_24h',
    'sum24(close_location_value volume) / sum24(volume); 0 if no volume',
    'high,low,close,volume',
    23,
  ],
  ['log_volume_zscore_168h', 'z-score of ln(1 + volume) over 168 bars', 'volume', 167],
  ['return_autocorr_48h', 'correlation of log_return_1h with its previous value over 48 bars', 'close', 49],
  ['high_low_position_24h', '(close - min24 low) / (max24 high - min24 low)', 'high,low,close', 23],
  ['downside_vol_share_24h', 'sum24(r^2 for r < 0) / sum24(r^2), r = log_return_1h; 0.5 if no move', 'close', 24],
  ['efficiency_ratio_24h', '|close - close[-24]| / sum24(|close - close[-1]|); 0 if no move', 'close', 24],
  ['range_expansion_24h', 'range_pct / mean24(range_pct); 1 if all 24 bars are flat', 'high,low,close', 23],
];

const TIME: readonly Row[] = [
  ['hour_utc', 'hour of the bar open, UTC (0..23)', 'openTimeMs', 0],
  ['weekday_utc', 'weekday of the bar open, UTC (0 = Monday .. 6 = Sunday)', 'openTimeMs', 0],
  ['tokyo_session', '1 if the bar opens 00:00-05:59 UTC (09:00-14:59 JST), else 0', 'openTimeMs', 0],
  ['us_session', '1 if the bar opens 13:00-20:59 UTC (US equity hours), else 0', 'openTimeMs', 0],
];

const LAGS: readonly Row[] = [
  ['log_return_1h_lag_1', 'log_return_1h[-1]', 'close', 2],
  ['log_return_1h_lag_2', 'log_return_1h[-2]', 'close', 3],
  ['log_return_1h_lag_3', 'log_return_1h[-3]', 'close', 4],
  ['log_return_1h_lag_6', 'log_return_1h[-6]', 'close', 7],
  ['log_return_1h_lag_12', 'log_return_1h[-12]', 'close', 13],
  ['log_return_1h_lag_24', 'log_return_1h[-24]', 'close', 25],
  ['rsi_14_lag_1', 'rsi_14[-1]', 'close', 15],
  ['rsi_14_lag_4', 'rsi_14[-4]', 'close', 18],
  ['volume_ratio_24h_lag_1', 'volume_ratio_24h[-1]', 'volume', 24],
  ['range_pct_lag_1', 'range_pct[-1]', 'high,low,close', 1],
  ['range_pct_lag_2', 'range_pct[-2]', 'high,low,close', 2],
  ['close_location_value_lag_1', 'close_location_value[-1]', 'high,low,close', 1],
  ['macd_hist_pct_lag_1', 'macd_hist_pct[-1]', 'close', 34],
  ['log_return_12h', 'ln(close / close[-12])', 'close', 12],
  ['log_return_48h', 'ln(close / close[-48])', 'close', 48],
  ['log_return_72h', 'ln(close / close[-72])', 'close', 72],
  ['log_return_168h', 'ln(close / close[-168])', 'close', 168],
  ['return_skew_168h', 'skewness of log_return_1h over 168 bars (population)', 'close', 168],
  ['return_kurtosis_168h', 'excess kurtosis of log_return_1h over 168 bars (population)', 'close', 168],
  ['close_zscore_24h', '(close - mean24(close)) / sd24(close); 0 if sd = 0', 'close', 23],
  ['close_zscore_168h', '(close - mean168(close)) / sd168(close); 0 if sd = 0', 'close', 167],
  ['max_return_24h', 'max24(log_return_1h)', 'close', 24],
  ['min_return_24h', 'min24(log_return_1h)', 'close', 24],
  ['up_bar_share_24h', 'share of the last 24 bars with close > open', 'open,close', 23],
  ['drawdown_from_high_168h', 'close / max168(high) - 1', 'high,close', 167],
  ['rally_from_low_168h', 'close / min168(low) - 1', 'low,close', 167],
  ['volume_ratio_24h_168h', 'sum24(volume) / (sum168(volume) / 7)', 'volume', 167],
  ['atr_14_pct_change_24h', 'atr_14_pct / atr_14_pct[-24] - 1', 'high,low,close', 37],
  ['realized_vol_24h_lag_24', 'realized_vol_24h[-24]', 'close', 48],
  ['rsi_14_mean_24h', 'mean24(rsi_14)', 'close', 37],
  ['log_return_24h_lag_24', 'log_return_24h[-24]', 'close', 48],
];

const VIX: readonly Row[] = [
  ['vix_change_1d', 'ln(vix / vix[-1 obs])', 'vix', 0],
  ['vix_change_5d', 'ln(vix / vix[-5 obs])', 'vix', 0],
  ['vix_zscore_20d', 'z-score of vix over 20 obs', 'vix', 0],
  ['vix_zscore_60d', 'z-score of vix over 60 obs', 'vix', 0],
  ['vix_percentile_252d', 'share of the last 252 obs <= today (0..1)', 'vix', 0],
  ['vix_ma_ratio_5_20', 'mean5(vix) / mean20(vix) - 1', 'vix', 0],
];

const DOLLAR_RATES: readonly Row[] = [
  ['usd_index_change_1d', 'ln(usd / usd[-1 obs])', 'dollarIndex', 0],
  ['usd_index_change_5d', 'ln(usd / usd[-5 obs])', 'dollarIndex', 0],
  ['usd_index_change_20d', 'ln(usd / usd[-20 obs])', 'dollarIndex', 0],
  ['usd_index_zscore_20d', 'z-score of usd over 20 obs', 'dollarIndex', 0],
  ['usd_index_percentile_252d', 'share of the last 252 obs <= today (0..1)', 'dollarIndex', 0],
  ['us10y_change_1d', 'y10 - y10[-1 obs], percentage points', 'treasury10y', 0],
  ['us10y_change_5d', 'y10 - y10[-5 obs], percentage points', 'treasury10y', 0],
  ['us10y_zscore_60d', 'z-score of y10 over 60 obs', 'treasury10y', 0],
  ['us_short_rate_change_5d', 'short - short[-5 obs], percentage points', 'shortRate', 0],
  [
    'us_curve_slope_change_20d',
    '(y10 - short) - (y10 - short)[-20 obs], on dates both exist',
    'treasury10y,shortRate',
    0,
  ],
];

const FEAR_GREED: readonly Row[] = [
  ['fng_change_1d', 'fng - fng[-1 obs], index points', 'fearGreed', 0],
  ['fng_change_3d', 'fng - fng[-3 obs]', 'fearGreed', 0],
  ['fng_change_7d', 'fng - fng[-7 obs]', 'fearGreed', 0],
  ['fng_change_30d', 'fng - fng[-30 obs]', 'fearGreed', 0],
  ['fng_zscore_7d', 'z-score of fng over 7 obs; 0 if sd = 0', 'fearGreed', 0],
  ['fng_zscore_30d', 'z-score of fng over 30 obs; 0 if sd = 0', 'fearGreed', 0],
  ['fng_zscore_90d', 'z-score of fng over 90 obs; 0 if sd = 0', 'fearGreed', 0],
  ['fng_percentile_30d', 'share of the last 30 obs <= today (0..1)', 'fearGreed', 0],
  ['fng_percentile_90d', 'share of the last 90 obs <= today (0..1)', 'fearGreed', 0],
  ['fng_percentile_365d', 'share of the last 365 obs <= today (0..1)', 'fearGreed', 0],
  ['fng_ma_spread_7_30', 'mean7(fng) - mean30(fng), index points', 'fearGreed', 0],
  ['fng_sd_30d', 'population sd of fng over 30 obs, index points', 'fearGreed', 0],
  ['fng_range_position_30d', '(fng - min30) / (max30 - min30); 0.5 if max = min', 'fearGreed', 0],
];

function specs(group: FeatureGroup, rows: readonly Row[], macro: boolean): FeatureSpec[] {
  return rows.map(([name, formula, inputs, warmupBars]) => ({
    name,
    group,
    formula,
    inputs: inputs.split(','),
    warmupBars,
    macro,
  }));
}

export const FEATURES: readonly FeatureSpec[] = Object.freeze([
  ...specs('technical', TECHNICAL, false),
  ...specs('vix', VIX, true),
  ...specs('dollar-rates', DOLLAR_RATES, true),
  ...specs('fear-greed', FEAR_GREED, true),
  ...specs('order-flow', ORDER_FLOW, false),
  ...specs('time', TIME, false),
  ...specs('lags', LAGS, false),
]);

export const FEATURE_NAMES: readonly string[] = Object.freeze(FEATURES.map((f) => f.name));
export const NON_MACRO_FEATURE_NAMES: readonly string[] = Object.freeze(
  FEATURES.filter((f) => !f.macro).map((f) => f.name),
);
export const MACRO_FEATURE_NAMES: readonly string[] = Object.freeze(FEATURES.filter((f) => f.macro).map((f) => f.name));

const BY_NAME = new Map(FEATURES.map((f) => [f.name, f]));

export function featureSpec(name: string): FeatureSpec | undefined {
  return BY_NAME.get(name);
}
