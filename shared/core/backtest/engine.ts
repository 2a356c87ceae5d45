import { DAY_MS, HOUR_MS } from '../candle.js';
import type { ExitReason, OpenPosition, PlanInput } from '../plan.js';
import type { PositionSide } from '../../ports/exchange.port.js';
import type { BacktestOptions, BacktestResult, BacktestTrade } from './types.js';

const TRADES_SEEN = 200;

const DEFAULT_MARGIN = {
  status: 'NORMAL',
  totalMarginBalanceJpy: '0',
  marginBalancePercentage: null,
  marginCallPercentage: null,
  losscutPercentage: null,
  availableLongJpy: '0',
  availableShortJpy: '0',
} as const;

interface Open extends OpenPosition {
  readonly amount: number;
  readonly entryFeeJpy: number;
  interestJpy: number;
  readonly decisionBar: number;
  readonly decisionTimeMs: number;
  readonly decisionPriceJpy: number;
}

type Pending = { kind: 'enter'; side: PositionSide; amountBtc: string; stop: number; take: number; decisionBar: number; decisionTimeMs: number; decisionPriceJpy: number } | { kind: 'exit'; reason: ExitReason };

/**
 * Drives a planner bar by bar. A decision taken at a bar's close executes at the next bar's open
 * (taker fee, slippage). Stops fill at the stop price, or at the open when it gapped through;
 * take-profits fill at their price as maker; a bar touching both counts as the stop (the
 * pessimistic case). Margin interest accrues hourly on the entry value. A gap in the data closes
 * any position at the first bar after it, drops a pending order, and restarts the planner's window.
 */
