import { describe, expect, it } from 'vitest';
import type { Planner } from '../plan.js';
import { TEST_RULES } from '../strategy/test-fixtures.js';
import { auditBacktest } from './audit.js';
import { runBacktest } from './engine.js';
import { flat, LOSE_LONG, P, SCENARIO_SETTINGS, T0, WIN_LONG, type Row } from './scenario.fixture.js';
import { HOUR_MS } from '../candle.js';

/** A planner that ignores every limit: the audit must catch it without asking the planner. */
const rogue =
  (amountBtc: string): Planner =>
  (input) =>
    input.position
      ? { action: 'hold', probabilityUp: 0.9, reasons: [] }
      : {
          action: 'enter',
          side: 'long',
          amountBtc,
          stopPriceJpy: String(P - 50_000),
          takeProfitPriceJpy: String(P + 50_000),
          probabilityUp: 0.9,
          reasons: [],
        };

const candles = (rows: Row[]) =>
  rows.map(([open, high, low, close], i) => ({ openTimeMs: T0 + i * HOUR_MS, open, high, low, close, volume: 1 }));

describe('auditBacktest', () => {
  it('counts every limit a planner exceeded, independently of it', () => {
    const rows: Row[] = [...flat(2), ...Array.from({ length: 6 }, (_, i) => (i < 4 ? LOSE_LONG : WIN_LONG))];
    const result = runBacktest({
      candles: candles(rows),
      planner: rogue('0.3'),
      rules: TEST_RULES,
      initialEquityJpy: 1_000_000,
    });
    const limits = new Set(auditBacktest(result, SCENARIO_SETTINGS, TEST_RULES).map((b) => b.limit));
    expect(limits).toEqual(
      new Set(['max-position', 'risk-per-trade', 'kelly-max', 'entries-per-day', 'loss-streak', 'daily-loss']),
    );
  });

  it('flags amounts off the lot grid', () => {
    const result = runBacktest({
      candles: candles(flat(4)),
      planner: rogue('0.00015'),
      rules: TEST_RULES,
      initialEquityJpy: 1_000_000,
    });
    expect(auditBacktest(result, SCENARIO_SETTINGS, TEST_RULES).some((b) => b.limit === 'lot')).toBe(true);
  });
});
