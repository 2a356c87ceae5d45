import { BotError, toBotError } from '../core/errors.js';
import { compareDecimal } from '../core/money.js';
import type { ExitReason, TradePlan } from '../core/plan.js';
import {
  entryRequest,
  exitRequest,
  stopRequest,
  takeProfitRequest,
  withAnswer,
  type OrderIntent,
} from '../core/tick/intent.js';
import { exitFallbackAmount, makerEntryRequest, makerExitRequest, type MakerExecution } from '../core/tick/maker.js';
import type { MirroredPosition } from '../core/tick/position.js';
import type { OrderRequest, OrderStatus, PositionSide } from '../ports/exchange.port.js';
import { orders } from '../store/tick-collections.js';
import { isRefusal, placeWithIntent, type TickScope } from './place-order.js';

export interface EntryGates {
  /** The kill switch is on (set by a person, the drawdown breaker, or unreadable). */
  readonly killSwitch: boolean;
  /** The tick runs inside its bar's entry window (a late delivery must not open on a stale price). */
  readonly inEntryWindow: boolean;
  /** A maker-first entry still works, or was replaced at market, in this bar: no second entry (resting-entry.ts). */
  readonly entryBusy?: boolean;
  /** A maker-first exit still works, or ended in this tick: no second exit in this bar (resting-exit.ts). */
  readonly exitBusy?: boolean;
}

/**
 * Acts on the plan. An entry is followed at once by its stop and take-profit for the size the
 * exchange shows, inside this step (the settle pass only checks). An exit is sent first and the
 * position's stops stay on the exchange until it is gone (the settle pass then cancels them as
 * orphans), so a refused exit never leaves the position naked. The kill switch and the entry window
 * block entries only; exits and protective orders are never blocked. With EXECUTION maker-only or
 * maker-then-taker an entry is a post-only limit at the best bid/ask that rests across ticks
 * (resting-entry.ts follows it); a part filled at once is protected at once. A planned exit then
 * goes as a post-only limit at the best ask (closing a long) / bid (closing a short) for the position
 * the exchange shows, beside the stop and take-profit (resting-exit.ts follows it).
 * Returns the exit reason by closing order id, for booking.
 */
export async function executePlan(
  scope: TickScope,
  plan: TradePlan,
  position: MirroredPosition | undefined,
  gates: EntryGates,
): Promise<Map<string, ExitReason>> {
  const { deps, log } = scope;
  const { pair } = deps.settings;
  const reasons = new Map<string, ExitReason>();
  if (plan.action === 'enter') {
    if (gates.killSwitch) {
      log.warn('kill switch set: entry not placed', { code: 'RISK.KILL_SWITCH', side: plan.side });
      return reasons;
    }
    if (!gates.inEntryWindow) {
      log.warn('past the entry window of the bar: entry not placed', {
        code: 'TICK.LATE_ENTRY',
        side: plan.side,
        lateMs: deps.clock.nowMs() - scope.barOpenMs,
      });
      return reasons;
    }
    if (position) {
      log.warn('plan asked to enter while a position is open: ignored', {
        code: 'STRATEGY.FAILED',
        side: plan.side,
        open: position.side,
      });
      return reasons;
    }
    if (gates.entryBusy) {
      log.info('a maker-first entry is working in this bar: no second entry', { code: 'TICK.OK', side: plan.side });
      return reasons;
    }
    const protective = { stopPriceJpy: plan.stopPriceJpy, takeProfitPriceJpy: plan.takeProfitPriceJpy };
    const execution = deps.settings.execution ?? 'taker';
    if (execution === 'taker') {
      const entry = await placeWithIntent(scope, 'entry', entryRequest(pair, plan.side, plan.amountBtc), protective);
      if (entry.status === 'sent') await protectEntry(scope, plan.side, entry);
      return reasons;
    }
    // Maker-first: a post-only limit at the best bid/ask that rests across ticks (resting-entry.ts ends it).
    const [ticker, rules] = await Promise.all([
      deps.exchange.fetchTicker(pair, scope.signal),
      deps.exchange.loadMarketRules(pair, scope.signal),
    ]);
    const resting = { execution, waitBars: deps.settings.makerWaitBars ?? 1 };
    const request = makerEntryRequest(pair, plan.side, plan.amountBtc, ticker, rules);
    const entry = await placeWithIntent(scope, 'entry', request, {
      ...protective,
      resting,
      entryTotalBtc: plan.amountBtc,
    });
    if (entry.status === 'sent' && compareDecimal(entry.executedBtc ?? '0', '0') > 0)
      await protectPosition(scope, plan.side, entry);
  } else if (plan.action === 'exit' && position) {
    if (gates.exitBusy) {
      const fields = { code: 'TICK.OK' as const, side: position.side };
      log.info('a maker-first exit works or ended in this bar: no second exit', fields);
      return reasons;
    }
    const execution = deps.settings.execution ?? 'taker';
    if (execution === 'taker') {
      const intent = await placeWithIntent(scope, 'exit', exitRequest(pair, position.side, position.amountBtc));
      if (intent.orderId) reasons.set(intent.orderId, plan.reason);
      return reasons;
    }
    await placeMakerExit(scope, position.side, plan.reason, execution);
  }
  return reasons;
}

