import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, type Candle } from '../../shared/core/candle.js';
import { computeFeatureMatrix, NON_MACRO_FEATURE_NAMES } from '../../shared/core/features/index.js';
import { artifactChecksum, trainModel, type ModelArtifact } from '../../shared/core/model/index.js';
import { DEFAULT_STRATEGY_SETTINGS } from '../../shared/core/strategy/index.js';
import { BITBANK_BTC_JPY } from '../../shared/core/market-rules.js';
import { renderReport } from './report.js';
import { runBacktestCli } from './run.js';

// A deterministic wavy market, 1,900 hourly bars at JPY levels.
const candles: Candle[] = Array.from({ length: 1_900 }, (_, i) => {
  const price = (k: number) =>
    10_000_000 * (1 + 0.03 * Math.sin(k / 11) + 0.02 * Math.sin(k / 37) + 0.01 * Math.cos(k / 5.3));
  const open = price(i);
  const close = price(i + 1);
  return {
    openTimeMs: Date.UTC(2021, 0, 1) + i * HOUR_MS,
    open,
    high: Math.max(open, close) * 1.002,
    low: Math.min(open, close) * 0.998,
    close,
    volume: 5 + (i % 7),
  };
});

describe('runBacktestCli (walk-forward, no model file)', () => {
  const run = runBacktestCli({
    candles,
    macro: undefined,
    settings: DEFAULT_STRATEGY_SETTINGS,
    equityJpy: 100_000,
    slippage: 0.0005,
    seed: 1,
  });

  it('prints every figure the issue names, with the baselines', () => {
    for (const key of [
      'bars',
      'trades',
      'winRate',
      'totalReturnPct',
      'buyHoldReturnPct',
      'sharpe',
      'sortino',
      'maxDrawdownPct',
      'profitFactor',
      'exposurePct',
      'feesJpy',
      'interestJpy',
      'maxPositionBtc',
      'maxEntriesInADay',
      'riskLimitBreaches',
      'equityJpy',
      'baselines',
    ]) {
      expect(run.summary).toHaveProperty(key);
    }
    expect(run.summary.riskLimitBreaches).toBe(0);
    expect(run.baselines.alwaysFlat.summary.totalReturnPct).toBe(0);
    expect(run.summary.model).toMatchObject({ kind: 'walk-forward' });
  });

  it('reports costs: fees by liquidity, interest, maker fill rate and cost per round trip, for each execution setting, and the rates used', () => {
    for (const key of [
      'makerFeesJpy',
      'takerFeesJpy',
      'interestJpy',
      'makerFillRate',
      'costPerRoundTripPct',
      'costs',
      'byMarket',
    ])
      expect(run.summary).toHaveProperty(key);
    expect(run.summary.costs).toMatchObject({
      execution: 'taker',
      makerFeeRate: BITBANK_BTC_JPY.marginMakerFeeRate,
      takerFeeRate: BITBANK_BTC_JPY.marginTakerFeeRate,
      source: expect.stringContaining('2026-02-02'),
    });
    const margin = (
      run.summary.byMarket as {
        margin: Record<
          string,
          { trades: number; makerFillRate: number | null; feesJpy: { maker: number; taker: number } }
        >;
      }
    ).margin;
    expect(Object.keys(margin).sort()).toEqual(['maker-only', 'maker-then-taker', 'taker']);
    expect(margin.taker).toMatchObject({ trades: run.summary.trades, makerFillRate: null, feesJpy: { maker: 0 } });
    expect(margin['maker-then-taker']!.makerFillRate).toBeGreaterThan(0);
    expect(margin['maker-then-taker']!.makerFillRate).toBeLessThan(1);
    expect(margin['maker-only']!.feesJpy.taker).toBeGreaterThan(0); // stops are taker whatever the execution
  });

  it('never trades a bar that no out-of-sample model predicted (the first 1,000 + gap bars train only)', () => {
    expect(run.result.trades.length).toBeGreaterThan(0);
    const firstDecision = Math.min(...run.result.trades.map((t) => t.decisionTimeMs));
    expect(firstDecision).toBeGreaterThan(candles[1_000]!.openTimeMs);
    expect(run.result.holdCodes['MODEL.MISSING']).toBeGreaterThan(1_000);
  });

  it('centres each bar on the base rate of the fold model that predicted it, and shows the sides apart', () => {
    const model = run.summary.model as { baseRate: { min: number; mean: number; max: number } };
    expect(model.baseRate.min).toBeGreaterThan(0);
    expect(model.baseRate.max).toBeLessThan(1);
    expect(model.baseRate.min).toBeLessThanOrEqual(model.baseRate.mean);
    expect(model.baseRate.mean).toBeLessThanOrEqual(model.baseRate.max);
    const bySide = run.summary.bySide as Record<'long' | 'short', { trades: number }>;
    expect(bySide.long.trades + bySide.short.trades).toBe(run.result.trades.length);
    expect(bySide.long.trades).toBe(run.result.trades.filter((t) => t.side === 'long').length);
  });

  it('renders one self-contained HTML page with the chart library inlined', () => {
    const html = renderReport(run, run.summary);
    expect(html).toContain('LightweightCharts');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).toContain('"markers":[');
  });
});

