import { toBotError } from '../core/errors.js';
import { bookOrderFills, closingFillsByOrder } from '../core/tick/booking.js';
import { ENTRY_PURPOSES, intentSide, MAKER_EXIT_PURPOSES, type OrderIntent } from '../core/tick/intent.js';
import { positionDocId, type MirroredPosition } from '../core/tick/position.js';
import { ENTRY_HINT_MAX_AGE_MS, reconcileDiff, type EntryHint, type ReconcileFix } from '../core/tick/reconcile.js';
import type { ExitReason } from '../core/plan.js';
import { compareDecimal } from '../core/money.js';
import type { ExchangeOrder, PositionSide } from '../ports/exchange.port.js';
import { orders, positions, trades } from '../store/tick-collections.js';
import { notificationEventsFor } from '../core/notify/events.js';
import { setWithEvents } from '../store/outbox.js';
import { outbox, pendingRecord } from '../store/outbox-collections.js';
import { ledgerBooking } from './health/summaries.js';
import { resolveIntent, type TickScope } from './place-order.js';
import { closeUnprotected, placeProtective } from './execute-plan.js';
import { assertStateSeparated } from './state-gate.js';

export interface ReconcileResult {
  readonly fixes: ReadonlyArray<{ kind: string; code: ReconcileFix['code'] | 'RECONCILE.INTENT_RESOLVED' }>;
  readonly positions: readonly MirroredPosition[];
}

/**
 * Brings Firestore in line with the exchange: lost order answers resolved, the position mirror
 * rebuilt from the exchange's positions, closed positions booked as trades (P&L with fees and
 * interest), orphan protective orders cancelled, missing ones placed. `expected` marks the pass
 * after the tick's own orders, whose changes are the tick's doing, not corrections to count.
 * The first pass starts by refusing a store that is not this mode's or that still holds trading
 * state from before paper and live were kept apart (STORE.MIXED_MODES, see state-gate.ts).
 */
