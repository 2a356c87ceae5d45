import { describe, expect, it } from 'vitest';
import { classificationMetrics } from './metrics.js';

describe('classificationMetrics', () => {
  it('perfect ranking has AUC 1, reversed 0, constant 0.5 (ties averaged)', () => {
    expect(classificationMetrics([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]).auc).toBe(1);
    expect(classificationMetrics([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1]).auc).toBe(0);
    expect(classificationMetrics([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1]).auc).toBe(0.5);
  });

  it('log loss, Brier and accuracy by hand; NaN pairs left out', () => {
    const m = classificationMetrics([0.8, 0.4, Number.NaN, 0.3], [1, 1, 0, Number.NaN]);
    expect(m.rows).toBe(2);
    expect(m.logLoss).toBeCloseTo(-(Math.log(0.8) + Math.log(0.4)) / 2, 12);
    expect(m.brier).toBeCloseTo((0.04 + 0.36) / 2, 12);
    expect(m.accuracy).toBe(0.5);
    expect(m.auc).toBeUndefined(); // one class only
  });

  it('no usable pair gives rows 0 and no figures', () => {
    expect(classificationMetrics([Number.NaN], [1])).toEqual({ rows: 0 });
  });
});
