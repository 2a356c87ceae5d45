import { Decimal } from 'decimal.js';
import type { ExchangeTrade } from '../../ports/exchange.port.js';
import type { ClosedTrade, ExitReason } from '../plan.js';
import { closingSide } from './intent.js';
import type { MirroredPosition } from './position.js';

/**
 * Books the fills that closed (part of) a position, pure: one closed trade per closing order,
 * P&L net of the prorated entry fee, the exit fees and the margin interest the exchange charged.
 */
export interface BookedTrade extends ClosedTrade {
  readonly pair: string;
  /** The closing order: the booked trade's id, so booking twice is impossible. */
  readonly closingOrderId: string;
  readonly tradeIds: readonly string[];
  /** What the exchange itself reported as profit/loss for these fills, when it did (for comparison). */
  readonly exchangeProfitLossJpy?: number;
}

export function closingFills(position: MirroredPosition, trades: readonly ExchangeTrade[]): ExchangeTrade[] {
  return trades.filter(
    (t) => t.pair === position.pair && t.positionSide === position.side && t.side === closingSide(position.side) && t.executedAtMs >= position.entryTimeMs,
  );
}

/** Exit reason by the closing order's type when the bot did not name it (stop filled, take-profit hit). */
export function exitReasonOf(trade: Pick<ExchangeTrade, 'type'>): ExitReason {
  if (trade.type === 'stop' || trade.type === 'stop_limit' || trade.type === 'stop_loss') return 'stop';
  if (trade.type === 'limit' || trade.type === 'take_profit') return 'take-profit';
  return 'signal';
}

export function bookClosingFills(position: MirroredPosition, trades: readonly ExchangeTrade[], reasonByOrderId: ReadonlyMap<string, ExitReason> = new Map()): BookedTrade[] {
  const byOrder = new Map<string, ExchangeTrade[]>();
  for (const t of closingFills(position, trades)) byOrder.set(t.orderId, [...(byOrder.get(t.orderId) ?? []), t]);
  const booked: BookedTrade[] = [];
  for (const [orderId, fills] of byOrder) {
    const amount = fills.reduce((s, f) => s.plus(f.amountBtc), new Decimal(0));
    if (amount.lte(0)) continue;
    const notional = fills.reduce((s, f) => s.plus(new Decimal(f.priceJpy).mul(f.amountBtc)), new Decimal(0));
    const exitPrice = notional.div(amount);
    const direction = position.side === 'long' ? 1 : -1;
    const gross = exitPrice.minus(position.entryPriceJpy).mul(amount).mul(direction);
    const exitFees = fills.reduce((s, f) => s.plus(f.feeJpy), new Decimal(0));
    const fees = exitFees.plus(amount.mul(position.entryFeePerBtcJpy));
    const interest = fills.reduce((s, f) => s.plus(f.interestJpy ?? '0'), new Decimal(0));
    const reported = fills.filter((f) => f.profitLossJpy !== undefined);
    const last = fills.reduce((a, b) => (b.executedAtMs > a.executedAtMs ? b : a));
    booked.push({
      pair: position.pair,
      side: position.side,
      amountBtc: amount.toString(),
      entryTimeMs: position.entryTimeMs,
      exitTimeMs: last.executedAtMs,
      entryPriceJpy: position.entryPriceJpy,
      exitPriceJpy: exitPrice.toNumber(),
      feesJpy: fees.toNumber(),
      interestJpy: interest.toNumber(),
      pnlJpy: gross.minus(fees).minus(interest).toNumber(),
      exitReason: reasonByOrderId.get(orderId) ?? exitReasonOf(last),
      closingOrderId: orderId,
      tradeIds: fills.map((f) => f.tradeId),
      ...(reported.length > 0 ? { exchangeProfitLossJpy: reported.reduce((s, f) => s.plus(f.profitLossJpy as string), new Decimal(0)).toNumber() } : {}),
    });
  }
  return booked.sort((a, b) => a.exitTimeMs - b.exitTimeMs);
}
