import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, MACRO_FEATURE_NAMES } from '../../shared/core/features/index.js';
import { DOCS_PATH, runFeaturesCli } from './main.js';
import { renderFeatureList, renderFeaturesMarkdown } from './render.js';

const data = fileURLToPath(new URL('../../data/', import.meta.url));
const candles = `${data}candles/binance-btcusdt-1h-2017-2022.csv`;

function run(args: string[]): { code: number; out: string } {
  let out = '';
  const code = runFeaturesCli(args, (t) => {
    out += t;
  });
  return { code, out };
}

describe('features CLI', () => {
  it('docs/features.md is up to date with the registry (regenerate: npm run features -- --markdown)', () => {
    expect(readFileSync(DOCS_PATH, 'utf8')).toBe(renderFeaturesMarkdown());
    for (const name of FEATURE_NAMES) expect(renderFeaturesMarkdown()).toContain(`\`${name}\``);
  });

  it('--list prints the 101 features', () => {
    const { code, out } = run(['--list']);
    expect(code).toBe(0);
    expect(out).toBe(renderFeatureList());
    expect(out.trim().split('\n')).toHaveLength(102);
  });

  it('--at --json with --macro prints every feature of that bar, all finite on a day with every series', () => {
    const { code, out } = run([
      '--candles',
      candles,
      '--macro',
      `${data}macro`,
      '--quote-per-usd',
      '150',
      '--at',
      '2021-06-01T10:00:00Z',
      '--json',
    ]);
    expect(code).toBe(0);
    const parsed = JSON.parse(out) as {
      at: string;
      features: Record<string, number | null>;
      flags: Record<string, string>;
    };
    expect(parsed.at).toBe('2021-06-01T10:00:00.000Z');
    expect(Object.keys(parsed.features)).toEqual([...FEATURE_NAMES]);
    expect(Object.values(parsed.features).every((v) => typeof v === 'number' && Number.isFinite(v))).toBe(true);
    expect(parsed.flags).toEqual({});
    expect(parsed.features.hour_utc).toBe(10);
  });

  it('without --macro the macro features are null and flagged missing, not invented', () => {
    const { out } = run(['--candles', candles, '--at', '2021-06-01T10:00:00Z', '--json']);
    const parsed = JSON.parse(out) as { features: Record<string, number | null>; flags: Record<string, string> };
    expect(Object.keys(parsed.flags).sort()).toEqual([...MACRO_FEATURE_NAMES].sort());
    for (const name of MACRO_FEATURE_NAMES) {
      expect(parsed.features[name]).toBeNull();
      expect(parsed.flags[name]).toMatch(/^missing: /);
    }
  });

  it('a time with no bar is an error, not a guess', () => {
    expect(run(['--candles', candles, '--at', '2018-02-08T05:00:00Z', '--json']).code).toBe(2); // inside the 33-hour gap
    expect(run(['--candles', candles]).code).toBe(2);
  });
});
