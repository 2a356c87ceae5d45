import { describe, expect, it } from 'vitest';
import { HOUR_MS, type Candle } from '../../shared/core/candle.js';
import { DEFAULT_STRATEGY_SETTINGS } from '../../shared/core/strategy/index.js';
import { renderReport } from './report.js';
import { runBacktestCli } from './run.js';

// A deterministic wavy market, 1,900 hourly bars at JPY levels.
const candles: Candle[] = Array.from({ length: 1_900 }, (_, i) => {
  const price = (k: number) => 10_000_000 * (1 + 0.03 * Math.sin(k / 11) + 0.02 * Math.sin(k / 37) + 0.01 * Math.cos(k / 5.3));
  const open = price(i);
  const close = price(i + 1);
  return { openTimeMs: Date.UTC(2021, 0, 1) + i * HOUR_MS, open, high: Math.max(open, close) * 1.002, low: Math.min(open, close) * 0.998, close, volume: 5 + (i % 7) };
});

describe('runBacktestCli (walk-forward, no model file)', () => {
  const run = runBacktestCli({ candles, macro: undefined, settings: DEFAULT_STRATEGY_SETTINGS, equityJpy: 100_000, slippage: 0.0005, seed: 1 });

  it('prints every figure the issue names, with the baselines', () => {
    for (const key of ['bars', 'trades', 'winRate', 'totalReturnPct', 'buyHoldReturnPct', 'sharpe', 'sortino', 'maxDrawdownPct', 'profitFactor', 'exposurePct', 'feesJpy', 'interestJpy', 'maxPositionBtc', 'maxEntriesInADay', 'riskLimitBreaches', 'equityJpy', 'baselines']) {
      expect(run.summary).toHaveProperty(key);
    }
    expect(run.summary.riskLimitBreaches).toBe(0);
    expect(run.baselines.alwaysFlat.summary.totalReturnPct).toBe(0);
    expect(run.summary.model).toMatchObject({ kind: 'walk-forward' });
  });

  it('never trades a bar that no out-of-sample model predicted (the first 1,000 + gap bars train only)', () => {
    expect(run.result.trades.length).toBeGreaterThan(0);
    const firstDecision = Math.min(...run.result.trades.map((t) => t.decisionTimeMs));
    expect(firstDecision).toBeGreaterThan(candles[1_000]!.openTimeMs);
    expect(run.result.holdCodes['MODEL.MISSING']).toBeGreaterThan(1_000);
  });

  it('renders one self-contained HTML page with the chart library inlined', () => {
    const html = renderReport(run, run.summary);
    expect(html).toContain('LightweightCharts');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).toContain('"markers":[');
  });
});