export async function reconcile(
  scope: TickScope,
  options: { expected: boolean; exitReasons?: ReadonlyMap<string, ExitReason> },
): Promise<ReconcileResult> {
  const { deps, signal, log } = scope;
  const { pair, mode } = deps.settings;
  if (!options.expected) await assertStateSeparated(deps.store, deps.settings);
  const nowMs = deps.clock.nowMs();
  const fixes: Array<{ kind: string; code: ReconcileFix['code'] | 'RECONCILE.INTENT_RESOLVED' }> = [];
  // Intents whose answer is not known (written then crashed, or the answer was lost): found or proven absent first.
  const pending = (await deps.store.list(orders, { where: [['status', 'in', ['pending', 'unknown']]] })).map(
    (d) => d.data,
  );
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
  // Only entry and maker-exit intents (with their fallbacks) of the hint window are read
  // (an index on purpose + createdAtMs).
  const purposes = [...ENTRY_PURPOSES, ...MAKER_EXIT_PURPOSES];
  const sinceMs = nowMs - ENTRY_HINT_MAX_AGE_MS;
  const windowed = await deps.store.list(orders, {
    where: [
      ['purpose', 'in', purposes],
      ['createdAtMs', '>=', sinceMs],
    ],
  });
  const intents = windowed.map((d) => d.data).filter((i) => i.request.pair === pair);
  const entryHints = intents.filter((i) => ENTRY_PURPOSES.includes(i.purpose)).map(toHint);
  const { restingExitOrderIds, exitReasons } = makerExitsOf(intents, options.exitReasons);
  const diff = reconcileDiff({
    pair,
    nowMs,
    exchangePositions,
    openOrders,
    stored: stored.map((d) => d.data),
    entryHints,
    takerFeeRate: rules.takerFeeRate,
    restingExitOrderIds,
  });
  const live = new Map(stored.map((d) => [d.data.side, d.data]));
  // A maker-first entry fills between ticks: the tick that finds it adopts and protects it as planned, not as a correction.
  const makerFilled = new Set(
    diff.flatMap((f) =>
      f.kind === 'position-adopted' && isMakerHint(entryHints, f.position.entryIntentId) ? [f.position.side] : [],
    ),
  );
  const exitFilled = makerExitFilledSides(intents, openOrders);
  const sideOfOrder = new Map(openOrders.map((o) => [o.orderId, o.positionSide]));
  for (const fix of diff) {
    const makerFill =
      (fix.kind === 'position-adopted' || fix.kind === 'place-protective') &&
      makerFilled.has(fix.kind === 'position-adopted' ? fix.position.side : fix.side);
    const side = fixSide(fix, sideOfOrder);
    const makerExit = side !== undefined && exitFilled.has(side);
    const counted = fix.kind === 'unprotected' || (!options.expected && !makerFill && !makerExit);
    const fields = { code: fix.code, fix: fix.kind, mode, expected: !counted };
    switch (fix.kind) {
      case 'position-adopted':
      case 'position-resized':
        await setWithEvents(
          deps.store,
          positions,
          positionDocId(pair, fix.position.side),
          fix.position,
          fix.kind === 'position-adopted' ? notificationEventsFor({ opened: fix.position }) : [],
        );
        if (fix.kind === 'position-resized') {
          await book(scope, { ...fix.position, amountBtc: fix.previousAmountBtc }, exitReasons);
        }
        live.set(fix.position.side, fix.position);
        log.info(`position ${fix.kind === 'position-adopted' ? 'taken from' : 'resized to'} the exchange's`, {
          ...fields,
          side: fix.position.side,
          amountBtc: fix.position.amountBtc,
        });
        break;
      case 'position-closed':
        log.info('position closed on the exchange: booking its fills', {
          ...fields,
          side: fix.position.side,
          booked: await book(scope, fix.position, exitReasons),
        });
        await deps.store.delete(positions, positionDocId(pair, fix.position.side));
        live.delete(fix.position.side);
        break;
      case 'cancel-order':
        await deps.exchange.cancelOrder(pair, fix.orderId, signal).catch((thrown: unknown) => {
          const error = toBotError(thrown);
          if (error.retryable) throw error;
          log.warn('cancel refused: the order is already gone', { code: error.code, orderId: fix.orderId });
        });
        const what = restingExitOrderIds.has(fix.orderId)
          ? 'maker exit cancelled: its position is gone'
          : 'protective order cancelled';
        log.info(what, { ...fields, orderId: fix.orderId, reason: fix.reason });
        break;
      case 'place-protective': {
        const intent = await placeProtective(scope, fix.purpose, fix.side, fix.request);
        if (intent)
          log.info(`${fix.purpose} placed for the ${fix.side} position`, { ...fields, orderId: intent.orderId });
        break;
      }
      case 'unprotected': {
        log.error('a position of unknown origin has no stop price: closing it at market', {
          ...fields,
          side: fix.side,
          amountBtc: fix.amountBtc,
        });
        await closeUnprotected(scope, fix.side, fix.amountBtc);
        break;
      }
    }
    if (counted) fixes.push({ kind: fix.kind, code: fix.code });
  }
  return { fixes, positions: [...live.values()] };
}

/**
 * Books the closing fills of `position`, one `trades/{pair}_{closingOrderId}` document per closing
 * order, fill by fill: a fill of an order already booked in part is added to that trade; a fill
 * already in it is never counted again. The trade, the mode's trade ledger (health) and the close's
 * notification (outbox, at the first booking) are written in one transaction. Returns the trades written.
 */