export function runBacktest(options: BacktestOptions): BacktestResult {
  const { candles, planner, rules, initialEquityJpy } = options;
  const slip = options.slippage ?? 0;
  const interest = options.interestDaily ?? { long: rules.marginLongInterestDaily, short: rules.marginShortInterestDaily };
  const start = Math.max(0, options.startIndex ?? 0);
  const window = options.windowBars ?? 300;
  const barMs = options.barMs ?? HOUR_MS;
  const marginStatus = options.marginStatus ?? DEFAULT_MARGIN;
  const total = Math.max(0, candles.length - start);

  const openTimeMs = new Float64Array(total);
  const closeJpy = new Float64Array(total);
  const equityJpy = new Float64Array(total);
  const inPosition = new Uint8Array(total);
  const trades: BacktestTrade[] = [];
  const entryTimes: number[] = [];
  const holdCodes: Record<string, number> = {};
  let cash = initialEquityJpy;
  let peak = initialEquityJpy;
  let position: Open | undefined;
  let pending: Pending | undefined;
  let segmentStart = 0;
  let gaps = 0;
  let missingBars = 0;
  let feesJpy = 0;
  let interestJpy = 0;
  let killSwitch = false;
  let killSwitchAtMs: number | undefined;

  const close = (exitTimeMs: number, price: number, maker: boolean, reason: ExitReason) => {
    const p = position as Open;
    const fee = p.amount * price * (maker ? rules.makerFeeRate : rules.takerFeeRate);
    const gross = p.side === 'long' ? p.amount * (price - p.entryPriceJpy) : p.amount * (p.entryPriceJpy - price);
    const fees = p.entryFeeJpy + fee;
    const pnlJpy = gross - fees - p.interestJpy;
    cash += pnlJpy;
    feesJpy += fee;
    trades.push({
      side: p.side, amountBtc: p.amountBtc, entryTimeMs: p.entryTimeMs, exitTimeMs, entryPriceJpy: p.entryPriceJpy, exitPriceJpy: price,
      pnlJpy, feesJpy: fees, interestJpy: p.interestJpy, exitReason: reason, stopPriceJpy: p.stopPriceJpy, takeProfitPriceJpy: p.takeProfitPriceJpy,
      decisionBar: p.decisionBar, decisionTimeMs: p.decisionTimeMs, decisionPriceJpy: p.decisionPriceJpy,
    });
    position = undefined;
  };
  // The planner sees the last TRADES_SEEN trades and entries (Kelly window, streaks, today's losses); re-sliced only when they change.
  let tradesSeen: { n: number; list: readonly BacktestTrade[] } = { n: -1, list: [] };
  let entriesSeen: { n: number; list: readonly number[] } = { n: -1, list: [] };
  const recentTrades = () => (tradesSeen.n === trades.length ? tradesSeen.list : (tradesSeen = { n: trades.length, list: trades.slice(-TRADES_SEEN) }).list);
  const recentEntries = () => (entriesSeen.n === entryTimes.length ? entriesSeen.list : (entriesSeen = { n: entryTimes.length, list: entryTimes.slice(-TRADES_SEEN) }).list);
  const adverse = (side: PositionSide, closing: boolean, price: number) => ((side === 'long') !== closing ? price * (1 + slip) : price * (1 - slip));

  for (let i = 0; i < candles.length; i += 1) {
    const bar = candles[i]!;
    const counted = i >= start;
    const k = i - start;
    if (i > 0 && bar.openTimeMs - candles[i - 1]!.openTimeMs !== barMs) {
      if (counted) {
        gaps += 1;
        missingBars += Math.round((bar.openTimeMs - candles[i - 1]!.openTimeMs) / barMs) - 1;
      }
      if (!options.windowAcrossGaps) segmentStart = i;
      pending = undefined;
      if (position) {
        const through = position.side === 'long' ? bar.open <= position.stopPriceJpy : bar.open >= position.stopPriceJpy;
        close(bar.openTimeMs, adverse(position.side, true, bar.open), false, through ? 'stop' : 'reconcile');
      }
    }
    if (pending?.kind === 'exit' && position) close(bar.openTimeMs, adverse(position.side, true, bar.open), false, pending.reason);
    if (pending?.kind === 'enter' && !position) {
      const amount = Number(pending.amountBtc);
      const price = adverse(pending.side, false, bar.open);
      const entryFeeJpy = amount * price * rules.takerFeeRate;
      feesJpy += entryFeeJpy;
      entryTimes.push(bar.openTimeMs);
      position = {
        side: pending.side, amountBtc: pending.amountBtc, amount, entryPriceJpy: price, entryTimeMs: bar.openTimeMs, stopPriceJpy: pending.stop,
        takeProfitPriceJpy: pending.take, entryFeeJpy, interestJpy: 0, decisionBar: pending.decisionBar, decisionTimeMs: pending.decisionTimeMs, decisionPriceJpy: pending.decisionPriceJpy,
      };
    }
    pending = undefined;

    if (position) {
      if (counted) inPosition[k] = 1;
      const charge = (position.amount * position.entryPriceJpy * (position.side === 'long' ? interest.long : interest.short) * barMs) / DAY_MS;
      position.interestJpy += charge;
      interestJpy += charge;
      const long = position.side === 'long';
      const stop = position.stopPriceJpy;
      if (long ? bar.open <= stop : bar.open >= stop) close(bar.openTimeMs, adverse(position.side, true, bar.open), false, 'stop');
      else if (long ? bar.low <= stop : bar.high >= stop) close(bar.openTimeMs + barMs - 1, adverse(position.side, true, stop), false, 'stop');
      else if (long ? bar.high >= position.takeProfitPriceJpy : bar.low <= position.takeProfitPriceJpy) close(bar.openTimeMs + barMs - 1, position.takeProfitPriceJpy, true, 'take-profit');
    }

    const unrealised = position ? (position.side === 'long' ? 1 : -1) * position.amount * (bar.close - position.entryPriceJpy) - position.entryFeeJpy - position.interestJpy : 0;
    const equity = cash + unrealised;
    if (!counted) continue;
    if (equity > peak) peak = equity;
    openTimeMs[k] = bar.openTimeMs;
    closeJpy[k] = bar.close;
    equityJpy[k] = equity;
    options.onProgress?.(k + 1, total);

    if (i === candles.length - 1) {
      if (position) close(bar.openTimeMs + barMs, adverse(position.side, true, bar.close), false, 'reconcile');
      equityJpy[k] = cash;
      break;
    }
    const input: PlanInput = {
      nowMs: bar.openTimeMs + barMs,
      candles: candles.slice(Math.max(segmentStart, i + 1 - window), i + 1),
      macro: options.macro,
      position,
      equityJpy: equity,
      equityPeakJpy: peak,
      closedTrades: recentTrades(),
      recentEntryTimesMs: recentEntries(),
      rules,
      marginStatus,
      circuitBreak: 'NONE',
      killSwitch,
    };
    const plan = planner(input);
    if (plan.action === 'enter' && !position) {
      pending = { kind: 'enter', side: plan.side, amountBtc: plan.amountBtc, stop: Number(plan.stopPriceJpy), take: Number(plan.takeProfitPriceJpy), decisionBar: k, decisionTimeMs: input.nowMs, decisionPriceJpy: bar.close };
    } else if (plan.action === 'exit' && position) pending = { kind: 'exit', reason: plan.reason };
    else if (plan.action === 'hold' && plan.blockedBy) {
      holdCodes[plan.blockedBy] = (holdCodes[plan.blockedBy] ?? 0) + 1;
      if (plan.blockedBy === 'RISK.KILL_SWITCH' && !killSwitch) {
        killSwitch = true;
        killSwitchAtMs = input.nowMs;
      }
    }
  }
  return { bars: total, openTimeMs, closeJpy, equityJpy, inPosition, trades, gaps, missingBars, feesJpy, interestJpy, killSwitchAtMs, holdCodes };
}
