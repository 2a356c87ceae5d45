import { describe, expect, it } from 'vitest';
import { nextEquityPeak, type EquityPeakState } from './equity-peak.js';
import { drawdownBreach } from './protections/max-drawdown.js';

const at = (h: number) => h * 3_600_000;
const start: EquityPeakState = { atMs: at(0), equityJpy: 100_000, cashJpy: 100_000, peakJpy: 100_000 };

describe('the equity peak, corrected for cash movements', () => {
  it('starts at the first equity seen (or after a reset)', () => {
    expect(nextEquityPeak(undefined, { atMs: at(1), equityJpy: 90_000, cashJpy: 95_000 }, 0)).toEqual({
      state: { atMs: at(1), equityJpy: 90_000, cashJpy: 95_000, peakJpy: 90_000 },
      cashMovementJpy: 0,
    });
  });
  it('a booked loss is a drawdown: the peak stays, the breaker trips at 20 %', () => {
    const { state, cashMovementJpy } = nextEquityPeak(
      start,
      { atMs: at(1), equityJpy: 80_000, cashJpy: 80_000 },
      -20_000,
    );
    expect(cashMovementJpy).toBe(0);
    expect(state.peakJpy).toBe(100_000);
    expect(drawdownBreach(state.equityJpy, state.peakJpy, 0.15)).toMatch(/^drawdown 20\.00 % >= 15\.00 %/);
  });
  it('an unrealised loss (equity down, cash unchanged) is a drawdown too', () => {
    const { state, cashMovementJpy } = nextEquityPeak(start, { atMs: at(1), equityJpy: 80_000, cashJpy: 100_000 }, 0);
    expect([cashMovementJpy, state.peakJpy]).toEqual([0, 100_000]);
  });
  it('a withdrawal is not a loss and a deposit is not profit: the peak moves with the cash', () => {
    const out = nextEquityPeak(start, { atMs: at(1), equityJpy: 80_000, cashJpy: 80_000 }, 0);
    expect(out).toMatchObject({ cashMovementJpy: -20_000, state: { peakJpy: 80_000 } });
    expect(drawdownBreach(out.state.equityJpy, out.state.peakJpy, 0.15)).toBeUndefined();
    // in a 10 % drawdown, a deposit keeps the drawdown in JPY (it does not hide it as a new peak)
    const down: EquityPeakState = { atMs: at(1), equityJpy: 90_000, cashJpy: 90_000, peakJpy: 100_000 };
    const deposit = nextEquityPeak(down, { atMs: at(2), equityJpy: 140_000, cashJpy: 140_000 }, 0);
    expect(deposit).toMatchObject({ cashMovementJpy: 50_000, state: { peakJpy: 150_000 } });
  });
  it('fees and interest below the tolerance are not cash movements; profit raises the peak', () => {
    expect(nextEquityPeak(start, { atMs: at(1), equityJpy: 99_988, cashJpy: 99_988 }, 0).cashMovementJpy).toBe(0);
    expect(nextEquityPeak(start, { atMs: at(1), equityJpy: 110_000, cashJpy: 110_000 }, 10_000)).toMatchObject({
      cashMovementJpy: 0,
      state: { peakJpy: 110_000 },
    });
  });
});
