import { kellyOf, totalsOf } from './trade-totals.js';

/**
 * Kelly fraction of a bet from past trades' net results: f = W - (1 - W) / R, with W the win rate
 * and R the mean win over the mean loss. `undefined` when there are no wins or no losses to
 * estimate R from (the caller decides what that means).
 */
export function kellyFraction(pnls: readonly number[]): number | undefined {
  return kellyOf(totalsOf(pnls));
}
