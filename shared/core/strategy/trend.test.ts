import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '../candle.js';
import type { OpenPosition } from '../plan.js';
import { candlesFromCloses, planInput, trade } from './test-fixtures.js';
import { DEFAULT_STRATEGY_SETTINGS } from './settings.js';
import { strategyPlanner } from './target.js';
import { dailyCloses, lastDecisionMs, trendStrategy, trendView } from './trend.js';

const START = Date.UTC(2024, 0, 1);
/** Hourly closes with a daily log drift and a +-1 % day-to-day zig-zag (so the volatility is known and not zero). */
const hourly = (days: number, dailyDrift: number) =>
  Array.from(
    { length: days * 24 },
    (_, i) => 10_000_000 * Math.exp((dailyDrift * i) / 24) * (Math.floor(i / 24) % 2 === 0 ? 1.01 : 0.99),
  );
const at = (candles: ReturnType<typeof candlesFromCloses>, n: number) =>
  planInput(START + n * HOUR_MS, candles.slice(0, n));

describe('trend strategy', () => {
  it('goes long in a steady rise, sized to the volatility target and capped at no leverage', () => {
    const candles = candlesFromCloses(hourly(80, 0.01), START);
    const n = 70 * 24;
    const t = trendStrategy().decide(at(candles, n));
    expect(t.side).toBe('long');
    const view = trendView(candles.slice(0, n), HOUR_MS, START + n * HOUR_MS, { ...trendDefaults() });
    expect(view?.score).toBe(1);
    expect(t.sizeFraction).toBeCloseTo(Math.min(1, 0.4 / ((view?.dailyVol ?? 0) * Math.sqrt(365))), 9);
    expect(t.stopPriceJpy).toBeLessThan(candles[n - 1]!.close * (1 - 4 * (view?.dailyVol ?? 0)));
  });

  it('is flat in a steady fall (long-or-flat), short when shorts are allowed', () => {
    const candles = candlesFromCloses(hourly(80, -0.01), START);
    expect(trendStrategy().decide(at(candles, 70 * 24)).side).toBe('flat');
    expect(trendStrategy({ allowShort: true }).decide(at(candles, 70 * 24)).side).toBe('short');
  });

  it('decides once a day: the target is the same at every hour until the next decision hour', () => {
    const closes = hourly(80, 0.01);
    // From day 60 the price falls hard: the decision at 00:00 UTC of day 61 sees it, the hours before do not.
    for (let i = 60 * 24 + 1; i < closes.length; i += 1) closes[i] = closes[i - 1]! * 0.985;
    const candles = candlesFromCloses(closes, START);
    const s = trendStrategy({ decisionHourUtc: 0 });
    const sizes = [60 * 24 + 2, 60 * 24 + 12, 60 * 24 + 23].map((n) => s.decide(at(candles, n)).sizeFraction);
    expect(new Set(sizes).size).toBe(1);
    expect(sizes[0]).toBeGreaterThan(0);
    expect(s.decide(at(candles, 61 * 24)).sizeFraction).toBeLessThan(sizes[0]! / 2);
  });

  it('keeps a held position inside the rebalance band and resizes outside it only at the decision bar', () => {
    const candles = candlesFromCloses(hourly(80, 0.01), START);
    const n = 70 * 24;
    const input = at(candles, n);
    const target = trendStrategy().decide(input).sizeFraction;
    const held = (fraction: number): OpenPosition => ({
      side: 'long',
      amountBtc: ((fraction * input.equityJpy) / candles[n - 1]!.close).toFixed(4),
      entryPriceJpy: 1,
      entryTimeMs: START,
      stopPriceJpy: 1,
      takeProfitPriceJpy: 1e12,
    });
    const planner = strategyPlanner(trendStrategy(), {
      ...DEFAULT_STRATEGY_SETTINGS,
      riskPerTrade: 1,
      maxPositionBtc: 100,
      kellyMaxFraction: 1,
    });
    expect(planner({ ...input, position: held(target * 1.2) }).action).toBe('hold');
    expect(planner({ ...input, position: held(target * 0.3) })).toMatchObject({ action: 'exit', reason: 'signal' });
    expect(planner({ ...at(candles, n + 5), position: held(target * 0.3) }).action).toBe('hold');
  });

  it('after a stop it waits for the next decision instead of buying back at once', () => {
    const candles = candlesFromCloses(hourly(80, 0.01), START);
    const n = 70 * 24 + 5;
    const stopped = trade(-1000, START + (n - 2) * HOUR_MS, { exitReason: 'stop' });
    expect(trendStrategy().decide({ ...at(candles, n), closedTrades: [stopped] }).side).toBe('flat');
    expect(trendStrategy().decide({ ...at(candles, 71 * 24), closedTrades: [stopped] }).side).toBe('long');
  });

  it('holds with DATA.MISSING_CANDLES when a whole day is missing or the history is too short', () => {
    const candles = candlesFromCloses(hourly(80, 0.01), START);
    const gapped = [...candles.slice(0, 40 * 24), ...candles.slice(42 * 24, 70 * 24)];
    expect(dailyCloses(gapped, HOUR_MS, lastDecisionMs(START + 70 * 24 * HOUR_MS, 0), 52)).toBeUndefined();
    expect(trendStrategy().decide(planInput(START + 70 * 24 * HOUR_MS, gapped)).blockedBy).toBe('DATA.MISSING_CANDLES');
    expect(trendStrategy().decide(at(candles, 30 * 24)).blockedBy).toBe('DATA.MISSING_CANDLES');
  });

  it('reads daily candles the same way (one close per day)', () => {
    const daily = candlesFromCloses(
      Array.from({ length: 80 }, (_, i) => 10_000_000 * Math.exp(0.01 * i) * (i % 2 ? 0.99 : 1.01)),
      START,
    ).map((c, i) => ({ ...c, openTimeMs: START + i * DAY_MS }));
    const t = trendStrategy({}, DAY_MS).decide(planInput(START + 70 * DAY_MS, daily.slice(0, 70)));
    expect(t.side).toBe('long');
  });
});

