import { logReturn, mapColumns, type CandleColumns, type Columns } from './candle-columns.js';
import {
  rollingLag1Autocorr,
  rollingMax,
  rollingMean,
  rollingMin,
  rollingSd,
  rollingSum,
  rollingZscore,
} from './rolling.js';

const LN2 = Math.LN2;

/** Bar-structure and volatility-structure features from BTC/JPY's own candles (no external data). */
export function orderFlowFeatures(c: CandleColumns, from = 0): Columns {
  const n = c.length;
  const at = (x: Float64Array, i: number): number => x[i] as number;
  const { open, high, low, close, volume } = c;
  const r = logReturn(close, 1);
  const range = mapColumns(n, (i) => at(high, i) - at(low, i));
  const rangePct = mapColumns(n, (i) => at(range, i) / at(close, i));
  const clv = mapColumns(n, (i) =>
    at(range, i) > 0 ? (at(close, i) - at(low, i) - (at(high, i) - at(close, i))) / at(range, i) : 0,
  );
  const hl2 = mapColumns(n, (i) => Math.log(at(high, i) / at(low, i)) ** 2);
  const gk = mapColumns(n, (i) => 0.5 * at(hl2, i) - (2 * LN2 - 1) * Math.log(at(close, i) / at(open, i)) ** 2);
  const hl2Mean24 = rollingMean(hl2, 24, from);
  const gkMean24 = rollingMean(gk, 24, from);
  const rv24 = rollingSd(r, 24, from);
  const rv168 = rollingSd(r, 168, from);
  const volume24 = rollingSum(volume, 24, from);
  const signedVolume24 = rollingSum(
    mapColumns(n, (i) => Math.sign(at(close, i) - at(open, i)) * at(volume, i)),
    24,
    from,
  );
  const clvVolume24 = rollingSum(
    mapColumns(n, (i) => at(clv, i) * at(volume, i)),
    24,
    from,
  );
  const high24 = rollingMax(high, 24, from);
  const low24 = rollingMin(low, 24, from);
  const r2 = mapColumns(n, (i) => at(r, i) ** 2);
  const r2Sum24 = rollingSum(r2, 24, from);
  const r2Down24 = rollingSum(
    mapColumns(n, (i) => (at(r, i) < 0 ? at(r2, i) : Number.isNaN(at(r, i)) ? Number.NaN : 0)),
    24,
    from,
  );
  const absMove24 = rollingSum(
    mapColumns(n, (i) => (i > 0 ? Math.abs(at(close, i) - at(close, i - 1)) : Number.NaN)),
    24,
    from,
  );
  const rangeMean24 = rollingMean(rangePct, 24, from);
  const share = (num: number, den: number): number => (den > 0 ? num / den : den === 0 ? 0 : Number.NaN);
  return {
    range_pct: rangePct,
    body_pct: mapColumns(n, (i) => (at(close, i) - at(open, i)) / at(open, i)),
    close_location_value: clv,
    upper_wick_ratio: mapColumns(n, (i) =>
      at(range, i) > 0 ? (at(high, i) - Math.max(at(open, i), at(close, i))) / at(range, i) : 0,
    ),
    lower_wick_ratio: mapColumns(n, (i) =>
      at(range, i) > 0 ? (Math.min(at(open, i), at(close, i)) - at(low, i)) / at(range, i) : 0,
    ),
    parkinson_vol_24h: mapColumns(n, (i) => Math.sqrt(at(hl2Mean24, i) / (4 * LN2))),
    garman_klass_vol_24h: mapColumns(n, (i) => Math.sqrt(at(gkMean24, i))),
    realized_vol_24h: rv24,
    vol_ratio_24h_168h: mapColumns(n, (i) => at(rv24, i) / at(rv168, i)),
    signed_volume_imbalance_24h: mapColumns(n, (i) => share(at(signedVolume24, i), at(volume24, i))),
    chaikin_money_flow_24h: mapColumns(n, (i) => share(at(clvVolume24, i), at(volume24, i))),
    log_volume_zscore_168h: rollingZscore(
      mapColumns(n, (i) => Math.log1p(at(volume, i))),
      168,
      from,
    ),
    return_autocorr_48h: rollingLag1Autocorr(r, 48, from),
    high_low_position_24h: mapColumns(n, (i) => {
      const span = at(high24, i) - at(low24, i);
      return span > 0 ? (at(close, i) - at(low24, i)) / span : span === 0 ? 0.5 : Number.NaN;
    }),
    downside_vol_share_24h: mapColumns(n, (i) => (at(r2Sum24, i) === 0 ? 0.5 : at(r2Down24, i) / at(r2Sum24, i))),
    efficiency_ratio_24h: mapColumns(n, (i) =>
      i >= 24 ? share(Math.abs(at(close, i) - at(close, i - 24)), at(absMove24, i)) : Number.NaN,
    ),
    range_expansion_24h: mapColumns(n, (i) => (at(rangeMean24, i) === 0 ? 1 : at(rangePct, i) / at(rangeMean24, i))),
  };
}
