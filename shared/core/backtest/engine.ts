import { HOUR_MS, type Candle } from '../candle.js';
import {
  feeJpy,
  makerStep,
  restingLimitFill,
  stopFill,
  takerPrice,
  type Execution,
  type Fill,
  type Liquidity,
  type MakerAttempt,
} from '../fills/fill-model.js';
import { marginInterestJpy } from '../fills/interest.js';
import type { ExitReason, OpenPosition, PlanInput } from '../plan.js';
import type { OrderSide, PositionSide } from '../../ports/exchange.port.js';
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
  /** Interest charged for the 00:00 JST instants up to this time. */
  interestUntilMs: number;
  readonly decisionBar: number;
  readonly decisionTimeMs: number;
  readonly decisionPriceJpy: number;
}

/** A decided order; `maker` while its post-only limit rests (maker-first execution), absent when it goes as a market order at the next open. */
type Pending = (
  | {
      kind: 'enter';
      side: PositionSide;
      amountBtc: string;
      stop: number;
      take: number;
      decisionBar: number;
      decisionTimeMs: number;
      decisionPriceJpy: number;
    }
  | { kind: 'exit'; reason: ExitReason }
) & { maker?: MakerAttempt };

/**
 * Drives a planner bar by bar; fills, fees and interest by the one fill model (shared/core/fills/).
 * A decision taken at a bar's close executes, with `execution` taker (the default), as a market order
 * at the next bar's open (taker fee, slippage); maker-first, as a post-only limit at the decision
 * bar's close (standing for the best bid/ask) resting `makerWaitBars` bars, filled as maker only by
 * a bar trading through it, else a market order at the open after the wait (maker-then-taker) or
 * nothing (maker-only). A maker-filled entry gets its stop and take-profit from the next bar (the
 * tick that finds the fill places them). Stops fill at the stop price, or at the open when it gapped
 * through; take-profit limits at their price as maker when a bar trades through them; a bar reaching
 * both counts as the stop (the pessimistic case); a resting exit fills after both. Margin interest: a day's on the entry value at each 00:00 JST the position is
 * open (shared/core/fills/interest.ts), the charge at a bar's open before its orders. A gap in the data closes
 * any position at the first bar after it, drops a pending order, and restarts the planner's window.
 */
