import type { Candle } from '../candle.js';
import { HOUR_MS } from '../candle.js';
import { createPlanner } from '../strategy/planner.js';
import { DEFAULT_STRATEGY_SETTINGS, type StrategySettings } from '../strategy/settings.js';
import { predictionSignal } from '../strategy/signal.js';
import { TEST_RULES } from '../strategy/test-fixtures.js';
import { auditBacktest } from './audit.js';
import { runBacktest } from './engine.js';
import type { BacktestOptions } from './types.js';

/** A scenario row: open, high, low, close (JPY) and the probability given at that bar's close. */
export type Row = readonly [number, number, number, number, number?];

export const T0 = Date.UTC(2024, 0, 10, 0);
export const P = 10_000_000;
/** Flat warm-up bars: open = close = P, range +-100,000 (ATR 200,000). */
export const flat = (n: number, p = 0.5): Row[] =>
  Array.from({ length: n }, () => [P, P + 100_000, P - 100_000, P, p] as const);
/** With stop and take-profit at 0.5 ATR (ATR between 200,000 and 350,000), a bar that takes profit and one that stops out, either side. */
export const WIN_LONG: Row = [P, P + 300_000, P - 50_000, P, 0.9];
export const LOSE_LONG: Row = [P, P + 50_000, P - 300_000, P, 0.9];
export const TIGHT = { atrStopMultiple: 0.5, takeProfitAtrMultiple: 0.5 };

/** Short windows so that a scenario needs only 5 warm-up bars. */
export const SCENARIO_SETTINGS: StrategySettings = {
  ...DEFAULT_STRATEGY_SETTINGS,
  atrPeriodBars: 3,
  volWindowBars: 3,
  referenceWindowBars: 4,
};

/** The scenario tables' probabilities are written around 0.5: the model they stand for has a base rate of 0.5. */
export const SCENARIO_BASE_RATE = 0.5;

export function runScenario(
  rows: readonly Row[],
  options: {
    settings?: Partial<StrategySettings>;
    equityJpy?: number;
    slippage?: number;
    gapsAfter?: number[];
  } & Partial<BacktestOptions> = {},
) {
  const settings = { ...SCENARIO_SETTINGS, ...options.settings };
  const gapsAfter = new Set(options.gapsAfter ?? []);
  let t = T0;
  const probabilities = new Map<number, number>();
  const candles: Candle[] = rows.map(([open, high, low, close, p], i) => {
    const candle = { openTimeMs: t, open, high, low, close, volume: 1 };
    if (p !== undefined) probabilities.set(t, p);
    t += gapsAfter.has(i) ? 3 * HOUR_MS : HOUR_MS;
    return candle;
  });
  const planner = createPlanner({
    settings,
    signal: predictionSignal((ms) => probabilities.get(ms), SCENARIO_BASE_RATE),
  });
  const result = runBacktest({
    candles,
    planner,
    rules: TEST_RULES,
    initialEquityJpy: options.equityJpy ?? 1_000_000,
    slippage: options.slippage ?? 0,
    ...options,
  });
  return { result, trades: result.trades, breaches: auditBacktest(result, settings, TEST_RULES), candles };
}

/** The hour index (from T0) of a time, for readable expectations. */
export const hour = (ms: number) => (ms - T0) / HOUR_MS;