function trendDefaults() {
  return {
    decisionHourUtc: 0,
    lookbacksDays: [10, 20, 30, 40, 50],
    signals: ['tsmom', 'donchian'] as const,
    targetVolAnnual: 0.4,
    maxFraction: 1,
    volLookbackDays: 30,
    rebalanceBand: 0.5,
    allowShort: false,
    stopDailyVols: 5,
  };
}

describe('trend under the sizing caps (through strategyPlanner)', () => {
  it('does not churn a position the caps hold below the target: the band compares with the size the caps allow', () => {
    const candles = candlesFromCloses(hourly(80, 0.01), START);
    const n = 70 * 24;
    const input = at(candles, n);
    const capped = { ...DEFAULT_STRATEGY_SETTINGS, maxPositionBtc: 0.0005, riskPerTrade: 1, kellyMaxFraction: 1 };
    const planner = strategyPlanner(trendStrategy(), capped);
    expect(planner(input)).toMatchObject({ action: 'enter', amountBtc: '0.0005' });
    const held: OpenPosition = {
      side: 'long',
      amountBtc: '0.0005',
      entryPriceJpy: candles[n - 30]!.close,
      entryTimeMs: START,
      stopPriceJpy: 1,
      takeProfitPriceJpy: 1e12,
    };
    // at the decision bar: the strategy wants about half the equity, the caps allow 0.0005 BTC, which is held
    expect(input.nowMs % DAY_MS).toBe(0);
    expect(planner({ ...input, position: held })).toMatchObject({ action: 'hold' });
    // a position far below what the caps allow is resized (closed, reopened at the next bar)
    expect(
      strategyPlanner(trendStrategy(), { ...capped, maxPositionBtc: 0.01 })({ ...input, position: held }),
    ).toMatchObject({ action: 'exit', reason: 'signal' });
  });
});
