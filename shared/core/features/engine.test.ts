import { describe, expect, it } from 'vitest';
import type { Candle } from '../candle.js';
import { computeFeatureMatrix, computeLatestFeatures, featureRow, FEATURE_WINDOW_BARS } from './engine.js';
import { FEATURES, FEATURE_NAMES } from './registry.js';
import { syntheticCandles } from './synthetic-candles.js';

describe('feature matrix', () => {
  const candles = syntheticCandles(1200);
  const matrix = computeFeatureMatrix(candles, undefined);

  it('has one row per candle and a column for every registered name', () => {
    expect(matrix.names).toEqual(FEATURE_NAMES);
    expect(matrix.openTimeMs).toHaveLength(1200);
    for (const name of FEATURE_NAMES) expect(matrix.columns[name]).toHaveLength(1200);
  });

  it('each non-macro feature is NaN before its warm-up and finite from it on', () => {
    for (const f of FEATURES.filter((x) => !x.macro)) {
      const column = matrix.columns[f.name] as Float64Array;
      if (f.warmupBars > 0) expect(column[f.warmupBars - 1], f.name).toBeNaN();
      for (let i = f.warmupBars; i < column.length; i += 1) {
        if (!Number.isFinite(column[i])) throw new Error(`${f.name} not finite at row ${i}`);
      }
    }
  });

  it('without macro data every macro feature is NaN', () => {
    for (const f of FEATURES.filter((x) => x.macro))
      expect((matrix.columns[f.name] as Float64Array).every(Number.isNaN), f.name).toBe(true);
  });

  it('featureRow reads by name in the order asked, and rejects unknown names', () => {
    const row = featureRow(matrix, 500, ['rsi_14', 'hour_utc']);
    expect(row).toEqual([(matrix.columns.rsi_14 as Float64Array)[500], (matrix.columns.hour_utc as Float64Array)[500]]);
    expect(() => featureRow(matrix, 500, ['funding_rate'])).toThrow(/unknown feature/);
  });

  it('the last-bar path over FEATURE_WINDOW_BARS equals the full matrix row', () => {
    const latest = computeLatestFeatures(candles, undefined);
    expect(latest.openTimeMs).toBe((candles.at(-1) as Candle).openTimeMs);
    expect(candles.length).toBeGreaterThan(FEATURE_WINDOW_BARS);
    for (const f of FEATURES.filter((x) => !x.macro)) {
      const expected = (matrix.columns[f.name] as Float64Array)[1199] as number;
      const got = latest.features[f.name] as number;
      expect(Math.abs(got - expected), f.name).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
    }
    for (const f of FEATURES.filter((x) => x.macro)) expect(latest.flags[f.name]).toMatch(/^missing: no /);
  });

  it('flags warm-up on a short history', () => {
    const latest = computeLatestFeatures(candles.slice(0, 30), undefined);
    expect(latest.features.log_return_24h).toBeTypeOf('number');
    expect(Number.isFinite(latest.features.log_return_24h)).toBe(true);
    expect(latest.flags.sma_168_dist).toBe('warm-up: needs 168 bars, got 30');
    expect(latest.flags.log_return_24h).toBeUndefined();
  });

  it('a stale macro series gives NaN flagged with its last date, never a carried value; fresh ones are finite', () => {
    const lastOpen = (candles.at(-1) as Candle).openTimeMs;
    const days = (n: number, endMs: number): string[] =>
      Array.from({ length: n }, (_, k) => new Date(endMs - (n - 1 - k) * 86_400_000).toISOString().slice(0, 10));
    const fresh = days(400, lastOpen - 86_400_000);
    const old = days(400, lastOpen - 6 * 86_400_000);
    const values = (dates: string[]): Array<{ date: string; value: number }> =>
      dates.map((date, k) => ({ date, value: 50 + 10 * Math.sin(k / 3) }));
    const latest = computeLatestFeatures(candles, {
      vix: { name: 'vix', points: values(fresh) },
      fearGreed: { name: 'fearGreed', points: values(old) },
    });
    expect(Number.isFinite(latest.features.vix_zscore_20d)).toBe(true);
    expect(latest.flags.vix_zscore_20d).toBeUndefined();
    expect(latest.features.fng_zscore_7d).toBeNaN();
    // the last bar opens 23:00 and closes at midnight: its day is the next one, 7 days after the last value
    expect(latest.flags.fng_zscore_7d).toBe(`stale: fearGreed last ${old.at(-1)} (7 days old)`);
    expect(latest.flags.usd_index_change_1d).toMatch(/^missing: no dollarIndex/);
  });

  it('a flat stretch (exchange idle: open = high = low = close, no volume) leaves every feature finite, and recovers', () => {
    const flat = syntheticCandles(600);
    const price = (flat[199] as Candle).close;
    for (let i = 200; i < 240; i += 1)
      flat[i] = { ...(flat[i] as Candle), open: price, high: price, low: price, close: price, volume: 0 };
    const m = computeFeatureMatrix(flat, undefined);
    for (const f of FEATURES.filter((x) => !x.macro)) {
      for (const row of [235, 300, 599])
        expect(Number.isFinite((m.columns[f.name] as Float64Array)[row]), `${f.name} row ${row}`).toBe(true);
    }
  });

  it('refuses candles out of order instead of computing on them', () => {
    const swapped = [...candles.slice(0, 10)];
    [swapped[3], swapped[4]] = [swapped[4] as Candle, swapped[3] as Candle];
    expect(() => computeFeatureMatrix(swapped, undefined)).toThrow(/must ascend/);
    expect(() => computeLatestFeatures([], undefined)).toThrow(/no candles/);
  });
});
