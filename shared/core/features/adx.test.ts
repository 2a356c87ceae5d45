import { fileURLToPath } from 'node:url';
import * as ti from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { readCandlesCsv } from '../../../tools/lib/csv.js';
import { wilderAdx } from './adx.js';
import { syntheticCandles } from './synthetic-candles.js';

const file = fileURLToPath(new URL('../../../data/candles/binance-btcusdt-1h-2017-2022.csv', import.meta.url));

describe('Wilder ADX (adx.ts) against technicalindicators, the library it replaces', () => {
  const cases = {
    'real hourly candles (round prices, many ties)': readCandlesCsv(file, { quotePerUsd: 150 }).slice(0, 6000),
    'a synthetic walk': syntheticCandles(3000),
  };
  for (const [name, candles] of Object.entries(cases)) {
    it(`is identical to the last bit on ${name}, NaN before index 2 * period - 1`, () => {
      const high = candles.map((c) => c.high);
      const low = candles.map((c) => c.low);
      const close = candles.map((c) => c.close);
      for (const period of [14, 7]) {
        const reference = ti.ADX.calculate({ high, low, close, period }).map((v) => v.adx);
        const mine = wilderAdx(high, low, close, period);
        const offset = candles.length - reference.length;
        expect(offset).toBe(2 * period - 1);
        expect(Array.from(mine.subarray(0, offset)).every(Number.isNaN)).toBe(true);
        expect(Array.from(mine.subarray(offset))).toEqual(reference);
      }
    });
  }
});
