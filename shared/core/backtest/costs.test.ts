import { describe, expect, it } from 'vitest';
import { TEST_RULES } from '../strategy/test-fixtures.js';
import { HOUR_MS } from '../candle.js';
import { costFigures } from './costs.js';
import { flat, hour, P, runScenario, type Row } from './scenario.fixture.js';
import type { BacktestTrade } from './types.js';

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

  it('spot: no interest across 00:00 JST, and the spot fee rates (margin keeps the margin rates)', () => {
    const across: Row[] = [...flat(12), ENTER_LONG, ...flat(6, 0.55)];
    const rules = { ...TEST_RULES, takerFeeRate: 0.002, marginTakerFeeRate: 0.001 };
    const spot = runScenario(across, { settings: { maxHoldHours: 3 }, rules, market: 'spot' }).trades[0]!;
    const margin = runScenario(across, { settings: { maxHoldHours: 3 }, rules, market: 'margin' }).trades[0]!;
    expect([spot.interestJpy, spot.exitTimeMs]).toEqual([0, margin.exitTimeMs]);
    expect(margin.interestJpy).toBeGreaterThan(0);
    expect(spot.feesJpy).toBeCloseTo(0.0005 * (spot.entryPriceJpy + spot.exitPriceJpy) * 0.002, 9);
    expect(margin.feesJpy).toBeCloseTo(0.0005 * (margin.entryPriceJpy + margin.exitPriceJpy) * 0.001, 9);
  });

  it('a take-profit limit that is only touched does not fill: the bar must trade through it', () => {
    // Long from bar 5 at P; take-profit P + 480,000 (2.4 ATR); bar 5 touches it exactly, bar 6 trades through.
    const rows: Row[] = [
      ...flat(4),
      ENTER_LONG,
      [P, P + 480_000, P - 50_000, P + 400_000, 0.5],
      [P + 400_000, P + 480_001, P + 300_000, P + 400_000, 0.5],
      ...flat(2),
    ];
    const t = runScenario(rows).trades[0]!;
    expect([t.exitReason, t.exitPriceJpy, hour(t.exitTimeMs + 1)]).toEqual(['take-profit', P + 480_000, 7]);
  });

  it('maker-then-taker: a post-only entry at the decision close fills as maker when the next bar trades through it; protective orders from the bar after', () => {
    // Decided at bar 4's close P; bar 5 trades below P (fill at P, maker) and also below the stop, which is not working yet.
    const rows: Row[] = [
      ...flat(4),
      ENTER_LONG,
      [P + 10_000, P + 100_000, P - 300_000, P, 0.5],
      [P, P + 500_000, P - 50_000, P + 400_000, 0.5],
      ...flat(2),
    ];
    const { result, trades } = runScenario(rows, { execution: 'maker-then-taker', slippage: 0.001 });
    const t = trades[0]!;
    expect([t.entryPriceJpy, t.entryTimeMs + 1 - HOUR_MS, t.exitReason, t.exitPriceJpy]).toEqual([
      P,
      result.openTimeMs[5],
      'take-profit',
      P + 480_000,
    ]);
    expect(t.feesJpy).toBeCloseTo(
      0.0005 * P * TEST_RULES.marginMakerFeeRate + 0.0005 * (P + 480_000) * TEST_RULES.marginMakerFeeRate,
      9,
    );
    expect([result.makerAttempts, result.makerFills, result.takerFeesJpy]).toEqual([1, 1, 0]);
  });

  it('maker-then-taker: unfilled after the wait (touched, not traded through), a market order at the next open with the taker fee and slippage', () => {
    const rows: Row[] = [
      ...flat(4),
      ENTER_LONG,
      [P + 10_000, P + 100_000, P, P + 50_000, 0.5],
      [P + 50_000, P + 60_000, P + 40_000, P + 50_000, 0.5],
      ...flat(2),
    ];
    const { result, trades } = runScenario(rows, { execution: 'maker-then-taker', slippage: 0.001 });
    const t = trades[0]!;
    expect([hour(t.entryTimeMs), t.entryPriceJpy]).toEqual([6, (P + 50_000) * 1.001]);
    expect([result.makerAttempts, result.makerFills]).toEqual([1, 0]);
    expect(result.takerFeesJpy).toBeCloseTo(
      0.0005 * t.entryPriceJpy * TEST_RULES.marginTakerFeeRate +
        0.0005 * t.exitPriceJpy * TEST_RULES.marginTakerFeeRate,
      9,
    );
  });

  it('maker-only: an entry still unfilled after the wait is given up; a longer wait lets a later bar fill it', () => {
    const rows: Row[] = [
      ...flat(4),
      ENTER_LONG,
      [P + 10_000, P + 100_000, P, P + 50_000, 0.5],
      [P + 50_000, P + 60_000, P - 40_000, P + 50_000, 0.5],
      ...flat(2),
    ];
    const once = runScenario(rows, { execution: 'maker-only' });
    expect(once.trades).toEqual([]);
    expect([once.result.makerAttempts, once.result.makerFills]).toEqual([1, 0]);
    const twice = runScenario(rows, { execution: 'maker-only', makerWaitBars: 2 });
    expect(twice.trades.map((t) => [t.entryPriceJpy, hour(t.entryTimeMs + 1)])).toEqual([[P, 7]]);
  });

  it('maker-first planned exits: a post-only sell at the decision close; the stop still works while it rests', () => {
    // Long from bar 5 (taker); bar 5 closes at P + 1,000 with p 0.1: exit decided. Bar 6 never trades above P + 1,000: unfilled, fallback at bar 7's open.
    const rows: Row[] = [
      ...flat(4),
      ENTER_LONG,
      [P, P + 100_000, P - 100_000, P + 1_000, 0.1],
      [P + 1_000, P + 1_000, P - 100_000, P - 50_000, 0.5],
      [P - 60_000, P, P - 100_000, P, 0.5],
      ...flat(2),
    ];
    const fallback = runScenario(rows, { execution: 'maker-then-taker' }).trades[0]!;
    expect([fallback.exitReason, hour(fallback.exitTimeMs), fallback.exitPriceJpy]).toEqual(['signal', 7, P - 60_000]);
    const filled: Row[] = [
      ...rows.slice(0, 6),
      [P + 1_000, P + 50_000, P - 100_000, P - 50_000, 0.5],
      ...rows.slice(7),
    ];
    const maker = runScenario(filled, { execution: 'maker-then-taker' }).trades[0]!;
    expect([maker.exitReason, hour(maker.exitTimeMs + 1), maker.exitPriceJpy]).toEqual(['signal', 7, P + 1_000]);
    const stopped: Row[] = [
      ...rows.slice(0, 6),
      [P + 1_000, P + 50_000, P - 300_000, P - 250_000, 0.5],
      ...rows.slice(7),
    ];
    const stop = runScenario(stopped, { execution: 'maker-then-taker' }).trades[0]!;
    expect([stop.exitReason, stop.exitPriceJpy]).toEqual(['stop', P - 240_000]);
  });

  it('cost figures: fees by liquidity, interest, slippage on taker fills, maker fill rate and cost per round trip', () => {
    // Trade 1 maker in and out (take-profit); trade 2 taker in (fallback) and out (end of data).
    const rows: Row[] = [
      ...flat(4),
      ENTER_LONG,
      [P + 10_000, P + 100_000, P - 50_000, P, 0.5],
      [P, P + 500_000, P - 50_000, P + 400_000, 0.9],
      [P + 400_000, P + 450_000, P + 400_000, P + 420_000, 0.5],
      [P + 420_000, P + 430_000, P + 410_000, P + 420_000, 0.5],
    ];
    const { result } = runScenario(rows, { execution: 'maker-then-taker', slippage: 0.001 });
    expect(result.trades).toHaveLength(2);
    const figures = costFigures(result, 0.001);
    expect(figures.makerFillRate).toBe(0.5);
    expect(figures.feesJpy.total).toBeCloseTo(result.feesJpy, 9);
    expect(figures.feesJpy.maker + figures.feesJpy.taker).toBeCloseTo(result.feesJpy, 9);
    const [a, b] = result.trades as [BacktestTrade, BacktestTrade];
    expect(figures.slippageJpy).toBeCloseTo(0.001 * 0.0005 * (b.entryPriceJpy + b.exitPriceJpy), 9);
    const entryValue = 0.0005 * (a.entryPriceJpy + b.entryPriceJpy);
    expect(figures.costPerRoundTripPct).toBeCloseTo(
      ((result.feesJpy + result.interestJpy + figures.slippageJpy) / entryValue) * 100,
      9,
    );
    expect(costFigures(runScenario(flat(8)).result, 0.001)).toMatchObject({
      makerFillRate: null,
      costPerRoundTripPct: null,
    });
  });
});
