import { Decimal } from 'decimal.js';
import type { ExchangeTrade } from '../../ports/exchange.port.js';
import type { ClosedTrade, ExitReason } from '../plan.js';
import { closingSide } from './intent.js';
import type { MirroredPosition } from './position.js';

/**
 * Books the fills that closed (part of) a position, pure: one closed trade per closing order,
 * P&L net of the prorated entry fee, the exit fees and the margin interest the exchange charged.
 * A closing order filled in parts (a take-profit filled across several bars) is booked part by
 * part into the same trade: each fill is counted once, by its trade id, against the position as it
 * was when the fill was booked.
 */
export interface BookedTrade extends ClosedTrade {
  readonly pair: string;
  /** The closing order: the booked trade's id (`trades/{pair}_{closingOrderId}`). */
  readonly closingOrderId: string;
  /** The exchange fills booked into this trade: a fill listed here is never booked again. */
  readonly tradeIds: readonly string[];
  /** What the exchange itself reported as profit/loss for these fills, when it did (for comparison). */
  readonly exchangeProfitLossJpy?: number;
}

export function closingFills(position: MirroredPosition, trades: readonly ExchangeTrade[]): ExchangeTrade[] {
  return trades.filter(
    (t) =>
      t.pair === position.pair &&
      t.positionSide === position.side &&
      t.side === closingSide(position.side) &&
      t.executedAtMs >= position.entryTimeMs,
  );
}

/** Exit reason by the closing order's type when the bot did not name it (stop filled, take-profit hit). */
export function exitReasonOf(trade: Pick<ExchangeTrade, 'type'>): ExitReason {
  if (trade.type === 'stop' || trade.type === 'stop_limit' || trade.type === 'stop_loss') return 'stop';
  if (trade.type === 'limit' || trade.type === 'take_profit') return 'take-profit';
  return 'signal';
}

/** The closing fills of `position` grouped by closing order (fills in the order given). */
export function closingFillsByOrder(
  position: MirroredPosition,
  trades: readonly ExchangeTrade[],
): Map<string, ExchangeTrade[]> {
  const byOrder = new Map<string, ExchangeTrade[]>();
  for (const t of closingFills(position, trades)) byOrder.set(t.orderId, [...(byOrder.get(t.orderId) ?? []), t]);
  return byOrder;
}

/** Every closing order's fills booked as new trades (nothing booked before). */
export function bookClosingFills(
  position: MirroredPosition,
  trades: readonly ExchangeTrade[],
  reasonByOrderId: ReadonlyMap<string, ExitReason> = new Map(),
): BookedTrade[] {
  const booked: BookedTrade[] = [];
  for (const [orderId, fills] of closingFillsByOrder(position, trades)) {
    const trade = bookOrderFills(position, undefined, fills, reasonByOrderId.get(orderId));
    if (trade) booked.push(trade);
  }
  return booked.sort((a, b) => a.exitTimeMs - b.exitTimeMs);
}

/**
 * Adds the fills of one closing order to its booked trade (`existing`, undefined when none is
 * booked yet). Fills already in `existing.tradeIds` are skipped, so a re-run books nothing new:
 * the answer is then undefined (nothing to write). The new fills' P&L is priced against
 * `position` (entry price, prorated entry fee) and added to what was booked before, so fills the
 * exchange no longer lists stay booked as they were.
 */
export function bookOrderFills(
  position: MirroredPosition,
  existing: BookedTrade | undefined,
  fills: readonly ExchangeTrade[],
  reason?: ExitReason,
): BookedTrade | undefined {
  const seen = new Set(existing?.tradeIds ?? []);
  const fresh: ExchangeTrade[] = [];
  for (const f of fills) {
    if (seen.has(f.tradeId)) continue;
    seen.add(f.tradeId);
    fresh.push(f);
  }
  const amount = fresh.reduce((s, f) => s.plus(f.amountBtc), new Decimal(0));
  if (amount.lte(0)) return undefined;
  const notional = fresh.reduce((s, f) => s.plus(new Decimal(f.priceJpy).mul(f.amountBtc)), new Decimal(0));
  const direction = position.side === 'long' ? 1 : -1;
  const gross = notional.div(amount).minus(position.entryPriceJpy).mul(amount).mul(direction);
  const fees = fresh.reduce((s, f) => s.plus(f.feeJpy), new Decimal(0)).plus(amount.mul(position.entryFeePerBtcJpy));
  const interest = fresh.reduce((s, f) => s.plus(f.interestJpy ?? '0'), new Decimal(0));
  const reported = fresh
    .filter((f) => f.profitLossJpy !== undefined)
    .reduce<Decimal | undefined>((s, f) => (s ?? new Decimal(0)).plus(f.profitLossJpy as string), undefined);
  const last = fresh.reduce((a, b) => (b.executedAtMs > a.executedAtMs ? b : a));
  const before = {
    amount: new Decimal(existing?.amountBtc ?? 0),
    notional: new Decimal(existing?.exitPriceJpy ?? 0).mul(existing?.amountBtc ?? 0),
    fees: new Decimal(existing?.feesJpy ?? 0),
    interest: new Decimal(existing?.interestJpy ?? 0),
    pnl: new Decimal(existing?.pnlJpy ?? 0),
  };
  const totalAmount = before.amount.plus(amount);
  const totalFees = before.fees.plus(fees);
  const totalInterest = before.interest.plus(interest);
  const exchangeProfitLoss =
    existing?.exchangeProfitLossJpy === undefined
      ? reported
      : new Decimal(existing.exchangeProfitLossJpy).plus(reported ?? 0);
  return {
    pair: position.pair,
    side: existing?.side ?? position.side,
    amountBtc: totalAmount.toString(),
    entryTimeMs: existing?.entryTimeMs ?? position.entryTimeMs,
    exitTimeMs: Math.max(existing?.exitTimeMs ?? last.executedAtMs, last.executedAtMs),
    entryPriceJpy: existing?.entryPriceJpy ?? position.entryPriceJpy,
    exitPriceJpy: before.notional.plus(notional).div(totalAmount).toNumber(),
    feesJpy: totalFees.toNumber(),
    interestJpy: totalInterest.toNumber(),
    pnlJpy: before.pnl.plus(gross).minus(fees).minus(interest).toNumber(),
    exitReason: existing?.exitReason ?? reason ?? exitReasonOf(last),
    closingOrderId: last.orderId,
    tradeIds: [...(existing?.tradeIds ?? []), ...fresh.map((f) => f.tradeId)],
    ...(exchangeProfitLoss !== undefined ? { exchangeProfitLossJpy: exchangeProfitLoss.toNumber() } : {}),
  };
}