async function book(
  scope: TickScope,
  position: MirroredPosition,
  reasons: ReadonlyMap<string, ExitReason> = new Map(),
): Promise<number> {
  const { deps, signal } = scope;
  const fills = await deps.exchange.fetchTrades(position.pair, position.entryTimeMs - 60_000, signal);
  let booked = 0;
  for (const [orderId, orderFills] of closingFillsByOrder(position, fills)) {
    const id = `${position.pair}_${orderId}`;
    const trade = await deps.store.runTransaction(async (tx) => {
      const before = await tx.get(trades, id);
      const next = bookOrderFills(position, before, orderFills, reasons.get(orderId));
      // The close is announced once, with its first booking, in the same transaction (outbox).
      if (next === undefined) return undefined;
      const events = before === undefined ? notificationEventsFor({ trade: next }) : [];
      const queued = await Promise.all(events.map((e) => tx.get(outbox, e.eventId)));
      const writeLedger = await ledgerBooking(tx, deps.settings.mode, before, next, deps.clock.nowMs());
      tx.set(trades, id, next);
      writeLedger();
      events.forEach((e, i) => queued[i] === undefined && tx.create(outbox, e.eventId, pendingRecord(e)));
      return next;
    });
    if (trade === undefined) continue;
    booked += 1;
    scope.log.info('trade booked', {
      code: 'RECONCILE.FILL_BOOKED',
      side: trade.side,
      amountBtc: trade.amountBtc,
      fills: trade.tradeIds.length,
      pnlJpy: trade.pnlJpy,
      feesJpy: trade.feesJpy,
      interestJpy: trade.interestJpy,
      exitReason: trade.exitReason,
      exchangeProfitLossJpy: trade.exchangeProfitLossJpy,
    });
  }
  return booked;
}

function toHint(intent: OrderIntent): EntryHint {
  return {
    side: intentSide(intent),
    intentId: intent.intentId,
    createdAtMs: intent.barOpenMs,
    amountsBtc: [intent.request.amountBtc, ...(intent.executedBtc ? [intent.executedBtc] : [])],
    sent: intent.status === 'sent',
    ...(intent.entryTotalBtc ? { upToBtc: intent.entryTotalBtc } : {}),
    ...(intent.stopPriceJpy ? { stopPriceJpy: intent.stopPriceJpy } : {}),
    ...(intent.takeProfitPriceJpy ? { takeProfitPriceJpy: intent.takeProfitPriceJpy } : {}),
  };
}

/**
 * The bot's maker exit orders (never take-profits nor foreign orders) and the exit reason of every
 * maker exit and fallback by order id: a maker exit fills between ticks, and whichever tick sees the
 * fill books it with the reason its plan gave. Reasons known to this tick win.
 */
function makerExitsOf(intents: readonly OrderIntent[], known: ReadonlyMap<string, ExitReason> = new Map()) {
  const makerExits = intents.filter((i) => MAKER_EXIT_PURPOSES.includes(i.purpose) && i.orderId !== undefined);
  const resting = makerExits.filter((i) => i.purpose === 'exit-maker');
  const restingExitOrderIds = new Set(resting.map((i) => i.orderId as string));
  const exitReasons = new Map<string, ExitReason>();
  for (const i of makerExits) if (i.exitReason) exitReasons.set(i.orderId as string, i.exitReason);
  for (const [orderId, reason] of known) exitReasons.set(orderId, reason);
  return { restingExitOrderIds, exitReasons };
}

/**
 * The sides whose resting maker exit filled (wholly: gone from the open orders; in part: executed)
 * since it was last looked at: the position closing or shrinking, and its stop and take-profit
 * cancelled or resized, are the plan's doing, not corrections. A stop that filled while the exit
 * rested unfilled is still counted.
 */
function makerExitFilledSides(
  intents: readonly OrderIntent[],
  openOrders: readonly ExchangeOrder[],
): Set<PositionSide> {
  const open = new Map(openOrders.map((o) => [o.orderId, o]));
  const following = intents.filter(
    (i) => i.purpose === 'exit-maker' && i.status === 'sent' && i.resting?.outcome === undefined,
  );
  return new Set(
    following.flatMap((i) => {
      const order = open.get(i.orderId as string);
      return order === undefined || compareDecimal(order.executedBtc, '0') > 0 ? [intentSide(i)] : [];
    }),
  );
}

function fixSide(
  fix: ReconcileFix,
  sideOfOrder: ReadonlyMap<string, PositionSide | undefined>,
): PositionSide | undefined {
  if (fix.kind === 'cancel-order') return sideOfOrder.get(fix.orderId);
  return 'position' in fix ? fix.position.side : fix.side;
}

function isMakerHint(hints: readonly EntryHint[], intentId: string | undefined): boolean {
  return intentId !== undefined && hints.some((h) => h.intentId === intentId && h.upToBtc !== undefined);
}
