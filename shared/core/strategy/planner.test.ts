import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../candle.js';
import type { OpenPosition, PlanInput } from '../plan.js';
import { candlesFromCloses, NORMAL_MARGIN, planInput } from './test-fixtures.js';
import { createPlanner, signalSide } from './planner.js';
import { DEFAULT_STRATEGY_SETTINGS } from './settings.js';
import { NO_BASE_RATE_REASON, predictionSignal, type ProbabilityModel } from './signal.js';

const START = Date.UTC(2024, 2, 1);
// 200 hourly bars alternating around 10,000,000 JPY with a fixed range: ATR and volatility are stable.
const closes = Array.from({ length: 200 }, (_, i) => 10_000_000 + (i % 2 === 0 ? 20_000 : -20_000));
const candles = candlesFromCloses(closes, START, 10_000);
const nowMs = START + 200 * HOUR_MS;
const fixed = (p: number, baseRate: number | undefined = 0.5): ProbabilityModel => ({
  baseRate,
  predictProbabilityUp: () => p,
});
const features = () => ({ ok: true as const, features: { x: 1 } });
const input = (over: Partial<PlanInput> = {}): PlanInput => planInput(nowMs, candles, over);
const planner = (p: number, baseRate?: number) =>
  createPlanner({ settings: DEFAULT_STRATEGY_SETTINGS, model: fixed(p, baseRate), features });
const long: OpenPosition = {
  side: 'long',
  amountBtc: '0.0005',
  entryPriceJpy: 10_000_000,
  entryTimeMs: nowMs - 2 * HOUR_MS,
  stopPriceJpy: 9_900_000,
  takeProfitPriceJpy: 10_200_000,
};

describe('createPlanner', () => {
  it('enters long above 0.5 + threshold with stop and take-profit on the tick grid', () => {
    const plan = planner(0.6)(input());
    expect(plan.action).toBe('enter');
    if (plan.action !== 'enter') return;
    // ATR: every true range is 40,000 + 2 x 10,000 = 60,000; the last close is 9,980,000.
    expect([plan.side, plan.amountBtc, plan.stopPriceJpy, plan.takeProfitPriceJpy]).toEqual([
      'long',
      '0.0005',
      '9908000',
      '10124000',
    ]);
  });

  it('holds inside the band, enters short below it', () => {
    expect(planner(0.54)(input()).action).toBe('hold');
    const short = planner(0.4)(input());
    expect(short.action === 'enter' && short.side).toBe('short');
  });

  it('widens the threshold with the VIX level known at the bar close', () => {
    const vix = (value: number) => ({ vix: { name: 'vix' as const, points: [{ date: '2024-03-08', value }] } });
    expect(planner(0.56)(input({ macro: vix(15) })).action).toBe('enter');
    // VIX 30 = 1.5 x the calm level 20: the threshold grows from 0.05 to 0.075.
    expect(planner(0.56)(input({ macro: vix(30) })).action).toBe('hold');
    expect(planner(0.58)(input({ macro: vix(30) })).action).toBe('enter');
  });

  it('holds with a DATA code when the candles cannot give an ATR (no fallback constant)', () => {
    const plan = planner(0.9)(input({ candles: candles.slice(-20) }));
    expect(plan).toMatchObject({ action: 'hold', blockedBy: 'DATA.MISSING_CANDLES' });
    const gapped = [...candles.slice(0, 150), ...candles.slice(151)];
    expect(planner(0.9)(input({ candles: gapped }))).toMatchObject({
      action: 'hold',
      blockedBy: 'DATA.MISSING_CANDLES',
    });
  });

  it('blocks entries by margin status, circuit break and the kill switch, with their codes', () => {
    expect(planner(0.9)(input({ marginStatus: { ...NORMAL_MARGIN, status: 'CALL' } }))).toMatchObject({
      action: 'hold',
      blockedBy: 'RISK.LIMIT',
    });
    expect(planner(0.9)(input({ circuitBreak: 'CIRCUIT_BREAK' }))).toMatchObject({
      action: 'hold',
      blockedBy: 'EXCHANGE.CIRCUIT_BREAK',
    });
    expect(planner(0.9)(input({ killSwitch: true }))).toMatchObject({ action: 'hold', blockedBy: 'RISK.KILL_SWITCH' });
    expect(planner(0.5)(input({ equityJpy: 800_000, equityPeakJpy: 1_000_000 }))).toMatchObject({
      action: 'hold',
      blockedBy: 'RISK.KILL_SWITCH',
    });
  });

  it('never blocks exits: an opposite signal exits during a circuit break, a CALL, and with the kill switch set', () => {
    const plan = planner(0.2)(
      input({
        position: long,
        circuitBreak: 'CIRCUIT_BREAK',
        killSwitch: true,
        marginStatus: { ...NORMAL_MARGIN, status: 'CALL' },
      }),
    );
    expect(plan).toMatchObject({ action: 'exit', reason: 'signal' });
  });

  it('exits on the time limit and when the close is already beyond the stop', () => {
    expect(planner(0.6)(input({ position: { ...long, entryTimeMs: nowMs - 12 * HOUR_MS } }))).toMatchObject({
      action: 'exit',
      reason: 'time-limit',
    });
    expect(planner(0.6)(input({ position: { ...long, stopPriceJpy: 9_990_000 } }))).toMatchObject({
      action: 'exit',
      reason: 'stop',
    });
    expect(planner(0.6)(input({ position: long }))).toMatchObject({ action: 'hold' });
  });

  it("holds with STRATEGY.FAILED when the model gives nonsense, and with the lookup's code when features are missing", () => {
    expect(planner(Number.NaN)(input())).toMatchObject({ action: 'hold', blockedBy: 'STRATEGY.FAILED' });
    const missing = createPlanner({
      settings: DEFAULT_STRATEGY_SETTINGS,
      model: fixed(0.9),
      features: () => ({ ok: false, code: 'DATA.MACRO_STALE', reason: 'vix stale' }),
    });
    expect(missing(input())).toMatchObject({ action: 'hold', blockedBy: 'DATA.MACRO_STALE' });
  });

  it('holds with a reason when the size is below the exchange minimum', () => {
    const plan = planner(0.9)(input({ equityJpy: 10_000, equityPeakJpy: 10_000 }));
    expect(plan.action).toBe('hold');
    expect(plan.reasons.join(' ')).toContain('below the exchange minimum');
  });
});

