import { Decimal } from 'decimal.js';

/**
 * Exact decimal arithmetic for order amounts and prices. Amounts and prices cross the exchange
 * boundary as decimal strings already on the lot / tick grid; floats are never sent.
 */
export interface LotRules {
  /** Smallest amount step, e.g. '0.0001' BTC. */
  readonly lotBtc: string;
  /** Smallest order amount (can rise when the exchange is busy). */
  readonly minAmountBtc: string;
  /** Price step, e.g. '1' JPY. */
  readonly tickJpy: string;
}

export type Rounding = 'down' | 'up' | 'nearest';
const MODE: Record<Rounding, Decimal.Rounding> = {
  down: Decimal.ROUND_DOWN,
  up: Decimal.ROUND_UP,
  nearest: Decimal.ROUND_HALF_EVEN,
};

function toDecimal(value: number | string, what: string): Decimal {
  if (typeof value === 'number' && !Number.isFinite(value))
    throw new RangeError(`${what} must be finite, got ${value}`);
  const d = new Decimal(typeof value === 'number' ? value.toString() : value);
  if (!d.isFinite()) throw new RangeError(`${what} must be finite, got ${value}`);
  return d;
}

/** Rounds to a multiple of `step` (exactly, through the number's shortest decimal form). */
export function roundToStep(value: number | string, step: string, rounding: Rounding): string {
  const s = toDecimal(step, 'step');
  if (s.lte(0)) throw new RangeError(`step must be positive, got ${step}`);
  const v = toDecimal(value, 'value');
  return v.div(s).toDecimalPlaces(0, MODE[rounding]).mul(s).toFixed(s.decimalPlaces());
}

/**
 * The order amount for a wanted size: floored to the lot (never more than asked), or `undefined`
 * when that is below the exchange's minimum (the caller skips the order and says why).
 */
export function toOrderAmount(sizeBtc: number | string, rules: LotRules): string | undefined {
  const amount = roundToStep(sizeBtc, rules.lotBtc, 'down');
  return new Decimal(amount).lt(rules.minAmountBtc) ? undefined : amount;
}

/** A price on the tick grid; stops and limits choose the direction that is safe for them. */
export function toOrderPrice(priceJpy: number | string, rules: LotRules, rounding: Rounding): string {
  const price = roundToStep(priceJpy, rules.tickJpy, rounding);
  if (new Decimal(price).lte(0)) throw new RangeError(`price must be positive after rounding, got ${price}`);
  return price;
}

/** True when `value` is exactly on the `step` grid. */
export function isOnStep(value: string, step: string): boolean {
  return toDecimal(value, 'value').mod(toDecimal(step, 'step')).isZero();
}

export function addDecimal(a: string, b: string): string {
  return new Decimal(a).plus(b).toString();
}

export function subDecimal(a: string, b: string): string {
  return new Decimal(a).minus(b).toString();
}

export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  return new Decimal(a).comparedTo(b) as -1 | 0 | 1;
}
