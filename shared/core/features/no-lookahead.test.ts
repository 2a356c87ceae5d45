/**
 * No look-ahead, on the shared real data: features at bar t computed from candles cut right after t
 * and macro series cut to the values published by t's close equal, bit for bit, those computed from
 * the whole range. Plus: every value is finite after warm-up on the whole candle file, except macro
 * features exactly where their series is stale (older than the maximum age) at that bar.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCandlesCsv, readMacroDir } from '../../../tools/lib/csv.js';
import { HOUR_MS, type Candle } from '../candle.js';
import { MACRO_SERIES, MACRO_SERIES_NAMES, type MacroData, type MacroSeriesName } from '../macro.js';
import { computeFeatureMatrix, computeLatestFeatures } from './engine.js';
import { macroStaleness } from './macro-staleness.js';
import { FEATURES } from './registry.js';

const dataDir = fileURLToPath(new URL('../../../data/', import.meta.url));
const candles = readCandlesCsv(`${dataDir}candles/binance-btcusdt-1h-2017-2022.csv`, { quotePerUsd: 150 });
const macro = readMacroDir(`${dataDir}macro`);

/** The macro data as it stood at `timeMs`: only values whose day had closed (written independently of the engine). */
function macroKnownAt(timeMs: number): MacroData {
  const out: MacroData = {};
  for (const name of MACRO_SERIES_NAMES) {
    const series = macro[name];
    if (series === undefined) continue;
    const closesAtMs = MACRO_SERIES[name].closesAtUtcHour * HOUR_MS;
    out[name] = { name, points: series.points.filter((p) => Date.parse(`${p.date}T00:00:00Z`) + closesAtMs <= timeMs) };
  }
  return out;
}

function sameRow(
  a: ReturnType<typeof computeFeatureMatrix>,
  ai: number,
  b: ReturnType<typeof computeFeatureMatrix>,
  bi: number,
): string[] {
  return FEATURES.filter(
    (f) => !Object.is((a.columns[f.name] as Float64Array)[ai], (b.columns[f.name] as Float64Array)[bi]),
  ).map((f) => `${f.name}: ${(a.columns[f.name] as Float64Array)[ai]} vs ${(b.columns[f.name] as Float64Array)[bi]}`);
}

describe('no look-ahead', () => {
  // 2019-03-01 .. 2019-06-30: weekends, Good Friday and Memorial Day inside; every macro series live.
  const from = candles.findIndex((c) => c.openTimeMs >= Date.UTC(2019, 2, 1));
  const to = candles.findIndex((c) => c.openTimeMs >= Date.UTC(2019, 6, 1));
  const range = candles.slice(from, to);
  const whole = computeFeatureMatrix(range, macro);

  it(
    'row t from candles cut after t and macro cut at t equals row t from the whole range, for 80 bars at every hour',
    { timeout: 30_000 },
    () => {
      const ts = Array.from({ length: 80 }, (_, k) => 200 + k * 31).filter((t) => t < range.length);
      expect(ts.length).toBe(80);
      expect(new Set(ts.map((t) => new Date((range[t] as Candle).openTimeMs).getUTCHours())).size).toBe(24);
      let finiteMacro = 0;
      for (const t of ts) {
        const closeMs = (range[t] as Candle).openTimeMs + HOUR_MS;
        const cut = computeFeatureMatrix(range.slice(0, t + 1), macroKnownAt(closeMs));
        expect(sameRow(cut, t, whole, t), `bar ${t}`).toEqual([]);
        finiteMacro += FEATURES.filter(
          (f) => f.macro && Number.isFinite((cut.columns[f.name] as Float64Array)[t]),
        ).length;
      }
      expect(finiteMacro).toBeGreaterThan(80 * 29 * 0.9); // the macro columns were really compared with values in them
    },
  );

  it('a VIX value is used only after its day closed (22:00 UTC), Fear & Greed from 00:00 UTC of its day', () => {
    const column = whole.columns.vix_change_1d as Float64Array;
    const at = (iso: string): number => column[range.findIndex((c) => c.openTimeMs === Date.parse(iso))] as number;
    // Thursday 2019-03-14: the bar opening 20:00 closes 21:00 (Wednesday's value); the bar opening 21:00 closes 22:00 (Thursday's)
    expect(at('2019-03-14T20:00:00Z')).toBe(at('2019-03-14T00:00:00Z'));
    expect(at('2019-03-14T21:00:00Z')).not.toBe(at('2019-03-14T20:00:00Z'));
    const fng = whole.columns.fng_change_1d as Float64Array;
    const fngAt = (iso: string): number => fng[range.findIndex((c) => c.openTimeMs === Date.parse(iso))] as number;
    expect(fngAt('2019-03-14T23:00:00Z')).not.toBe(fngAt('2019-03-14T22:00:00Z'));
  });

  it('the last-bar path on the cut data gives the same values as the whole-range matrix (macro included)', () => {
    for (const t of [1000, 1777, 2500]) {
      const closeMs = (range[t] as Candle).openTimeMs + HOUR_MS;
      const latest = computeLatestFeatures(range.slice(0, t + 1), macroKnownAt(closeMs));
      for (const f of FEATURES) {
        const expected = (whole.columns[f.name] as Float64Array)[t] as number;
        const got = latest.features[f.name] as number;
        if (Number.isNaN(expected)) expect(got, f.name).toBeNaN();
        else expect(Math.abs(got - expected), f.name).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
      }
    }
  });
});

describe('the whole shared candle file with data/macro', () => {
  const matrix = computeFeatureMatrix(candles, macro);

  it('every non-macro value is finite from its warm-up row on', () => {
    for (const f of FEATURES.filter((x) => !x.macro)) {
      const column = matrix.columns[f.name] as Float64Array;
      let bad = 0;
      for (let i = f.warmupBars; i < column.length; i += 1) if (!Number.isFinite(column[i])) bad += 1;
      expect(bad, f.name).toBe(0);
    }
  });

  it('after its first value, a macro feature is NaN exactly where its series is stale at that bar', () => {
    const staleAt = candles.map((c) => macroStaleness(macro, c.openTimeMs + HOUR_MS));
    let staleRows = 0;
    for (const f of FEATURES.filter((x) => x.macro)) {
      const column = matrix.columns[f.name] as Float64Array;
      const first = column.findIndex(Number.isFinite);
      expect(first, f.name).toBeGreaterThanOrEqual(0);
      for (let i = first; i < column.length; i += 1) {
        const stale = f.inputs.some(
          (s) => (staleAt[i] as ReturnType<typeof macroStaleness>)[s as MacroSeriesName].stale,
        );
        if (Number.isFinite(column[i]) === stale)
          throw new Error(`${f.name} row ${i}: value ${column[i]}, stale ${stale}`);
        if (stale) staleRows += 1;
      }
    }
    // the broad dollar index has two 5-day holiday gaps (Thanksgiving and Christmas 2020): 43 bars x 5 features
    expect(staleRows).toBe(215);
  });
});
