import type { Candle } from '../candle.js';
import { HOUR_MS } from '../candle.js';
import type { ClosedTrade, PlanInput } from '../plan.js';
import type { MarginStatus, MarketRules } from '../../ports/exchange.port.js';
import { BITBANK_BTC_JPY } from '../market-rules.js';

/** Plain test data shared by the strategy, risk and backtest tests (pure, no I/O). */
export const TEST_RULES: MarketRules = BITBANK_BTC_JPY;

export const NORMAL_MARGIN: MarginStatus = {
  status: 'NORMAL',
  totalMarginBalanceJpy: '100000',
  marginBalancePercentage: null,
  marginCallPercentage: null,
  losscutPercentage: null,
  availableLongJpy: '200000',
  availableShortJpy: '200000',
};

export function trade(pnlJpy: number, exitTimeMs: number, overrides: Partial<ClosedTrade> = {}): ClosedTrade {
  return {
    side: 'long',
    amountBtc: '0.0005',
    entryTimeMs: exitTimeMs - 3 * HOUR_MS,
    exitTimeMs,
    entryPriceJpy: 10_000_000,
    exitPriceJpy: 10_000_000,
    pnlJpy,
    feesJpy: 0,
    interestJpy: 0,
    exitReason: 'signal',
    ...overrides,
  };
}

/** Hourly candles from close prices, each bar's range `rangeJpy` around its open/close. */
export function candlesFromCloses(closes: readonly number[], startMs: number, rangeJpy = 0): Candle[] {
  return closes.map((close, i) => {
    const open = i === 0 ? close : (closes[i - 1] as number);
    return {
      openTimeMs: startMs + i * HOUR_MS,
      open,
      high: Math.max(open, close) + rangeJpy,
      low: Math.min(open, close) - rangeJpy,
      close,
      volume: 1,
    };
  });
}

/** A planner input with no position, 1,000,000 JPY, normal margin and no limits hit; tests override what they vary. */
export function planInput(nowMs: number, candles: readonly Candle[], over: Partial<PlanInput> = {}): PlanInput {
  return {
    nowMs,
    candles,
    macro: undefined,
    position: undefined,
    equityJpy: 1_000_000,
    equityPeakJpy: 1_000_000,
    closedTrades: [],
    recentEntryTimesMs: [],
    rules: TEST_RULES,
    marginStatus: NORMAL_MARGIN,
    circuitBreak: 'NONE',
    killSwitch: false,
    ...over,
  };
}
