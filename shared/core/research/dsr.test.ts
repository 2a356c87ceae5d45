import { describe, expect, it } from 'vitest';
import { seededRandom } from '../model/prng.js';
import { deflatedSharpe, expectedMaxSharpe, normalCdf, normalQuantile, probabilisticSharpe } from './dsr.js';

/** Normal draws (Box-Muller) from a seeded generator. */
function normals(n: number, mean: number, sd: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  return Float64Array.from({ length: n }, () => mean + sd * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
}

describe('Deflated Sharpe Ratio', () => {
  it('normal CDF and quantile match the tables', () => {
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 5);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
  });

  it('the luck benchmark grows with the number of trials (about 2.5 sd for 100, the expected maximum of 100 normals)', () => {
    expect(expectedMaxSharpe(1, 1)).toBe(0);
    expect(expectedMaxSharpe(100, 1)).toBeGreaterThan(2.45);
    expect(expectedMaxSharpe(100, 1)).toBeLessThan(2.6);
    expect(expectedMaxSharpe(1000, 1)).toBeGreaterThan(expectedMaxSharpe(100, 1));
  });

  it('a real edge over 4 years stays significant after one trial and loses it after many', () => {
    // daily Sharpe 0.08 (about 1.5 a year) over 1,460 days
    const returns = normals(1460, 0.0024, 0.03, 7);
    expect(probabilisticSharpe(returns, 0)).toBeGreaterThan(0.99);
    const many = Array.from({ length: 500 }, (_, i) => (i % 2 ? 1 : -1) * 0.05 * ((i % 10) / 10));
    const deflated = deflatedSharpe(returns, many);
    expect(deflated.trials).toBe(500);
    expect(deflated.probability).toBeLessThan(probabilisticSharpe(returns, 0));
  });

  it('noise is not significant', () => {
    expect(probabilisticSharpe(normals(1460, 0, 0.03, 3), 0)).toBeLessThan(0.95);
  });
});
