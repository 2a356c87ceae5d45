import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '../candle.js';
import { interestChargesBetween, marginInterestJpy } from './interest.js';

const JST_MIDNIGHT = Date.UTC(2026, 2, 1, 15); // 2026-03-02 00:00 JST

describe('margin interest as bitbank charges it (a day at each 00:00 JST)', () => {
  it('counts the 00:00 JST instants in (from, to]', () => {
    expect(interestChargesBetween(JST_MIDNIGHT - HOUR_MS, JST_MIDNIGHT - 1)).toBe(0);
    expect(interestChargesBetween(JST_MIDNIGHT - HOUR_MS, JST_MIDNIGHT)).toBe(1); // closed at the charge: still open then
    expect(interestChargesBetween(JST_MIDNIGHT, JST_MIDNIGHT + 23 * HOUR_MS)).toBe(0); // opened at the charge: after it
    expect(interestChargesBetween(JST_MIDNIGHT - 1, JST_MIDNIGHT + 2 * DAY_MS)).toBe(3);
    expect(interestChargesBetween(JST_MIDNIGHT + HOUR_MS, JST_MIDNIGHT)).toBe(0);
  });

  it('a position held 23 hours across no midnight pays nothing; one held an hour across it pays a full day', () => {
    expect(marginInterestJpy(10_000, 0.0004, JST_MIDNIGHT + HOUR_MS, JST_MIDNIGHT + DAY_MS - HOUR_MS)).toBe(0);
    expect(marginInterestJpy(10_000, 0.0004, JST_MIDNIGHT - HOUR_MS / 2, JST_MIDNIGHT + HOUR_MS / 2)).toBeCloseTo(
      4,
      12,
    );
  });
});
