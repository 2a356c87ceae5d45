import type { ClosedTrade } from '../core/plan.js';
import { RECENT_TRADES, type TradeLedger } from '../core/health/day-summary.js';
import type { Store } from '../ports/store.port.js';
import { tradeLedgerId, tradeLedgers } from '../store/health-collections.js';
import { trades } from '../store/tick-collections.js';

export interface ClosedTradesRead {
  /** The pair's closed trades with exit time >= sinceMs, oldest first. */
  readonly trades: readonly ClosedTrade[];
  /** `ledger`: one document; `trades`: the ledger did not cover the span (not backfilled, or full). */
  readonly from: 'ledger' | 'trades';
}

/**
 * Whether the ledger holds every trade since `sinceMs`: it was backfilled from `trades` (so nothing
 * booked before it is missing) and its recent list was not cut inside the span.
 */
export function ledgerCovers(ledger: TradeLedger | undefined, sinceMs: number): ledger is TradeLedger {
  if (ledger?.backfilledAtMs === undefined) return false;
  return ledger.recent.length < RECENT_TRADES || (ledger.recent[0] as ClosedTrade).exitTimeMs < sinceMs;
}

/**
 * The pair's closed trades since `sinceMs` for Kelly, the protections and the drawdown breaker:
 * from the mode's trade ledger (one read; a booking updates it in the same transaction as the
 * trade, so it is never behind `trades`), or from `trades` itself when the ledger does not cover
 * the span.
 */
export async function closedTradesSince(
  store: Store,
  pair: string,
  mode: 'paper' | 'live',
  sinceMs: number,
): Promise<ClosedTradesRead> {
  const ledger = await store.get(tradeLedgers, tradeLedgerId(pair, mode));
  if (ledgerCovers(ledger, sinceMs))
    return { trades: ledger.recent.filter((t) => t.exitTimeMs >= sinceMs), from: 'ledger' };
  const listed = await store.list(trades, { where: [['exitTimeMs', '>=', sinceMs]], orderBy: { field: 'exitTimeMs' } });
  return { trades: listed.map((d) => d.data).filter((t) => t.pair === pair), from: 'trades' };
}
