import { describe, expect, it } from 'vitest';
import { kellyFraction } from './kelly.js';

describe('kellyFraction', () => {
  it('is W - (1 - W) / R', () => {
    // 6 wins of 200, 4 losses of 100: W = 0.6, R = 2 -> 0.6 - 0.4 / 2 = 0.4
    expect(kellyFraction([200, 200, 200, 200, 200, 200, -100, -100, -100, -100])).toBeCloseTo(0.4, 12);
  });
  it('is negative without an edge', () => {
    // W = 0.4, R = 1 -> 0.4 - 0.6 = -0.2
    expect(kellyFraction([50, 50, -50, -50, -50])).toBeCloseTo(-0.2, 12);
  });
  it('is undefined with no decided trades, and bounded when one side is missing', () => {
    expect(kellyFraction([])).toBeUndefined();
    expect(kellyFraction([0, 0])).toBeUndefined();
    expect(kellyFraction([10, 20])).toBe(1);
    expect(kellyFraction([-10])).toBe(-1);
  });
});
