import { describe, expect, it } from 'vitest';
import { TEST_RULES } from '../strategy/test-fixtures.js';
import { flat, hour, P, runScenario, type Row } from './scenario.fixture.js';

const ENTER_LONG: Row = [P, P + 100_000, P - 100_000, P, 0.9];
/** The scenario clock starts at 00:00 UTC: 00:00 JST, when bitbank charges a day's interest, is hour 15. */
const JST_MIDNIGHT_HOUR = 15;

describe('backtest costs as bitbank charges them', () => {
  it('margin interest: a full day at each 00:00 JST the position is open, nothing for hours that cross none', () => {
    const across: Row[] = [...flat(12), ENTER_LONG, ...flat(6, 0.55)];
    const a = runScenario(across, { settings: { maxHoldHours: 3 } }).trades[0]!;
    expect([hour(a.entryTimeMs), hour(a.exitTimeMs)]).toEqual([13, 16]);
    expect(hour(a.entryTimeMs) < JST_MIDNIGHT_HOUR && hour(a.exitTimeMs) > JST_MIDNIGHT_HOUR).toBe(true);
    expect(a.interestJpy).toBeCloseTo(0.0005 * a.entryPriceJpy * TEST_RULES.marginLongInterestDaily, 9);

    const within: Row[] = [...flat(4), ENTER_LONG, ...flat(6, 0.55)];
    const b = runScenario(within, { settings: { maxHoldHours: 3 } }).trades[0]!;
    expect([hour(b.entryTimeMs), hour(b.exitTimeMs)]).toEqual([5, 8]);
    expect(b.interestJpy).toBe(0);
  });
});
