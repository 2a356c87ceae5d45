import { describe, expect, it } from 'vitest';
import { FEATURES, FEATURE_NAMES, MACRO_FEATURE_NAMES, NON_MACRO_FEATURE_NAMES } from './registry.js';
import { MACRO_FEATURE_FNS } from './macro-features.js';
import { MACRO_SERIES_NAMES } from '../macro.js';

describe('feature registry', () => {
  it('has exactly 101 uniquely named features in the agreed group sizes', () => {
    expect(FEATURES).toHaveLength(101);
    expect(new Set(FEATURE_NAMES).size).toBe(101);
    const counts: Record<string, number> = {};
    for (const f of FEATURES) counts[f.group] = (counts[f.group] ?? 0) + 1;
    expect(counts).toEqual({
      technical: 20,
      vix: 6,
      'dollar-rates': 10,
      'fear-greed': 13,
      'order-flow': 17,
      time: 4,
      lags: 31,
    });
  });

  it('splits macro and non-macro names, and every macro feature reads only macro series', () => {
    expect(NON_MACRO_FEATURE_NAMES.length + MACRO_FEATURE_NAMES.length).toBe(101);
    expect(MACRO_FEATURE_NAMES).toHaveLength(29);
    expect(Object.keys(MACRO_FEATURE_FNS).sort()).toEqual([...MACRO_FEATURE_NAMES].sort());
    for (const f of FEATURES.filter((x) => x.macro)) {
      for (const input of f.inputs) expect(MACRO_SERIES_NAMES).toContain(input);
    }
  });

  it('names say what they are (no funding rate / open interest from price data)', () => {
    for (const name of FEATURE_NAMES) expect(name).not.toMatch(/funding|open_interest|\boi\b/);
    for (const f of FEATURES) {
      expect(f.name).toMatch(/^[a-z0-9_]+$/);
      expect(f.formula.length).toBeGreaterThan(5);
      expect(f.warmupBars).toBeGreaterThanOrEqual(0);
    }
  });
});