export function runBacktest(options: BacktestOptions): BacktestResult {
  const { candles, planner, rules, initialEquityJpy } = options;
  const slip = options.slippage ?? 0;
  const execution = options.execution ?? 'taker';
  const makerWaitBars = Math.max(1, options.makerWaitBars ?? 1);
  const spot = options.market === 'spot';
  // Spot holds BTC outright: no interest; its fills pay the spot fee rates (margin orders the margin rates).
  const interest = spot
    ? { long: 0, short: 0 }
    : (options.interestDaily ?? { long: rules.marginLongInterestDaily, short: rules.marginShortInterestDaily });
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
  let makerFeesJpy = 0;
  let takerFeesJpy = 0;
  let makerNotionalJpy = 0;
  let takerNotionalJpy = 0;
  let makerAttempts = 0;
  let makerFills = 0;
  let interestJpy = 0;
  let killSwitch = false;
  let killSwitchAtMs: number | undefined;

  const chargeInterest = (p: Open, untilMs: number) => {
    const charge = marginInterestJpy(
      p.amount * p.entryPriceJpy,
      p.side === 'long' ? interest.long : interest.short,
      p.interestUntilMs,
      untilMs,
    );
    p.interestUntilMs = Math.max(p.interestUntilMs, untilMs);
    p.interestJpy += charge;
    interestJpy += charge;
  };
  const payFee = (liquidity: Liquidity, amount: number, price: number): number => {
    const fee = feeJpy(rules, liquidity, !spot, amount, price);
    if (liquidity === 'maker') {
      makerFeesJpy += fee;
      makerNotionalJpy += amount * price;
    } else {
      takerFeesJpy += fee;
      takerNotionalJpy += amount * price;
    }
    return fee;
  };
  const close = (exitTimeMs: number, price: number, maker: boolean, reason: ExitReason) => {
    const p = position as Open;
    chargeInterest(p, exitTimeMs);
    const fee = payFee(maker ? 'maker' : 'taker', p.amount, price);
    const gross = p.side === 'long' ? p.amount * (price - p.entryPriceJpy) : p.amount * (p.entryPriceJpy - price);
    const fees = p.entryFeeJpy + fee;
    const pnlJpy = gross - fees - p.interestJpy;
    cash += pnlJpy;
    trades.push({
      side: p.side,
      amountBtc: p.amountBtc,
      entryTimeMs: p.entryTimeMs,
      exitTimeMs,
      entryPriceJpy: p.entryPriceJpy,
      exitPriceJpy: price,
      pnlJpy,
      feesJpy: fees,
      interestJpy: p.interestJpy,
      exitReason: reason,
      stopPriceJpy: p.stopPriceJpy,
      takeProfitPriceJpy: p.takeProfitPriceJpy,
      decisionBar: p.decisionBar,
      decisionTimeMs: p.decisionTimeMs,
      decisionPriceJpy: p.decisionPriceJpy,
    });
    position = undefined;
  };
  // The planner sees the last TRADES_SEEN trades and entries (Kelly window, streaks, today's losses); re-sliced only when they change.
  let tradesSeen: { n: number; list: readonly BacktestTrade[] } = { n: -1, list: [] };
  let entriesSeen: { n: number; list: readonly number[] } = { n: -1, list: [] };
  const recentTrades = () =>
    tradesSeen.n === trades.length
      ? tradesSeen.list
      : (tradesSeen = { n: trades.length, list: trades.slice(-TRADES_SEEN) }).list;
  const recentEntries = () =>
    entriesSeen.n === entryTimes.length
      ? entriesSeen.list
      : (entriesSeen = { n: entryTimes.length, list: entryTimes.slice(-TRADES_SEEN) }).list;
  const orderSide = (side: PositionSide, closing: boolean): OrderSide =>
    (side === 'long') !== closing ? 'buy' : 'sell';
  const adverse = (side: PositionSide, closing: boolean, price: number) =>
    takerPrice(orderSide(side, closing), price, slip);
  /** One bar of a resting post-only order: true when it filled (the caller books it); an expired one falls back or is dropped. */
  const makerBar = (p: Pending & { maker: MakerAttempt }, bar: Candle): Fill | undefined => {
    const step = makerStep(p.maker, bar, execution as Exclude<Execution, 'taker'>);
    if (step.kind === 'filled') {
      makerFills += 1;
      pending = undefined;
      return step.fill;
    }
    if (step.kind === 'resting') pending = { ...p, maker: step.attempt };
    else if (step.fallback) {
      const { maker: _expired, ...marketOrder } = p;
      pending = marketOrder;
    } else pending = undefined;
    return undefined;
  };
  const open = (p: Extract<Pending, { kind: 'enter' }>, price: number, atMs: number, liquidity: Liquidity) => {
    const amount = Number(p.amountBtc);
    const entryFeeJpy = payFee(liquidity, amount, price);
    entryTimes.push(atMs);
    position = {
      side: p.side,
      amountBtc: p.amountBtc,
      amount,
      entryPriceJpy: price,
      entryTimeMs: atMs,
      stopPriceJpy: p.stop,
      takeProfitPriceJpy: p.take,
      entryFeeJpy,
      interestJpy: 0,
      interestUntilMs: atMs,
      decisionBar: p.decisionBar,
      decisionTimeMs: p.decisionTimeMs,
      decisionPriceJpy: p.decisionPriceJpy,
    };
  };

  for (let i = 0; i < candles.length; i += 1) {
    const bar = candles[i]!;
    const counted = i >= start;
    const k = i - start;
    if (position) chargeInterest(position, bar.openTimeMs);
    if (i > 0 && bar.openTimeMs - candles[i - 1]!.openTimeMs !== barMs) {
      if (counted) {
        gaps += 1;
        missingBars += Math.round((bar.openTimeMs - candles[i - 1]!.openTimeMs) / barMs) - 1;
      }
      if (!options.windowAcrossGaps) segmentStart = i;
      pending = undefined;
      if (position) {
        const through =
          position.side === 'long' ? bar.open <= position.stopPriceJpy : bar.open >= position.stopPriceJpy;
        close(bar.openTimeMs, adverse(position.side, true, bar.open), false, through ? 'stop' : 'reconcile');
      }
    }
    if ((pending?.kind === 'exit' && !position) || (pending?.kind === 'enter' && position)) pending = undefined;
    if (pending?.kind === 'exit' && position && !pending.maker) {
      close(bar.openTimeMs, adverse(position.side, true, bar.open), false, pending.reason);
      pending = undefined;
    }
    if (pending?.kind === 'enter' && !pending.maker) {
      open(pending, adverse(pending.side, false, bar.open), bar.openTimeMs, 'taker');
      pending = undefined;
    } else if (pending?.kind === 'enter' && pending.maker) {
      const entry = pending;
      const fill = makerBar({ ...entry, maker: entry.maker as MakerAttempt }, bar);
      if (fill) open(entry, fill.priceJpy, fill.atMs, 'maker');
    }

    // Working from this bar: the protective orders of a position entered by its open; a resting exit after them.
    if (position && position.entryTimeMs <= bar.openTimeMs) {
      if (counted) inPosition[k] = 1;
      const closing = orderSide(position.side, true);
      const stop = stopFill(closing, position.stopPriceJpy, bar, slip);
      const take = stop ? undefined : restingLimitFill(closing, position.takeProfitPriceJpy, bar);
      if (stop) close(stop.atMs, stop.priceJpy, false, 'stop');
      else if (take) close(take.atMs, take.priceJpy, true, 'take-profit');
      else if (pending?.kind === 'exit' && pending.maker) {
        const exit = pending;
        const fill = makerBar({ ...exit, maker: exit.maker as MakerAttempt }, bar);
        if (fill) close(fill.atMs, fill.priceJpy, true, exit.reason);
      }
      if (!position && pending?.kind === 'exit') pending = undefined;
    } else if (position && counted) inPosition[k] = 1;

    const unrealised = position
      ? (position.side === 'long' ? 1 : -1) * position.amount * (bar.close - position.entryPriceJpy) -
        position.entryFeeJpy -
        position.interestJpy
      : 0;
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
    // A maker-first order works at the decision close (the best bid/ask, here the close) unless one is working already.
    const maker = (side: PositionSide, closing: boolean): { maker?: MakerAttempt } => {
      if (execution === 'taker') return {};
      makerAttempts += 1;
      return { maker: { side: orderSide(side, closing), priceJpy: bar.close, barsLeft: makerWaitBars } };
    };
    if (pending) {
      // one order working at once: a new plan waits until it is filled, replaced or given up
    } else if (plan.action === 'enter' && !position) {
      pending = {
        kind: 'enter',
        side: plan.side,
        amountBtc: plan.amountBtc,
        stop: Number(plan.stopPriceJpy),
        take: Number(plan.takeProfitPriceJpy),
        decisionBar: k,
        decisionTimeMs: input.nowMs,
        decisionPriceJpy: bar.close,
        ...maker(plan.side, false),
      };
    } else if (plan.action === 'exit' && position)
      pending = { kind: 'exit', reason: plan.reason, ...maker(position.side, true) };
    else if (plan.action === 'hold' && plan.blockedBy) {
      holdCodes[plan.blockedBy] = (holdCodes[plan.blockedBy] ?? 0) + 1;
      if (plan.blockedBy === 'RISK.KILL_SWITCH' && !killSwitch) {
        killSwitch = true;
        killSwitchAtMs = input.nowMs;
      }
    }
  }
  return {
    bars: total,
    openTimeMs,
    closeJpy,
    equityJpy,
    inPosition,
    trades,
    gaps,
    missingBars,
    feesJpy: makerFeesJpy + takerFeesJpy,
    makerFeesJpy,
    takerFeesJpy,
    makerNotionalJpy,
    takerNotionalJpy,
    interestJpy,
    makerAttempts,
    makerFills,
    killSwitchAtMs,
    holdCodes,
  };
}
