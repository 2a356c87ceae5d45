/**
 * The same moving-average crossover (long or flat, next-bar-open fills, the same taker fee)
 * through this backtester (`runBacktest` with the `sma-cross` plug-in under `strategyPlanner`) and
 * through grademark (https://github.com/Grademark/grademark, a published JavaScript backtester).
 *
 * Rules both runs keep, so the trade lists can be compared one for one:
 * - no decision at the close of a bar on whose open an order filled (grademark's state machine
 *   calls neither rule on an entry or exit bar; the plug-in is run with `decideOnFillBar: false`);
 * - a position still open after the last bar closes at that bar's close; grademark labels that exit
 *   with the bar's open time, this backtester with its close time (one bar later): compared as close times;
 * - no slippage, no margin interest, no protections, Kelly never engaged, a catastrophe stop 50 %
 *   away that the data never reaches (grademark is run without a stop): the rules alone exit;
 * - fees: grademark has none; its trades are charged this backtester's taker fee (`feeJpy`) on the
 *   same amount, so the net P&L of each trade is comparable.
 */
import grademark from 'grademark';
import { DataFrame } from 'data-forge';
import type { Candle } from '../../shared/core/candle.js';
import { HOUR_MS } from '../../shared/core/candle.js';
import { runBacktest } from '../../shared/core/backtest/index.js';
import { feeJpy } from '../../shared/core/fills/fill-model.js';
import { BITBANK_BTC_JPY } from '../../shared/core/market-rules.js';
import { DEFAULT_STRATEGY_SETTINGS } from '../../shared/core/strategy/settings.js';
import { strategyPlanner } from '../../shared/core/strategy/target.js';
import { smaCrossSignal, smaCrossStrategy, type SmaCrossParams } from '../../shared/core/strategy/sma-cross.js';

export interface ComparableTrade {
  readonly entryTimeMs: number;
  readonly exitCloseTimeMs: number;
  readonly entryPriceJpy: number;
  readonly exitPriceJpy: number;
  readonly netPnlJpy: number;
}

export interface RunResult {
  readonly trades: ComparableTrade[];
  /** Wall ms and process CPU ms (user + system) of the run. */
  readonly ms: number;
  readonly cpuMs: number;
}

const cpuMsNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const RULES = { ...BITBANK_BTC_JPY, marginLongInterestDaily: 0, marginShortInterestDaily: 0 };
const INITIAL_JPY = 100_000_000;
/** Every entry is the same 0.01 BTC: the whole-equity wish capped by MAX_POSITION_BTC. */
const AMOUNT_BTC = 0.01;
type Rules = Pick<SmaCrossParams, 'fastBars' | 'slowBars'> & { decideOnFillBar?: boolean };

/** This backtester: the plug-in under the one executor, no protections, Kelly past its horizon. */
export function runOurs(candles: readonly Candle[], p: Rules): RunResult & { amountsBtc: string[] } {
  const settings = {
    ...DEFAULT_STRATEGY_SETTINGS,
    kellyMinTrades: Number.MAX_SAFE_INTEGER,
    maxPositionBtc: AMOUNT_BTC,
  };
  const strategy = smaCrossStrategy({
    fastBars: p.fastBars,
    slowBars: p.slowBars,
    decideOnFillBar: p.decideOnFillBar ?? false,
    sizeFraction: 1,
    stopFraction: 0.5,
  });
  const planner = strategyPlanner(strategy, settings, []);
  const t0 = performance.now();
  const c0 = cpuMsNow();
  const result = runBacktest({
    candles,
    planner,
    rules: RULES,
    initialEquityJpy: INITIAL_JPY,
    slippage: 0,
    windowBars: p.slowBars,
  });
  const ms = performance.now() - t0;
  const cpuMs = cpuMsNow() - c0;
  const trades = result.trades.map((t) => ({
    entryTimeMs: t.entryTimeMs,
    exitCloseTimeMs: t.exitTimeMs,
    entryPriceJpy: t.entryPriceJpy,
    exitPriceJpy: t.exitPriceJpy,
    netPnlJpy: t.pnlJpy,
  }));
  return { trades, ms, cpuMs, amountsBtc: [...new Set(result.trades.map((t) => t.amountBtc))] };
}

