import { describe, expect, it } from 'vitest';
import { addDecimal, isOnStep, roundToStep, toOrderAmount, toOrderPrice, compareDecimal, subDecimal } from './money.js';

const rules = { lotBtc: '0.0001', minAmountBtc: '0.0001', tickJpy: '1' };

describe('exact amounts and prices', () => {
  it('floors sizes to the lot and never rounds up past what was asked', () => {
    expect(toOrderAmount(0.00049999, rules)).toBe('0.0004');
    expect(toOrderAmount(0.0005, rules)).toBe('0.0005');
    expect(toOrderAmount('0.00019999999999999999', rules)).toBe('0.0001');
  });

  it('handles amounts that are not representable as floats', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(toOrderAmount(0.1 + 0.2, rules)).toBe('0.3000');
    expect(toOrderAmount(0.0003 * 3, rules)).toBe('0.0009'); // 0.0009000000000000001 in floats
    // 1.0001 - 1 is 0.00009999999999998899 in floats: flooring never rounds it up into a lot it does not fill
    expect(toOrderAmount(1.0001 - 1, rules)).toBeUndefined();
    expect(toOrderAmount(subDecimal('1.0001', '1'), rules)).toBe('0.0001');
  });

  it('returns undefined below the minimum, including a risen minimum', () => {
    expect(toOrderAmount(0.00009999, rules)).toBeUndefined();
    expect(toOrderAmount(0.0004, { ...rules, minAmountBtc: '0.0005' })).toBeUndefined();
    expect(toOrderAmount(0, rules)).toBeUndefined();
  });

  it('rounds prices to the tick in the direction asked', () => {
    expect(toOrderPrice(15_000_000.5, rules, 'down')).toBe('15000000');
    expect(toOrderPrice(15_000_000.01, rules, 'up')).toBe('15000001');
    expect(toOrderPrice(15_000_000.5, rules, 'nearest')).toBe('15000000');
    expect(toOrderPrice(15_000_001.5, rules, 'nearest')).toBe('15000002');
    expect(() => toOrderPrice(0.4, rules, 'down')).toThrow(RangeError);
  });

  it('works on other grids and rejects nonsense', () => {
    expect(roundToStep(1.23456, '0.005', 'down')).toBe('1.230');
    expect(isOnStep('0.0003', '0.0001')).toBe(true);
    expect(isOnStep('0.00035', '0.0001')).toBe(false);
    expect(() => roundToStep(Number.NaN, '1', 'down')).toThrow(RangeError);
    expect(() => roundToStep(1, '0', 'down')).toThrow(RangeError);
  });

  it('adds, subtracts and compares exactly', () => {
    expect(addDecimal('0.1', '0.2')).toBe('0.3');
    expect(subDecimal('0.0005', '0.0004')).toBe('0.0001');
    expect(compareDecimal('0.0001', '0.00010')).toBe(0);
  });
});
