import { toBotError } from '../core/errors.js';
import { bookClosingFills } from '../core/tick/booking.js';
import { exitRequest, type OrderIntent } from '../core/tick/intent.js';
import { positionDocId, type MirroredPosition } from '../core/tick/position.js';
import { reconcileDiff, type EntryHint, type ReconcileFix } from '../core/tick/reconcile.js';
import type { ExitReason } from '../core/plan.js';
import { orders, positions } from '../store/tick-collections.js';
import { bookTrade } from './health/summaries.js';
import { placeWithIntent, resolveIntent, type TickScope } from './place-order.js';

const DAY_MS = 86_400_000;
/** How far back entry intents are read to explain a position the mirror lacks (a crash right after an entry). */
const HINT_LOOKBACK_MS = 2 * DAY_MS;

export interface ReconcileResult {
  readonly fixes: ReadonlyArray<{ kind: string; code: ReconcileFix['code'] | 'RECONCILE.INTENT_RESOLVED' }>;
  readonly positions: readonly MirroredPosition[];
}

/**
 * Brings Firestore in line with the exchange: lost order answers resolved, the position mirror
 * rebuilt from the exchange's positions, closed positions booked as trades (P&L with fees and
 * interest), orphan protective orders cancelled, missing ones placed. `expected` marks the pass
 * after the tick's own orders, whose changes are the tick's doing, not corrections to count.
 */
export async function reconcile(scope: TickScope, options: { expected: boolean; exitReasons?: ReadonlyMap<string, ExitReason> }): Promise<ReconcileResult> {
  const { deps, signal, log } = scope;
  const { pair, mode } = deps.settings;
  const nowMs = deps.clock.nowMs();
  const fixes: Array<{ kind: string; code: ReconcileFix['code'] | 'RECONCILE.INTENT_RESOLVED' }> = [];
  const pending = (await deps.store.list(orders, { where: [['status', '==', 'pending']] })).map((d) => d.data);
  for (const intent of pending.filter((i) => i.request.pair === pair)) {
    if (scope.touched.has(intent.intentId) && options.expected) continue;
    await resolveIntent(scope, intent);
    fixes.push({ kind: 'intent-resolved', code: 'RECONCILE.INTENT_RESOLVED' });
  }
  // Open orders first, then positions (not at once): a stop placed between the two reads is then
  // absent from the orders read, so it can never look like an orphan (stop without position) and be cancelled.
  const openOrders = await deps.exchange.fetchOpenOrders(pair, signal);
  const [exchangePositions, rules, stored] = await Promise.all([
    deps.exchange.fetchMarginPositions(pair, signal),
    deps.exchange.loadMarketRules(pair, signal),
    deps.store.list(positions, { where: [['pair', '==', pair]] }),
  ]);
  const intents = await deps.store.list(orders, { where: [['createdAtMs', '>=', nowMs - HINT_LOOKBACK_MS]] });
  const entryHints = intents.map((d) => d.data).filter((i) => i.purpose === 'entry' && i.status === 'sent').map(toHint);
  const diff = reconcileDiff({ pair, nowMs, exchangePositions, openOrders, stored: stored.map((d) => d.data), entryHints, takerFeeRate: rules.takerFeeRate });
  const live = new Map(stored.map((d) => [d.data.side, d.data]));
  for (const fix of diff) {
    const counted = !options.expected || fix.kind === 'unprotected';
    const fields = { code: fix.code, fix: fix.kind, mode, expected: !counted };
    switch (fix.kind) {
      case 'position-adopted':
      case 'position-resized':
        await deps.store.set(positions, positionDocId(pair, fix.position.side), fix.position);
        if (fix.kind === 'position-resized') await book(scope, { ...fix.position, amountBtc: fix.previousAmountBtc }, options.exitReasons);
        live.set(fix.position.side, fix.position);
        log.info(`position ${fix.kind === 'position-adopted' ? 'taken from' : 'resized to'} the exchange's`, { ...fields, side: fix.position.side, amountBtc: fix.position.amountBtc });
        break;
      case 'position-closed':
        log.info('position closed on the exchange: booking its fills', { ...fields, side: fix.position.side, booked: await book(scope, fix.position, options.exitReasons) });
        await deps.store.delete(positions, positionDocId(pair, fix.position.side));
        live.delete(fix.position.side);
        break;
      case 'cancel-order':
        await deps.exchange.cancelOrder(pair, fix.orderId, signal).catch((thrown: unknown) => {
          const error = toBotError(thrown);
          if (error.retryable) throw error;
          log.warn('cancel refused: the order is already gone', { code: error.code, orderId: fix.orderId });
        });
        log.info('protective order cancelled', { ...fields, orderId: fix.orderId, reason: fix.reason });
        break;
      case 'place-protective': {
        const intent = await placeWithIntent(scope, fix.purpose, fix.request);
        log.info(`${fix.purpose} placed for the ${fix.side} position`, { ...fields, orderId: intent.orderId });
        break;
      }
      case 'unprotected': {
        log.error('a position of unknown origin has no stop price: closing it at market', { ...fields, side: fix.side, amountBtc: fix.amountBtc });
        await placeWithIntent(scope, 'exit', exitRequest(pair, fix.side, fix.amountBtc));
        break;
      }
    }
    if (counted) fixes.push({ kind: fix.kind, code: fix.code });
  }
  return { fixes, positions: [...live.values()] };
}

/** Books the closing fills of `position` (idempotent: one `trades` document per closing order, added to the trade ledger in the same transaction). */
async function book(scope: TickScope, position: MirroredPosition, reasons: ReadonlyMap<string, ExitReason> = new Map()): Promise<number> {
  const { deps, signal } = scope;
  const fills = await deps.exchange.fetchTrades(position.pair, position.entryTimeMs - 60_000, signal);
  let booked = 0;
  for (const trade of bookClosingFills(position, fills, reasons)) {
    if (await bookTrade(deps.store, trade, deps.settings.mode, deps.clock.nowMs())) {
      booked += 1;
      scope.log.info('trade booked', { code: 'RECONCILE.FILL_BOOKED', side: trade.side, pnlJpy: trade.pnlJpy, feesJpy: trade.feesJpy, interestJpy: trade.interestJpy, exitReason: trade.exitReason, exchangeProfitLossJpy: trade.exchangeProfitLossJpy });
    }
  }
  return booked;
}

function toHint(intent: OrderIntent): EntryHint {
  return {
    side: intent.request.positionSide ?? (intent.request.side === 'buy' ? 'long' : 'short'),
    intentId: intent.intentId,
    createdAtMs: intent.barOpenMs,
    ...(intent.stopPriceJpy ? { stopPriceJpy: intent.stopPriceJpy } : {}),
    ...(intent.takeProfitPriceJpy ? { takeProfitPriceJpy: intent.takeProfitPriceJpy } : {}),
  };
}