interface PeerBar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  long: boolean | undefined;
}

/** grademark: the same signal (computed beforehand with the same function), entry/exit at the next bar's open. */
export function runGrademark(candles: readonly Candle[], p: Rules, amountBtc = AMOUNT_BTC): RunResult {
  const t0 = performance.now();
  const c0 = cpuMsNow();
  const bars: PeerBar[] = candles.map((c, i) => ({
    time: c.openTimeMs,
    open: c.open,
    high: c.high,
    low: c.low,
    close: c.close,
    volume: c.volume,
    long: smaCrossSignal(candles, i, p),
  }));
  const strategy = {
    entryRule: (enter: () => void, args: { bar: PeerBar }) => {
      if (args.bar.long === true) enter();
    },
    exitRule: (exit: () => void, args: { bar: PeerBar }) => {
      if (args.bar.long === false) exit();
    },
  };
  const raw = grademark.backtest(strategy as never, new DataFrame<number, PeerBar>(bars) as never);
  const ms = performance.now() - t0;
  const cpuMs = cpuMsNow() - c0;
  const trades = raw.map((t) => {
    const entryTimeMs = Number(t.entryTime);
    const exitOpenMs = Number(t.exitTime);
    // exit-rule: filled at the open of exitTime's bar; finalize: at the last bar's close.
    const exitCloseTimeMs = t.exitReason === 'finalize' ? exitOpenMs + HOUR_MS : exitOpenMs;
    const fees =
      feeJpy(RULES, 'taker', true, amountBtc, t.entryPrice) + feeJpy(RULES, 'taker', true, amountBtc, t.exitPrice);
    return {
      entryTimeMs,
      exitCloseTimeMs,
      entryPriceJpy: t.entryPrice,
      exitPriceJpy: t.exitPrice,
      netPnlJpy: amountBtc * (t.exitPrice - t.entryPrice) - fees,
    };
  });
  return { trades, ms, cpuMs };
}

export interface Comparison {
  readonly ours: number;
  readonly peer: number;
  readonly identical: boolean;
  /** Positions at which the lists differ. */
  readonly different: number;
  /** The first differences (index, ours, peer), at most 5. */
  readonly differences: Array<{ index: number; ours?: ComparableTrade; peer?: ComparableTrade }>;
  /** Largest |net P&L difference| of matching trades, JPY (float summation order differs). */
  readonly maxPnlDiffJpy: number;
}

export function compareTrades(ours: readonly ComparableTrade[], peer: readonly ComparableTrade[]): Comparison {
  const differences: Comparison['differences'] = [];
  let different = 0;
  let maxPnlDiffJpy = 0;
  for (let i = 0; i < Math.max(ours.length, peer.length); i += 1) {
    const a = ours[i];
    const b = peer[i];
    const same =
      a &&
      b &&
      a.entryTimeMs === b.entryTimeMs &&
      a.exitCloseTimeMs === b.exitCloseTimeMs &&
      a.entryPriceJpy === b.entryPriceJpy &&
      a.exitPriceJpy === b.exitPriceJpy;
    if (same) maxPnlDiffJpy = Math.max(maxPnlDiffJpy, Math.abs(a.netPnlJpy - b.netPnlJpy));
    else {
      different += 1;
      if (differences.length < 5) differences.push({ index: i, ...(a ? { ours: a } : {}), ...(b ? { peer: b } : {}) });
    }
  }
  return {
    ours: ours.length,
    peer: peer.length,
    identical: different === 0 && maxPnlDiffJpy < 1e-6,
    different,
    differences,
    maxPnlDiffJpy,
  };
}
