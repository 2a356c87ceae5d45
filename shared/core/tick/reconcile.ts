import { compareDecimal } from '../money.js';
import type { ExchangeOrder, MarginPosition, OrderRequest, PositionSide } from '../../ports/exchange.port.js';
import { protectiveKind, stopRequest, takeProfitRequest } from './intent.js';
import type { MirroredPosition } from './position.js';

/**
 * The reconcile diff, pure: the exchange's positions and open orders are the truth; the result
 * lists the corrections that bring the bot's mirror (and the protective orders) in line. The app
 * applies them in order, logging each with its code.
 */
export type ReconcileCode =
  | 'RECONCILE.POSITION_SYNCED'
  | 'RECONCILE.FILL_BOOKED'
  | 'RECONCILE.ORPHAN_CANCELLED'
  | 'RECONCILE.STOP_PLACED'
  | 'RECONCILE.UNPROTECTED';

export type ReconcileFix =
  | { readonly kind: 'position-adopted'; readonly code: ReconcileCode; readonly position: MirroredPosition }
  | {
      readonly kind: 'position-resized';
      readonly code: ReconcileCode;
      readonly position: MirroredPosition;
      readonly previousAmountBtc: string;
    }
  | { readonly kind: 'position-closed'; readonly code: ReconcileCode; readonly position: MirroredPosition }
  | {
      readonly kind: 'cancel-order';
      readonly code: ReconcileCode;
      readonly orderId: string;
      readonly reason: 'orphan' | 'size-mismatch' | 'duplicate';
    }
  | {
      readonly kind: 'place-protective';
      readonly code: ReconcileCode;
      readonly purpose: 'stop' | 'take-profit';
      readonly side: PositionSide;
      readonly request: OrderRequest;
    }
  | {
      readonly kind: 'unprotected';
      readonly code: ReconcileCode;
      readonly side: PositionSide;
      readonly amountBtc: string;
    };

/**
 * What the bot knows about how a position missing from its mirror came to be: an entry intent that
 * reached the exchange. It explains the position only if it is of the same side, of the position's
 * size (requested or executed) and no older than ENTRY_HINT_MAX_AGE_MS; otherwise the position is of
 * unknown origin (closed as RECONCILE.UNPROTECTED when it has no stop).
 */
export interface EntryHint {
  readonly side: PositionSide;
  readonly intentId: string;
  readonly createdAtMs: number;
  /** The entry's requested size and, when known, its executed size. */
  readonly amountsBtc: readonly string[];
  /** A maker-first entry (with its market fallback): it explains any position of the side up to this size. */
  readonly upToBtc?: string;
  /** False when the entry's answer is not known (or it never reached the exchange): it explains nothing. */
  readonly sent?: boolean;
  readonly stopPriceJpy?: string;
  readonly takeProfitPriceJpy?: string;
}

export interface ReconcileInput {
  readonly pair: string;
  readonly nowMs: number;
  readonly exchangePositions: readonly MarginPosition[];
  readonly openOrders: readonly ExchangeOrder[];
  readonly stored: readonly MirroredPosition[];
  readonly entryHints: readonly EntryHint[];
  readonly takerFeeRate: number;
  /**
   * The bot's maker-first exit orders (intent `exit-maker`): a closing limit, but neither a
   * take-profit nor a foreign order. Kept while their position lives (a take-profit gone meanwhile
   * is not placed again while one rests: on spot it holds the BTC); cancelled once the position is
   * gone, so that it never opens the other side (margin) or sells BTC the bot no longer holds (spot).
   */
  readonly restingExitOrderIds?: ReadonlySet<string>;
}

const SIDES: readonly PositionSide[] = ['long', 'short'];

/** Entry intents older than this never explain a position (a crash is healed within a bar or two). */
export const ENTRY_HINT_MAX_AGE_MS = 2 * 86_400_000;

/** Only the side's newest entry intent may explain a position, and only if it reached the exchange with the position's size. */
function matchingHint(input: ReconcileInput, position: MarginPosition): EntryHint | undefined {
  const newest = input.entryHints
    .filter((h) => h.side === position.side && input.nowMs - h.createdAtMs <= ENTRY_HINT_MAX_AGE_MS)
    .sort((a, b) => b.createdAtMs - a.createdAtMs)[0];
  if (newest === undefined || newest.sent === false) return undefined;
  const upTo = newest.upToBtc !== undefined && compareDecimal(position.amountBtc, newest.upToBtc) <= 0;
  return upTo || newest.amountsBtc.some((a) => compareDecimal(a, position.amountBtc) === 0) ? newest : undefined;
}

