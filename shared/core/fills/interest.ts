import { DAY_MS, HOUR_MS } from '../candle.js';

/** bitbank charges margin interest once a day, at 00:00 JST (15:00 UTC), on every position open then. */
export const INTEREST_CHARGE_OFFSET_MS = 15 * HOUR_MS;

/**
 * How many daily interest charges (00:00 JST instants) fall in (fromMs, toMs]: a position opened at
 * `fromMs` and still open at `toMs` pays that many days. Opened exactly at 00:00 JST it pays nothing
 * for that instant (the order reaches the exchange after it); closed exactly then it pays (it was
 * still open when the charge was taken). 0 when toMs <= fromMs.
 */
export function interestChargesBetween(fromMs: number, toMs: number): number {
  if (toMs <= fromMs) return 0;
  return (
    Math.floor((toMs - INTEREST_CHARGE_OFFSET_MS) / DAY_MS) - Math.floor((fromMs - INTEREST_CHARGE_OFFSET_MS) / DAY_MS)
  );
}

/** The interest bitbank charges on a margin position of `valueJpy` (amount x average price) held over (fromMs, toMs]. */
export function marginInterestJpy(valueJpy: number, dailyRate: number, fromMs: number, toMs: number): number {
  return valueJpy * dailyRate * interestChargesBetween(fromMs, toMs);
}
