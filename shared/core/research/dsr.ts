/**
 * The Deflated Sharpe Ratio (Bailey & Lopez de Prado, "The Deflated Sharpe Ratio: Correcting for
 * Selection Bias, Backtest Overfitting and Non-Normality", 2014): the probability that the true
 * Sharpe ratio is above zero, given the best of `trials` configurations was picked. Sharpe ratios
 * here are per period (not annualised): the same period as the returns.
 */

const EULER_GAMMA = 0.5772156649015329;

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 on erf; error below 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Inverse standard normal CDF (Acklam's rational approximation, relative error below 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`quantile of ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** Expected maximum of `trials` Sharpe ratios under the null (true Sharpe 0) with the given variance across trials. */
export function expectedMaxSharpe(trials: number, varianceAcrossTrials: number): number {
  if (trials <= 1 || !(varianceAcrossTrials > 0)) return 0;
  const sd = Math.sqrt(varianceAcrossTrials);
  return sd * ((1 - EULER_GAMMA) * normalQuantile(1 - 1 / trials) + EULER_GAMMA * normalQuantile(1 - 1 / (trials * Math.E)));
}

export interface Moments {
  readonly n: number;
  readonly mean: number;
  readonly sd: number;
  readonly skew: number;
  /** Kurtosis (3 for a normal distribution, not the excess). */
  readonly kurtosis: number;
}

export function moments(returns: ArrayLike<number>): Moments {
  const n = returns.length;
  let sum = 0;
  for (let i = 0; i < n; i += 1) sum += returns[i] as number;
  const mean = n > 0 ? sum / n : 0;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i += 1) {
    const d = (returns[i] as number) - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= Math.max(1, n);
  m3 /= Math.max(1, n);
  m4 /= Math.max(1, n);
  const sd = Math.sqrt(m2);
  return { n, mean, sd, skew: sd > 0 ? m3 / sd ** 3 : 0, kurtosis: sd > 0 ? m4 / sd ** 4 : 3 };
}

/**
 * Probability that the true per-period Sharpe exceeds `benchmarkSharpe` (the Probabilistic Sharpe
 * Ratio), correcting for the length, skew and kurtosis of the returns.
 */
export function probabilisticSharpe(returns: ArrayLike<number>, benchmarkSharpe: number): number {
  const m = moments(returns);
  if (m.n < 3 || !(m.sd > 0)) return 0;
  const sr = m.mean / m.sd;
  const denominator = Math.sqrt(Math.max(1e-12, 1 - m.skew * sr + ((m.kurtosis - 1) / 4) * sr * sr));
  return normalCdf(((sr - benchmarkSharpe) * Math.sqrt(m.n - 1)) / denominator);
}

/**
 * DSR: the PSR against the Sharpe the best of `trials` null configurations would show by luck.
 * `trialSharpes` are the per-period Sharpe ratios of every configuration tried on the same data
 * (their variance sets the luck benchmark); `trials` is how many (at least their count).
 */
export function deflatedSharpe(returns: ArrayLike<number>, trialSharpes: readonly number[], trials = trialSharpes.length): { probability: number; benchmarkSharpe: number; trials: number; sharpe: number } {
  const finite = trialSharpes.filter(Number.isFinite);
  const mean = finite.reduce((a, b) => a + b, 0) / Math.max(1, finite.length);
  const variance = finite.length > 1 ? finite.reduce((a, b) => a + (b - mean) ** 2, 0) / (finite.length - 1) : 0;
  const n = Math.max(trials, finite.length, 1);
  const benchmarkSharpe = expectedMaxSharpe(n, variance);
  const m = moments(returns);
  return { probability: probabilisticSharpe(returns, benchmarkSharpe), benchmarkSharpe, trials: n, sharpe: m.sd > 0 ? m.mean / m.sd : 0 };
}