export function reconcileDiff(input: ReconcileInput): ReconcileFix[] {
  const fixes: ReconcileFix[] = [];
  const live = new Map<PositionSide, MirroredPosition>();
  for (const side of SIDES) {
    const onExchange = input.exchangePositions.find(
      (p) => p.pair === input.pair && p.side === side && compareDecimal(p.amountBtc, '0') > 0,
    );
    const stored = input.stored.find((p) => p.side === side);
    if (onExchange === undefined) {
      if (stored !== undefined)
        fixes.push({ kind: 'position-closed', code: 'RECONCILE.FILL_BOOKED', position: stored });
      continue;
    }
    if (stored === undefined) {
      const position = adopt(input, onExchange, matchingHint(input, onExchange));
      fixes.push({ kind: 'position-adopted', code: 'RECONCILE.POSITION_SYNCED', position });
      live.set(side, position);
    } else if (compareDecimal(stored.amountBtc, onExchange.amountBtc) !== 0) {
      const position = {
        ...stored,
        amountBtc: onExchange.amountBtc,
        entryPriceJpy: Number(onExchange.averagePriceJpy),
        updatedAtMs: input.nowMs,
      };
      fixes.push({
        kind: 'position-resized',
        code: 'RECONCILE.POSITION_SYNCED',
        position,
        previousAmountBtc: stored.amountBtc,
      });
      live.set(side, position);
    } else {
      live.set(side, stored);
    }
  }
  fixes.push(...protectiveFixes(input, live));
  return fixes;
}

function adopt(input: ReconcileInput, p: MarginPosition, hint: EntryHint | undefined): MirroredPosition {
  const entryPriceJpy = Number(p.averagePriceJpy);
  return {
    pair: input.pair,
    side: p.side,
    amountBtc: p.amountBtc,
    entryPriceJpy,
    entryTimeMs: hint?.createdAtMs ?? input.nowMs,
    entryFeePerBtcJpy: entryPriceJpy * input.takerFeeRate,
    ...(hint?.stopPriceJpy !== undefined ? { stopPriceJpy: hint.stopPriceJpy } : {}),
    ...(hint?.takeProfitPriceJpy !== undefined ? { takeProfitPriceJpy: hint.takeProfitPriceJpy } : {}),
    ...(hint !== undefined ? { entryIntentId: hint.intentId } : {}),
    adopted: hint === undefined,
    updatedAtMs: input.nowMs,
  };
}

/** Orphans cancelled; each live position gets exactly one stop and one take-profit of its size. */
function protectiveFixes(input: ReconcileInput, live: ReadonlyMap<PositionSide, MirroredPosition>): ReconcileFix[] {
  const fixes: ReconcileFix[] = [];
  // Wrong-sized orders are cancelled after their replacements go out: the old stop protects until then.
  const resized: ReconcileFix[] = [];
  const kept = new Set<string>();
  const seen = new Set<string>();
  const orphan = (o: ExchangeOrder): ReconcileFix => ({
    kind: 'cancel-order',
    code: 'RECONCILE.ORPHAN_CANCELLED',
    orderId: o.orderId,
    reason: 'orphan',
  });
  for (const order of input.openOrders) {
    if (input.restingExitOrderIds?.has(order.orderId) && order.positionSide !== undefined) {
      if (live.has(order.positionSide)) kept.add(`${order.positionSide}:exit`);
      else fixes.push(orphan(order));
      continue;
    }
    const kind = protectiveKind(order);
    if (kind === undefined) continue;
    const position = live.get(kind.positionSide);
    const key = `${kind.positionSide}:${kind.kind}`;
    seen.add(key);
    if (position === undefined) fixes.push(orphan(order));
    else if (compareDecimal(order.remainingBtc, position.amountBtc) !== 0)
      resized.push({
        kind: 'cancel-order',
        code: 'RECONCILE.ORPHAN_CANCELLED',
        orderId: order.orderId,
        reason: 'size-mismatch',
      });
    else if (kept.has(key))
      fixes.push({
        kind: 'cancel-order',
        code: 'RECONCILE.ORPHAN_CANCELLED',
        orderId: order.orderId,
        reason: 'duplicate',
      });
    else kept.add(key);
  }
  for (const [side, position] of live) {
    if (!kept.has(`${side}:stop`)) {
      if (position.stopPriceJpy === undefined)
        fixes.push({ kind: 'unprotected', code: 'RECONCILE.UNPROTECTED', side, amountBtc: position.amountBtc });
      else
        fixes.push({
          kind: 'place-protective',
          code: 'RECONCILE.STOP_PLACED',
          purpose: 'stop',
          side,
          request: stopRequest(input.pair, side, position.amountBtc, position.stopPriceJpy),
        });
    }
    // A take-profit absent while a maker exit rests is not placed again (on spot the exit holds its BTC);
    // one of the wrong size (the exit filled in part) is replaced at the new size.
    const exitHolds = kept.has(`${side}:exit`) && !seen.has(`${side}:take-profit`);
    const takeProfitDue = !kept.has(`${side}:take-profit`) && !exitHolds;
    if (takeProfitDue && position.takeProfitPriceJpy !== undefined) {
      fixes.push({
        kind: 'place-protective',
        code: 'RECONCILE.STOP_PLACED',
        purpose: 'take-profit',
        side,
        request: takeProfitRequest(input.pair, side, position.amountBtc, position.takeProfitPriceJpy),
      });
    }
  }
  return [...fixes, ...resized];
}
