import { HOUR_MS } from '../candle.js';
import { seededRandom } from './prng.js';
import type { FeatureMatrix } from './types.js';

/**
 * A deterministic synthetic market for tests and benches, shaped like the feature engine's
 * matrix: a random walk whose next-`horizonBars` move is partly announced by the feature
 * `signal` (so a model can learn something), plus `noiseFeatures` pure-noise columns. The first
 * `warmupRows` rows are NaN, as the engine's warm-up is.
 */
export function syntheticMarket(options: {
  rows: number;
  noiseFeatures: number;
  seed: number;
  horizonBars?: number;
  warmupRows?: number;
  signalStrength?: number;
  startMs?: number;
}): {
  matrix: FeatureMatrix;
  closes: Float64Array;
} {
  const random = seededRandom(options.seed);
  const h = options.horizonBars ?? 5;
  const strength = options.signalStrength ?? 0.008;
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const drift = Array.from({ length: options.rows }, () => gauss());
  const closes = new Float64Array(options.rows);
  let price = 5_000_000;
  for (let t = 0; t < options.rows; t += 1) {
    // The move from t-1 to t carries the mean of the drifts announced over the last h bars.
    let announced = 0;
    for (let k = 1; k <= h && t - k >= 0; k += 1) announced += drift[t - k] as number;
    price *= Math.exp((strength * announced) / h + 0.004 * gauss());
    closes[t] = price;
  }
  const names = ['signal', ...Array.from({ length: options.noiseFeatures }, (_, i) => `noise_${i}`)];
  const columns: Record<string, Float64Array> = {};
  columns.signal = Float64Array.from(drift, (d) => d + 0.5 * gauss());
  for (const name of names.slice(1)) columns[name] = Float64Array.from({ length: options.rows }, () => gauss());
  for (const name of names) (columns[name] as Float64Array).fill(Number.NaN, 0, options.warmupRows ?? 0);
  const startMs = options.startMs ?? Date.UTC(2024, 0, 1);
  return {
    matrix: {
      names,
      openTimeMs: Float64Array.from({ length: options.rows }, (_, i) => startMs + i * HOUR_MS),
      columns,
    },
    closes,
  };
}