/**
 * The post-only exit for the size the exchange shows (the mirror may be a fill behind); its intent
 * carries the exit reason, for the tick that books its fills.
 */
async function placeMakerExit(
  scope: TickScope,
  side: PositionSide,
  reason: ExitReason,
  execution: MakerExecution,
): Promise<void> {
  const { deps, signal } = scope;
  const { pair } = deps.settings;
  const [ticker, rules, positions] = await Promise.all([
    deps.exchange.fetchTicker(pair, signal),
    deps.exchange.loadMarketRules(pair, signal),
    deps.exchange.fetchMarginPositions(pair, signal),
  ]);
  const amount = exitFallbackAmount(positions.find((p) => p.side === side)?.amountBtc, rules);
  if (amount === undefined) return;
  const resting = { execution, waitBars: deps.settings.makerWaitBars ?? 1 };
  const request = makerExitRequest(pair, side, amount, ticker, rules);
  await placeWithIntent(scope, 'exit-maker', request, { resting, exitReason: reason });
}

/** Order states after which the executed amount no longer changes. */
const FINAL_STATUSES: readonly OrderStatus[] = [
  'FULLY_FILLED',
  'CANCELED_UNFILLED',
  'CANCELED_PARTIALLY_FILLED',
  'REJECTED',
];
/** How often and how long an entry still filling is looked at before the tick gives up (retryably). */
const ENTRY_SETTLE_POLLS = 5;
const ENTRY_SETTLE_POLL_MS = 400;

/**
 * Waits (briefly, within the deadline) until the entry's executed amount is final, records it on the
 * intent (so a later reconcile can match the position to it), then places the stop (and take-profit)
 * for the position the exchange shows on `side`. A filled entry whose position is not shown yet fails
 * the tick retryably (RECONCILE.ORDER_UNKNOWN): the retry adopts it and protects it, never a 200 that
 * leaves a position without its stop until the next bar.
 */
export async function protectEntry(scope: TickScope, side: PositionSide, sent: OrderIntent): Promise<void> {
  const entry = await settledEntry(scope, sent);
  if (compareDecimal(entry.executedBtc ?? '0', '0') <= 0) {
    scope.log.warn('entry ended without a fill: nothing to protect', {
      code: 'TICK.OK',
      intentId: entry.intentId,
      orderStatus: entry.orderStatus,
    });
    return;
  }
  await protectPosition(scope, side, entry);
}

/**
 * The stop (and take-profit) of `entry`'s prices for the whole position the exchange shows on `side`
 * (an entry filled in part, or a maker entry and its fallback together, are protected as one position).
 */
