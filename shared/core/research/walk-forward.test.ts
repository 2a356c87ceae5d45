import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../candle.js';
import { selectWalkForward, walkForwardFolds } from './walk-forward.js';

const T0 = Date.UTC(2020, 0, 1);

describe('purged walk-forward', () => {
  it('folds: expanding training that ends an embargo before each test; tests tile the period', () => {
    const folds = walkForwardFolds({ fromMs: T0, toMs: T0 + 100 * DAY_MS, firstTestMs: T0 + 40 * DAY_MS, testMs: 25 * DAY_MS, embargoMs: 2 * DAY_MS });
    expect(folds.map((f) => [(f.trainToMs - T0) / DAY_MS, (f.testFromMs - T0) / DAY_MS, (f.testToMs - T0) / DAY_MS])).toEqual([[38, 40, 65], [63, 65, 90], [88, 90, 100]]);
    expect(folds.every((f) => f.trainFromMs === T0)).toBe(true);
  });

  it('chooses on training days only: a configuration that shines only in the test is not picked', () => {
    const days = Array.from({ length: 60 }, (_, i) => T0 + i * DAY_MS);
    const wiggle = (i: number) => (i % 2 ? 0.001 : -0.001);
    // A: good before day 30, flat-ish after; B: bad before, excellent after.
    const a = Float64Array.from(days, (_, i) => (i < 30 ? 0.01 + wiggle(i) : wiggle(i)));
    const b = Float64Array.from(days, (_, i) => (i < 30 ? -0.01 + wiggle(i) : 0.05 + wiggle(i)));
    const folds = walkForwardFolds({ fromMs: T0, toMs: T0 + 60 * DAY_MS, firstTestMs: T0 + 31 * DAY_MS, testMs: 29 * DAY_MS, embargoMs: DAY_MS });
    const wf = selectWalkForward({ dayMs: days, returns: [a, b] }, folds);
    expect(wf.chosen).toEqual([0]);
    expect(Array.from(wf.returns)).toEqual(Array.from(a.subarray(31)));
    expect(wf.dayMs[0]).toBe(T0 + 31 * DAY_MS);
  });

  it('the embargo keeps the days just before the test out of the choice', () => {
    const days = Array.from({ length: 40 }, (_, i) => T0 + i * DAY_MS);
    const wiggle = (i: number) => (i % 2 ? 0.001 : -0.001);
    // B is better only on the 5 days before the test: with a 5-day embargo, A (better earlier) is chosen.
    const a = Float64Array.from(days, (_, i) => (i < 25 ? 0.005 : -0.03) + wiggle(i));
    const b = Float64Array.from(days, (_, i) => (i < 25 ? -0.005 : 0.1) + wiggle(i));
    const fold = (embargoDays: number) => walkForwardFolds({ fromMs: T0, toMs: T0 + 40 * DAY_MS, firstTestMs: T0 + 30 * DAY_MS, testMs: 10 * DAY_MS, embargoMs: embargoDays * DAY_MS });
    expect(selectWalkForward({ dayMs: days, returns: [a, b] }, fold(5)).chosen).toEqual([0]);
    expect(selectWalkForward({ dayMs: days, returns: [a, b] }, fold(1)).chosen).toEqual([1]);
  });
});
