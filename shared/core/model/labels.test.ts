import { describe, expect, it } from 'vitest';
import { buildLabels } from './labels.js';

describe('buildLabels', () => {
  it('is 1 only when the close h bars ahead beats the cost, strictly; NaN where the future is unknown', () => {
    const closes = [100, 101, 100.2, 100, 102, 100.3];
    // h = 2, cost 0.0024: t0 -> 100.2 (+0.2 %: 0), t1 -> 100 (0), t2 -> 102 (+1.8 %: 1), t3 -> 100.3 (+0.3 %: 1)
    expect(Array.from(buildLabels(closes, 2, 0.0024))).toEqual([0, 0, 1, 1, Number.NaN, Number.NaN]);
  });

  it('a move exactly equal to the cost is not a win', () => {
    expect(buildLabels([100, 100.24 + 1e-12, 100.24 - 1e-12], 1, 0.0024)[0]).toBe(1);
    expect(buildLabels([100, 100.24 - 1e-9], 1, 0.0024)[0]).toBe(0);
  });

  it('label t depends on closes t and t+h only', () => {
    const base = [10, 11, 12, 13, 14, 15, 16, 17];
    const changed = [...base];
    changed[6] = 1; // only labels 6 - h = 3 (and 6 itself) may change
    const a = buildLabels(base, 3, 0);
    const b = buildLabels(changed, 3, 0);
    const differing = Array.from(a, (v, i) => (Object.is(v, b[i]) ? -1 : i)).filter((i) => i >= 0);
    expect(differing).toEqual([3]);
  });

  it('rejects a non-positive horizon', () => {
    expect(() => buildLabels([1, 2], 0, 0)).toThrow(RangeError);
  });
});
