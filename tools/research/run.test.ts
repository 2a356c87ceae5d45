import { describe, expect, it } from 'vitest';
import { DAY_MS, type Candle } from '../../shared/core/candle.js';
import { DEFAULT_STRATEGY_SETTINGS } from '../../shared/core/strategy/index.js';
import { renderResearchReport } from './report.js';
import { BASELINES, ownSizing, runResearch } from './run.js';
import { trialsForData, type Trial } from './trials.js';

// 900 daily bars: rise, fall, rise, with a day-to-day wiggle.
const T0 = Date.UTC(2019, 0, 1);
const closes = Array.from({ length: 900 }, (_, i) => 10_000_000 * Math.exp(0.003 * (i < 300 ? i : i < 500 ? 600 - i : i - 400)) * (i % 2 ? 1.01 : 0.99));
const candles: Candle[] = closes.map((close, i) => {
  const open = i === 0 ? close : closes[i - 1]!;
  return { openTimeMs: T0 + i * DAY_MS, open, high: Math.max(open, close) * 1.005, low: Math.min(open, close) * 0.995, close, volume: 1 };
});
const input = {
  candles, macro: undefined, barMs: DAY_MS, strategy: 'trend' as const, grid: [{}, { targetVolAnnual: 0.2 }], settings: ownSizing(DEFAULT_STRATEGY_SETTINGS), equityJpy: 10_000_000, slippage: 0.0005,
  fromMs: T0, toMs: T0 + 800 * DAY_MS, firstTestMs: T0 + 300 * DAY_MS, testMs: 100 * DAY_MS, embargoMs: DAY_MS, holdout: false,
};

describe('runResearch', () => {
  const outcome = runResearch(input);

  it('scores the strategy and every baseline on the same test days, after the first training year', () => {
    expect(outcome.folds).toHaveLength(5);
    expect(outcome.baselines.map((b) => b.name)).toEqual([...BASELINES]);
    expect(outcome.strategy.days).toBe(500);
    for (const b of outcome.baselines) expect(b.days).toBe(500);
    expect(outcome.baselines.find((b) => b.name === 'flat')).toMatchObject({ totalReturnPct: 0, roundTrips: 0 });
    expect(outcome.curves[0]!.dayMs[0]).toBe(input.firstTestMs);
  });

  it('runs on the given market: on spot a short signal is held flat and no interest is paid; margin goes short', () => {
    const shorts = { ...input, grid: [{ allowShort: true }] };
    const margin = runResearch({ ...shorts, market: 'margin' }).configs[0]!.result.trades;
    const spot = runResearch({ ...shorts, market: 'spot' }).configs[0]!.result.trades;
    expect(margin.some((t) => t.side === 'short')).toBe(true);
    expect(margin.reduce((a, t) => a + t.interestJpy, 0)).toBeGreaterThan(0);
    expect(spot.length).toBeGreaterThan(0);
    expect(spot.every((t) => t.side === 'long' && t.interestJpy === 0)).toBe(true);
  });

  it('the hold-out is scored only after the selection period', () => {
    const held = runResearch({ ...input, holdout: true });
    expect(held.phase).toBe('holdout');
    expect(held.curves[0]!.dayMs[0]).toBeGreaterThanOrEqual(input.toMs);
    expect(held.strategy.days).toBe(100);
  });

  it('draws equity and drawdown pictures for the strategy and the baselines, self-contained', () => {
    const html = renderResearchReport(outcome, { phase: outcome.phase });
    expect(html.match(/<svg /g)).toHaveLength(2);
    // equity: strategy + 4 baselines; drawdown: without flat
    expect(html.match(/<polyline /g)).toHaveLength(5 + 4);
    expect(html).not.toMatch(/<script|(?:src|href)=/);
  });
});

describe('trial log', () => {
  const trial = (params: Record<string, unknown>, kind: Trial['kind'] = 'config'): Trial => ({
    atIso: '2026-01-01T00:00:00Z', kind, strategy: 'trend', params, data: { file: 'f', sha256: 'a'.repeat(64), timeframe: '1h', quotePerUsd: 150 },
    period: { from: 'x', to: 'y' }, costs: { takerFeeRate: 0.001, makerFeeRate: 0, slippage: 0.0005, execution: 'taker', interestDaily: 0.0004 }, sizing: 'own', figures: { sharpe: 1 },
  });
  it('counts each configuration once per data file, never baselines', () => {
    const log = [trial({ a: 1, b: 2 }), trial({ b: 2, a: 1 }), trial({ a: 2 }), trial({}, 'baseline'), { ...trial({ a: 3 }), data: { ...trial({}).data, sha256: 'b'.repeat(64) } }];
    expect(trialsForData(log, 'a'.repeat(64))).toHaveLength(2);
  });
});