async function protectPosition(scope: TickScope, side: PositionSide, entry: OrderIntent): Promise<void> {
  const { deps, signal } = scope;
  const { pair } = deps.settings;
  const positions = await deps.exchange.fetchMarginPositions(pair, signal);
  const open = positions.find((p) => p.side === side && compareDecimal(p.amountBtc, '0') > 0);
  if (open === undefined) {
    throw new BotError(
      'RECONCILE.ORDER_UNKNOWN',
      `entry ${entry.intentId} filled ${entry.executedBtc} BTC but the exchange shows no ${side} position yet: retry protects it`,
      { details: { intentId: entry.intentId } },
    );
  }
  if (entry.stopPriceJpy !== undefined)
    await placeProtective(scope, 'stop', side, stopRequest(pair, side, open.amountBtc, entry.stopPriceJpy));
  if (entry.takeProfitPriceJpy !== undefined)
    await placeProtective(
      scope,
      'take-profit',
      side,
      takeProfitRequest(pair, side, open.amountBtc, entry.takeProfitPriceJpy),
    );
}

async function settledEntry(scope: TickScope, entry: OrderIntent): Promise<OrderIntent> {
  const { deps, signal } = scope;
  let current = entry;
  for (let poll = 0; !FINAL_STATUSES.includes(current.orderStatus as OrderStatus); poll += 1) {
    if (poll >= ENTRY_SETTLE_POLLS || current.orderId === undefined) {
      throw new BotError(
        'RECONCILE.ORDER_UNKNOWN',
        `entry ${entry.intentId} is still filling (${current.orderStatus ?? 'no status'}): retry protects it`,
        { details: { intentId: entry.intentId } },
      );
    }
    if (poll > 0) await deps.clock.sleep(ENTRY_SETTLE_POLL_MS, signal);
    current = withAnswer(
      current,
      await deps.exchange.fetchOrder(deps.settings.pair, current.orderId, signal),
      deps.clock.nowMs(),
    );
  }
  if (current !== entry) await deps.store.set(orders, current.intentId, current);
  return current;
}

/**
 * Places a stop or take-profit. A stop the exchange refuses (a final refusal, e.g. a minimum amount
 * that rose or a circuit break) must not leave the position naked nor block the rest of the tick: the
 * position is closed at market (RECONCILE.UNPROTECTED). A refused take-profit leaves the stop in place.
 * Retryable failures propagate (the tick fails and is retried).
 */
export async function placeProtective(
  scope: TickScope,
  purpose: 'stop' | 'take-profit',
  side: PositionSide,
  request: OrderRequest,
): Promise<OrderIntent | undefined> {
  const { log } = scope;
  try {
    return await placeWithIntent(scope, purpose, request);
  } catch (thrown) {
    const error = toBotError(thrown);
    if (!isRefusal(error)) throw error;
    if (purpose === 'take-profit') {
      log.error('take-profit refused by the exchange: the position keeps its stop', { code: error.code, side });
      return undefined;
    }
    log.error('stop refused by the exchange: closing the position at market rather than leave it unprotected', {
      code: 'RECONCILE.UNPROTECTED',
      cause: error.code,
      side,
      amountBtc: request.amountBtc,
    });
    await closeUnprotected(scope, side, request.amountBtc);
    return undefined;
  }
}

/**
 * Closes a position that cannot have its stop at market. A refusal is logged for a person to act (the
 * rest of the tick still runs); any other failure propagates, so the tick fails and is retried.
 */
export async function closeUnprotected(scope: TickScope, side: PositionSide, amountBtc: string): Promise<void> {
  const request = exitRequest(scope.deps.settings.pair, side, amountBtc);
  await placeWithIntent(scope, 'exit', request, {}, { announceRefusal: 'close' }).catch((thrown: unknown) => {
    const error = toBotError(thrown);
    if (!isRefusal(error)) throw error;
    scope.log.error('closing the unprotected position was refused: a person must act (kill switch, close by hand)', {
      code: 'RECONCILE.UNPROTECTED',
      cause: error.code,
      side,
    });
  });
}