describe("the threshold is centred on the model's base rate (its share of up labels), not on 0.5", () => {
  // The calm market above gives threshold 0.05; the model was trained where 40 % of the labels were "up".
  const short: OpenPosition = { ...long, side: 'short', stopPriceJpy: 10_100_000, takeProfitPriceJpy: 9_800_000 };
  const side = (p: number, baseRate: number) => {
    const plan = planner(p, baseRate)(input());
    return plan.action === 'enter' ? plan.side : plan.action;
  };

  it('a no-skill probability (= the base rate) is no signal; 0.5 centring would have read it as a short', () => {
    expect(side(0.4, 0.4)).toBe('hold');
    expect(side(0.4, 0.5)).toBe('short');
  });

  it('long at base rate + threshold and above, short at base rate - threshold and below, hold between', () => {
    expect(side(0.46, 0.4)).toBe('long'); // below 0.5 + 0.05, yet well above what no skill says
    expect(side(0.44, 0.4)).toBe('hold');
    expect(side(0.36, 0.4)).toBe('hold');
    expect(side(0.34, 0.4)).toBe('short');
    expect(side(0.58, 0.6)).toBe('hold'); // a model trained on a rising market: 0.58 is below its base rate
    expect(side(0.54, 0.6)).toBe('short');
    expect(planner(0.46, 0.4)(input()).reasons[0]).toContain('base rate 0.4000 +-0.0500');
  });

  it('signalSide: the band edges belong to the signal', () => {
    expect(signalSide(0.375, 0.25, 0.125)).toBe('long');
    expect(signalSide(0.125, 0.25, 0.125)).toBe('short');
    expect(signalSide(0.374, 0.25, 0.125)).toBeUndefined();
    expect(signalSide(0.126, 0.25, 0.125)).toBeUndefined();
  });

  it('the opposite-signal exit uses the same centre, for longs and shorts', () => {
    expect(planner(0.36, 0.4)(input({ position: long }))).toMatchObject({ action: 'hold' });
    expect(planner(0.34, 0.4)(input({ position: long }))).toMatchObject({ action: 'exit', reason: 'signal' });
    expect(planner(0.44, 0.4)(input({ position: short }))).toMatchObject({ action: 'hold' });
    expect(planner(0.46, 0.4)(input({ position: short }))).toMatchObject({ action: 'exit', reason: 'signal' });
  });

  it('a model without a base rate (an old artifact) opens nothing (MODEL.MISSING); stops still exit an open position', () => {
    const old = (p: number): ProbabilityModel => ({ baseRate: undefined, predictProbabilityUp: () => p });
    const legacy = createPlanner({ settings: DEFAULT_STRATEGY_SETTINGS, model: old(0.9), features });
    expect(legacy(input())).toMatchObject({
      action: 'hold',
      blockedBy: 'MODEL.MISSING',
      reasons: [NO_BASE_RATE_REASON],
    });
    expect(legacy(input({ position: { ...long, stopPriceJpy: 9_990_000 } }))).toMatchObject({
      action: 'exit',
      reason: 'stop',
    });
    expect(
      createPlanner({ settings: DEFAULT_STRATEGY_SETTINGS, model: old(0.1), features })(input({ position: long })),
    ).toMatchObject({ action: 'hold', blockedBy: 'MODEL.MISSING' });
  });

  it('precomputed predictions carry the base rate of the model that made each one (walk-forward folds differ)', () => {
    const last = candles[candles.length - 1]!.openTimeMs;
    const withRate = (rate: number | undefined) =>
      createPlanner({
        settings: DEFAULT_STRATEGY_SETTINGS,
        signal: predictionSignal(
          (ms) => (ms === last ? 0.46 : undefined),
          (ms) => (ms === last ? rate : undefined),
        ),
      });
    expect(withRate(0.4)(input())).toMatchObject({ action: 'enter', side: 'long' });
    expect(withRate(0.45)(input())).toMatchObject({ action: 'hold' });
    expect(withRate(undefined)(input())).toMatchObject({ action: 'hold', blockedBy: 'MODEL.MISSING' });
    expect(withRate(Number.NaN)(input())).toMatchObject({ action: 'hold', blockedBy: 'MODEL.MISSING' });
    expect(withRate(1)(input())).toMatchObject({ action: 'hold', blockedBy: 'STRATEGY.FAILED' });
  });
});
