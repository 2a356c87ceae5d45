import { describe, expect, it } from 'vitest';
import {
  lag,
  rollingLag1Autocorr,
  rollingMax,
  rollingMean,
  rollingMin,
  rollingPercentile,
  rollingSd,
  rollingShape,
  rollingSum,
  rollingZscore,
} from './rolling.js';

const x = Float64Array.from([1, 2, 4, 8, 3]);
const list = (a: Float64Array): number[] => Array.from(a);

describe('window statistics (hand-computed)', () => {
  it('sum, mean, max, min, lag', () => {
    expect(list(rollingSum(x, 3))).toEqual([NaN, NaN, 7, 14, 15]);
    expect(list(rollingMean(x, 2))).toEqual([NaN, 1.5, 3, 6, 5.5]);
    expect(list(rollingMax(x, 3))).toEqual([NaN, NaN, 4, 8, 8]);
    expect(list(rollingMin(x, 3))).toEqual([NaN, NaN, 1, 2, 3]);
    expect(list(lag(x, 2))).toEqual([NaN, NaN, 1, 2, 4]);
  });

  it('population sd and z-score; a constant window has z 0', () => {
    expect(rollingSd(x, 2)[1]).toBeCloseTo(0.5, 15);
    expect(rollingZscore(x, 2)[2]).toBeCloseTo(1, 15); // (4 - 3) / 1
    expect(rollingZscore(Float64Array.from([5, 5, 5]), 3)[2]).toBe(0);
  });

  it('percentile: share of the window <= today', () => {
    expect(list(rollingPercentile(x, 4))).toEqual([NaN, NaN, NaN, 1, 0.5]);
  });

  it('a NaN inside the window gives NaN, and leaves the window', () => {
    const y = Float64Array.from([1, NaN, 3, 4, 5]);
    expect(list(rollingMax(y, 2))).toEqual([NaN, NaN, NaN, 4, 5]);
    expect(list(rollingPercentile(y, 2))).toEqual([NaN, NaN, NaN, 1, 1]);
    expect(list(rollingMean(y, 2))).toEqual([NaN, NaN, NaN, 3.5, 4.5]);
  });

  it('skew of a symmetric window is 0, of a right tail positive; kurtosis of two points is -2', () => {
    expect(rollingShape(Float64Array.from([1, 2, 3]), 3).skew[2]).toBeCloseTo(0, 15);
    expect(rollingShape(Float64Array.from([1, 1, 1, 10]), 4).skew[3]).toBeGreaterThan(1);
    expect(rollingShape(Float64Array.from([1, 3]), 2).kurtosis[1]).toBeCloseTo(-2, 12);
  });

  it('lag-1 autocorrelation of an alternating series is -1, of a trend +1', () => {
    expect(rollingLag1Autocorr(Float64Array.from([1, -1, 1, -1, 1, -1]), 4)[5]).toBeCloseTo(-1, 12);
    expect(rollingLag1Autocorr(Float64Array.from([1, 2, 3, 4, 5, 6]), 4)[5]).toBeCloseTo(1, 12);
  });
});