describe('runBacktestCli with a model file', () => {
  const matrix = computeFeatureMatrix(candles, undefined);
  const ensemble = { trees: 4, rowsPerTree: 100, featuresPerTree: 4, maxDepth: 3, minLeafRows: 15, logisticSteps: 10 };
  const artifact = trainModel(
    matrix,
    candles.map((c) => c.close),
    { featureNames: NON_MACRO_FEATURE_NAMES, fromRow: 300, toRow: 1_200, seed: 1, createdAtMs: 0, ensemble },
  );
  const fromMs = candles[1_300]!.openTimeMs;
  const options = {
    candles,
    macro: undefined,
    fromMs,
    settings: DEFAULT_STRATEGY_SETTINGS,
    equityJpy: 100_000,
    slippage: 0.0005,
    seed: 1,
  };

  it("centres on the artifact's base rate", () => {
    const run = runBacktestCli({ ...options, modelArtifact: artifact });
    expect(run.summary.model).toMatchObject({
      kind: 'fixed',
      baseRate: Number((artifact.baseRate as number).toFixed(4)),
    });
  });

  it('refuses an artifact from before the base rate was recorded instead of guessing a centre', () => {
    const { baseRate: _dropped, ...legacy } = artifact;
    const sealed: ModelArtifact = { ...legacy, checksum: artifactChecksum(legacy) };
    expect(() => runBacktestCli({ ...options, modelArtifact: sealed })).toThrow(/records no base rate/);
  });
});

describe('runBacktestCli with another strategy and daily candles', () => {
  // 400 daily bars: a rise, a fall, a rise (the trend strategy must be in, out, in).
  const closes = Array.from(
    { length: 400 },
    (_, i) => 10_000_000 * Math.exp(0.004 * (i < 150 ? i : i < 250 ? 300 - i : i - 200)) * (i % 2 ? 1.01 : 0.99),
  );
  const daily: Candle[] = closes.map((close, i) => {
    const open = i === 0 ? close : closes[i - 1]!;
    return {
      openTimeMs: Date.UTC(2020, 0, 1) + i * DAY_MS,
      open,
      high: Math.max(open, close) * 1.01,
      low: Math.min(open, close) * 0.99,
      close,
      volume: 1,
    };
  });

  it("runs trend on 1d bars and reports the issue's figures against buy-and-hold", () => {
    const run = runBacktestCli({
      candles: daily,
      macro: undefined,
      settings: { ...DEFAULT_STRATEGY_SETTINGS, riskPerTrade: 1, maxPositionBtc: 100, kellyMaxFraction: 1 },
      equityJpy: 10_000_000,
      slippage: 0.0005,
      seed: 1,
      strategy: 'trend',
      barMs: DAY_MS,
    });
    for (const key of [
      'sharpe',
      'buyHoldSharpe',
      'maxDrawdownPct',
      'buyHoldMaxDrawdownPct',
      'roundTripsPerMonth',
      'exposurePct',
    ])
      expect(typeof run.summary[key]).toBe('number');
    expect(run.summary).toMatchObject({ strategy: 'trend', timeframe: '1d', model: { kind: 'none' } });
    expect(run.result.trades.length).toBeGreaterThan(0);
    expect(run.result.trades.every((t) => t.side === 'long')).toBe(true);
    // out during the fall
    expect(run.result.inPosition[240]).toBe(0);
    expect(run.summary.riskLimitBreaches).toBe(0);
  });

  it('BOT_MARKET=spot: the JSON says which market, spot fee rates, no interest; margin is long and short with interest', () => {
    const options = {
      candles: daily,
      macro: undefined,
      settings: { ...DEFAULT_STRATEGY_SETTINGS, riskPerTrade: 1, maxPositionBtc: 100, kellyMaxFraction: 1 },
      equityJpy: 10_000_000,
      slippage: 0.0005,
      seed: 1,
      strategy: 'trend',
      barMs: DAY_MS,
    } as const;
    const spot = runBacktestCli({ ...options, market: 'spot' });
    expect(spot.summary.costs).toMatchObject({
      market: 'spot',
      sides: 'long or flat',
      makerFeeRate: BITBANK_BTC_JPY.makerFeeRate,
      takerFeeRate: BITBANK_BTC_JPY.takerFeeRate,
      marginInterestDaily: null,
    });
    expect(spot.result.trades.length).toBeGreaterThan(0);
    expect(spot.result.trades.every((t) => t.side === 'long')).toBe(true);
    expect([spot.result.interestJpy, spot.summary.interestJpy]).toEqual([0, 0]);
    const byMarket = spot.summary.byMarket as Record<'margin' | 'spot', Record<string, { interestJpy: number }>>;
    expect(Object.keys(byMarket).sort()).toEqual(['margin', 'spot']);
    expect(Object.keys(byMarket.spot).sort()).toEqual(['maker-only', 'maker-then-taker', 'taker']);
    expect(byMarket.spot.taker!.interestJpy).toBe(0);
    expect(byMarket.margin.taker!.interestJpy).toBeGreaterThan(0);
    expect(runBacktestCli(options).summary.costs).toMatchObject({ market: 'margin', sides: 'long and short' });
  });
});
