import { describe, expect, it } from 'vitest';
import { toOrderAmount } from '../money.js';
import { kellyFraction } from '../performance/kelly.js';
import { TEST_RULES } from '../strategy/test-fixtures.js';
import { flat, hour, LOSE_LONG, P, runScenario, TIGHT, WIN_LONG, type Row } from './scenario.fixture.js';

const FEE_TAKER = TEST_RULES.marginTakerFeeRate;
const FEE_MAKER = TEST_RULES.marginMakerFeeRate;
const ENTER_LONG: Row = [P, P + 100_000, P - 100_000, P, 0.9];
/** Settings that let one limit act alone. */
const ONLY = { maxEntriesPerDay: 100, maxConsecutiveLosses: 100, dailyLossLimit: 1, maxDrawdown: 1 };

describe('backtest scenarios (candle tables with expected trades)', () => {
  it('enters long at the next open and exits at the take-profit as maker', () => {
    // Decision at the close of bar 4 (p 0.9): entry at bar 5's open; stop P - 1.2 x 200,000, take-profit P + 2.4 x 200,000.
    const rows: Row[] = [...flat(4), ENTER_LONG, [P, P + 500_000, P - 50_000, P + 400_000, 0.5], ...flat(2)];
    const { trades, breaches } = runScenario(rows);
    expect(trades).toHaveLength(1);
    const t = trades[0]!;
    expect([t.side, t.amountBtc, t.exitReason, hour(t.entryTimeMs)]).toEqual(['long', '0.0005', 'take-profit', 5]);
    expect([t.entryPriceJpy, t.stopPriceJpy, t.takeProfitPriceJpy, t.exitPriceJpy]).toEqual([
      P,
      P - 240_000,
      P + 480_000,
      P + 480_000,
    ]);
    // Held within hour 5 (UTC): no 00:00 JST passes, so no margin interest.
    const expectedPnl = 0.0005 * 480_000 - 0.0005 * P * FEE_TAKER - 0.0005 * (P + 480_000) * FEE_MAKER;
    expect(t.interestJpy).toBe(0);
    expect(t.pnlJpy).toBeCloseTo(expectedPnl, 6);
    expect(breaches).toEqual([]);
  });

  it('enters short on a low probability and stops out at the stop price plus slippage', () => {
    const rows: Row[] = [
      ...flat(4),
      [P, P + 100_000, P - 100_000, P, 0.1],
      [P, P + 300_000, P - 50_000, P + 200_000, 0.5],
      ...flat(2),
    ];
    const { trades } = runScenario(rows, { slippage: 0.001 });
    const t = trades[0]!;
    expect([t.side, t.exitReason]).toEqual(['short', 'stop']);
    expect(t.entryPriceJpy).toBeCloseTo(P * 0.999, 6);
    expect(t.stopPriceJpy).toBe(P + 240_000);
    expect(t.exitPriceJpy).toBeCloseTo((P + 240_000) * 1.001, 6);
    expect(t.pnlJpy).toBeLessThan(-0.0005 * 240_000);
  });

  it('fills a stop at the gap-open when the market opens through it', () => {
    // Long from bar 5; bar 6 opens at P - 1,000,000, far below the stop P - 240,000.
    const rows: Row[] = [
      ...flat(4),
      ENTER_LONG,
      [P, P + 100_000, P - 100_000, P, 0.5],
      [P - 1_000_000, P - 900_000, P - 1_100_000, P - 950_000, 0.5],
      ...flat(2),
    ];
    const t = runScenario(rows).trades[0]!;
    expect([t.exitReason, t.exitPriceJpy, hour(t.exitTimeMs)]).toEqual(['stop', P - 1_000_000, 6]);
  });

  it('exits on the opposite signal and on the time limit, at the next open', () => {
    const signal: Row[] = [
      ...flat(4),
      ENTER_LONG,
      [P, P + 100_000, P - 100_000, P + 1_000, 0.1],
      [P + 2_000, P + 100_000, P - 100_000, P, 0.5],
      ...flat(2),
    ];
    const a = runScenario(signal).trades[0]!;
    expect([a.exitReason, hour(a.exitTimeMs), a.exitPriceJpy]).toEqual(['signal', 6, P + 2_000]);
    const timed: Row[] = [...flat(4), ENTER_LONG, ...flat(6, 0.55)];
    const b = runScenario(timed, { settings: { maxHoldHours: 3 } }).trades[0]!;
    expect([b.exitReason, hour(b.entryTimeMs), hour(b.exitTimeMs)]).toEqual(['time-limit', 5, 8]);
  });

  it('does not bridge a gap: the position closes at the first bar after it and the planner warms up again', () => {
    const rows: Row[] = [
      ...flat(4),
      ENTER_LONG,
      [P, P + 100_000, P - 100_000, P, 0.9],
      [P + 5_000, P + 100_000, P - 100_000, P, 0.9],
      ...flat(4, 0.9),
      ...flat(2, 0.5),
    ];
    const { result, trades } = runScenario(rows, { gapsAfter: [5] });
    expect(result.gaps).toBe(1);
    expect(result.missingBars).toBe(2);
    expect([trades[0]!.exitReason, trades[0]!.exitPriceJpy]).toEqual(['reconcile', P + 5_000]);
    // After the gap (rows 6..) the planner needs 5 contiguous bars again: next entry decided at row 10, filled at row 11.
    expect(trades).toHaveLength(2);
    expect(result.openTimeMs.indexOf(trades[1]!.entryTimeMs)).toBe(11);
    expect(result.holdCodes['DATA.MISSING_CANDLES']).toBeGreaterThan(0);
  });

  it('at most 3 entries a UTC day', () => {
    // Every bar says long and every position takes profit within its entry bar.
    const rows: Row[] = [...flat(4), ENTER_LONG, ...Array.from({ length: 25 }, () => WIN_LONG)];
    const { trades, breaches, result } = runScenario(rows, { settings: { ...TIGHT, maxEntriesPerDay: 3 } });
    expect(trades.map((t) => [hour(t.entryTimeMs), t.exitReason])).toEqual(
      [5, 6, 7, 24, 25, 26].map((h) => [h, 'take-profit']),
    );
    expect(result.holdCodes['RISK.LIMIT']).toBeGreaterThan(0);
    expect(breaches).toEqual([]);
  });

  it('three consecutive losses pause entries for LOSS_PAUSE_HOURS', () => {
    const rows: Row[] = [...flat(4), ENTER_LONG, ...Array.from({ length: 16 }, () => LOSE_LONG)];
    const { trades, breaches } = runScenario(rows, {
      settings: { ...TIGHT, ...ONLY, maxConsecutiveLosses: 3, lossPauseHours: 5 },
    });
    // Stopped out inside bars 5, 6, 7; the pause runs 5 h from the third exit (just before 08:00), so the next entry is at 13:00;
    // that one loses too, so the last three are still losses: paused again until just before 19:00.
    expect(trades.map((t) => [hour(t.entryTimeMs), t.exitReason])).toEqual([5, 6, 7, 13, 19].map((h) => [h, 'stop']));
    expect(breaches).toEqual([]);
  });

  it('daily loss 3 % stops entries for the rest of the UTC day', () => {
    // Position value capped at the equity (kellyMaxFraction 1): each stop loses 1.2-1.7 % with fees; the third passes 3 %.
    const rows: Row[] = [...flat(4), ENTER_LONG, ...Array.from({ length: 12 }, () => LOSE_LONG)];
    const { trades, breaches, result } = runScenario(rows, {
      settings: {
        ...TIGHT,
        ...ONLY,
        dailyLossLimit: 0.03,
        riskPerTrade: 0.02,
        maxPositionBtc: 10,
        kellyMaxFraction: 1,
      },
    });
    expect(trades.map((t) => hour(t.entryTimeMs))).toEqual([5, 6, 7]);
    const lost = (n: number) => -trades.slice(0, n).reduce((s, t) => s + t.pnlJpy, 0) / 1_000_000;
    expect(lost(2)).toBeLessThan(0.03);
    expect(lost(3)).toBeGreaterThanOrEqual(0.03);
    expect(trades.every((t) => t.exitReason === 'stop')).toBe(true);
    expect(result.holdCodes['RISK.LIMIT']).toBeGreaterThan(0);
    expect(breaches).toEqual([]);
  });

  it('the drawdown breaker sets the kill switch and nothing enters after it', () => {
    const rows: Row[] = [...flat(4), ENTER_LONG, ...Array.from({ length: 20 }, () => LOSE_LONG)];
    const { trades, result, breaches } = runScenario(rows, {
      settings: { ...TIGHT, ...ONLY, maxDrawdown: 0.04, riskPerTrade: 0.02, maxPositionBtc: 10, kellyMaxFraction: 1 },
    });
    // Each stop loses 1.2-1.7 % with fees: after the third the equity is more than 4 % below the peak.
    expect(trades).toHaveLength(3);
    expect(result.equityJpy[result.openTimeMs.indexOf(trades[1]!.entryTimeMs)]!).toBeGreaterThan(960_000);
    expect(result.killSwitchAtMs).toBe(trades[2]!.exitTimeMs + 1);
    expect(result.holdCodes['RISK.KILL_SWITCH']).toBeGreaterThan(1);
    expect(breaches).toEqual([]);
  });

  it('Kelly warm-up: capped at 5 % of equity until 10 trades, then by the fractional Kelly of the last 30', () => {
    // Win, win, lose, win, lose, ...: a small positive edge after fees. Large risk budget so that only Kelly binds.
    const pattern = [WIN_LONG, WIN_LONG, LOSE_LONG, WIN_LONG, LOSE_LONG];
    const rows: Row[] = [...flat(4), ENTER_LONG, ...Array.from({ length: 14 }, (_, i) => pattern[i % pattern.length]!)];
    const settings = {
      ...TIGHT,
      ...ONLY,
      riskPerTrade: 0.05,
      maxPositionBtc: 10,
      kellyMaxFraction: 0.05,
      kellyFraction: 0.25,
    };
    const { trades, breaches, result } = runScenario(rows, { settings });
    expect(trades.length).toBeGreaterThanOrEqual(12);
    const capped = (t: (typeof trades)[number], fraction: number) =>
      toOrderAmount((fraction * result.equityJpy[t.decisionBar]!) / t.decisionPriceJpy, TEST_RULES);
    for (const t of trades.slice(0, 10)) expect(t.amountBtc).toBe(capped(t, 0.05));
    for (const [i, t] of trades.slice(10).entries()) {
      const k = kellyFraction(
        trades
          .slice(0, 10 + i)
          .slice(-30)
          .map((x) => x.pnlJpy),
      )!;
      expect(k * 0.25).toBeGreaterThan(0);
      expect(k * 0.25).toBeLessThan(0.05);
      expect(t.amountBtc).toBe(capped(t, k * 0.25));
    }
    expect(Number(trades[10]!.amountBtc)).toBeLessThan(Number(trades[9]!.amountBtc));
    expect(breaches).toEqual([]);
  });

  it('Kelly <= 0 after the warm-up: probes at the exchange minimum (or holds when so set)', () => {
    const pattern = [WIN_LONG, LOSE_LONG, LOSE_LONG];
    const rows: Row[] = [...flat(4), ENTER_LONG, ...Array.from({ length: 12 }, (_, i) => pattern[i % pattern.length]!)];
    const settings = { ...TIGHT, ...ONLY, riskPerTrade: 0.05, maxPositionBtc: 10, kellyMaxFraction: 0.05 };
    const probe = runScenario(rows, { settings });
    expect(probe.trades.slice(10).map((t) => t.amountBtc)).toEqual(probe.trades.slice(10).map(() => '0.0001'));
    expect(probe.trades.length).toBeGreaterThan(10);
    const hold = runScenario(rows, { settings: { ...settings, kellyNonPositive: 'hold' } });
    expect(hold.trades).toHaveLength(10);
    expect(probe.breaches).toEqual([]);
  });

  it('sizing at the lot edge: exactly the minimum trades, a hair below holds', () => {
    // Kelly's 5 % cap binds: 0.05 x 20,000 JPY / 10,000,000 JPY = 0.0001 BTC, the exchange minimum.
    const rows: Row[] = [...flat(4), ENTER_LONG, ...flat(3)];
    expect(runScenario(rows, { equityJpy: 20_000 }).trades.map((t) => t.amountBtc)).toEqual(['0.0001']);
    expect(runScenario(rows, { equityJpy: 19_999 }).trades).toEqual([]);
  });
});
