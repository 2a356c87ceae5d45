import { toBotError } from '../core/errors.js';
import { intentId, stepForExisting, toIntentMatch, withAnswer, type IntentPurpose, type OrderIntent } from '../core/tick/intent.js';
import type { OrderRequest } from '../ports/exchange.port.js';
import type { Logger } from '../ports/logger.port.js';
import { orders } from '../store/tick-collections.js';
import type { TickDeps } from './tick-deps.js';

export interface TickScope {
  readonly deps: TickDeps;
  readonly tickId: string;
  readonly barOpenMs: number;
  readonly log: Logger;
  readonly signal: AbortSignal;
  /** Intents this run touched, for the tick record. */
  readonly touched: Map<string, OrderIntent>;
}

/**
 * Sends one order exactly once. The intent (bar, side, size, price, purpose) is written before the
 * order is sent and the answer after. An intent already stored under the same id is never sent
 * again once it reached the exchange; one whose answer was lost is looked up first (`findOrder`).
 * A lost answer that the look-up cannot resolve leaves the intent `pending` and fails the tick:
 * the next attempt or tick resolves it before anything else.
 */
export async function placeWithIntent(
  scope: TickScope,
  purpose: IntentPurpose,
  request: OrderRequest,
  protective: { stopPriceJpy?: string; takeProfitPriceJpy?: string } = {},
): Promise<OrderIntent> {
  const { deps, signal, log } = scope;
  const id = intentId(scope.tickId, purpose);
  const existing = await deps.store.get(orders, id);
  if (existing) {
    const step = stepForExisting(existing);
    if (step === 'done') return remember(scope, existing);
    if (step === 'resolve') {
      const resolved = await resolveIntent(scope, existing);
      if (resolved.status !== 'not-sent') return resolved;
    }
  }
  const nowMs = deps.clock.nowMs();
  const intent: OrderIntent = {
    intentId: id, tickId: scope.tickId, barOpenMs: scope.barOpenMs, purpose, request, ...protective,
    status: 'pending', attempt: (existing?.attempt ?? 0) + 1, createdAtMs: nowMs, updatedAtMs: nowMs,
  };
  await deps.store.set(orders, id, intent);
  await deps.fault?.('intent');
  let answered: OrderIntent;
  try {
    const order = await deps.exchange.placeOrder(request, signal);
    await deps.fault?.('send');
    answered = withAnswer(intent, order, deps.clock.nowMs());
  } catch (thrown) {
    const error = toBotError(thrown);
    if (!error.retryable) {
      if (error.code === 'INTERNAL') throw error; // an injected crash or a bug: the intent stays pending
      const rejected: OrderIntent = { ...intent, status: 'rejected', errorCode: error.code, message: error.message.slice(0, 300), updatedAtMs: deps.clock.nowMs() };
      await deps.store.set(orders, id, rejected);
      log.error('order rejected', { code: error.code, intentId: id, purpose });
      remember(scope, rejected);
      throw error;
    }
    log.warn('order answer lost: looking it up before anything else', { code: error.code, intentId: id, purpose });
    const resolved = await resolveIntent(scope, intent).catch(() => intent);
    if (resolved.status === 'sent') return resolved;
    throw error;
  }
  await deps.store.set(orders, id, answered);
  await deps.fault?.('answer');
  log.info('order placed', { code: 'TICK.OK', intentId: id, purpose, orderId: answered.orderId, orderStatus: answered.orderStatus, side: request.side, type: request.type, amountBtc: request.amountBtc });
  await deps.audit?.({ kind: 'order', atMs: deps.clock.nowMs(), actor: 'tick', details: { intentId: id, purpose, orderId: answered.orderId, request: { ...request } } });
  return remember(scope, answered);
}

/** Finds a pending intent's order on the exchange: `sent` with its id, or `not-sent` (provably absent). */
export async function resolveIntent(scope: TickScope, intent: OrderIntent): Promise<OrderIntent> {
  const { deps, signal } = scope;
  const found = await deps.exchange.findOrder(toIntentMatch(intent), signal);
  const nowMs = deps.clock.nowMs();
  const resolved: OrderIntent = found ? withAnswer(intent, found, nowMs) : { ...intent, status: 'not-sent', updatedAtMs: nowMs };
  await deps.store.set(orders, intent.intentId, resolved);
  scope.log.info(found ? 'lost order answer resolved: the order is on the exchange' : 'lost order answer resolved: the order never reached the exchange', {
    code: 'RECONCILE.INTENT_RESOLVED',
    intentId: intent.intentId,
    orderId: found?.orderId,
  });
  return remember(scope, resolved);
}

function remember(scope: TickScope, intent: OrderIntent): OrderIntent {
  scope.touched.set(intent.intentId, intent);
  return intent;
}
