import { BotError, toBotError } from '../core/errors.js';
import {
  afterLookUp,
  intentId,
  intentSide,
  isProtective,
  stepForExisting,
  toIntentMatch,
  withAnswer,
  type IntentPurpose,
  type OrderIntent,
} from '../core/tick/intent.js';
import type { OrderRequest } from '../ports/exchange.port.js';
import type { Logger } from '../ports/logger.port.js';
import { orders } from '../store/tick-collections.js';
import { setWithEvents } from '../store/outbox.js';
import { protectiveFailedEvent } from '../core/notify/events.js';
import type { TickDeps } from './tick-deps.js';

/**
 * Answers that prove the exchange refused the order (nothing was placed). Any other failure, even a
 * final one such as an unreadable answer (EXCHANGE.BAD_RESPONSE), is treated as a lost answer: looked up.
 */
const REFUSALS: ReadonlySet<string> = new Set([
  'EXCHANGE.ORDER_REJECTED',
  'EXCHANGE.INSUFFICIENT_FUNDS',
  'EXCHANGE.CIRCUIT_BREAK',
  'EXCHANGE.AUTH',
  'EXCHANGE.NONCE',
]);

/** The exchange refused the order: nothing was placed. */
export function isRefusal(error: { code: string; retryable: boolean }): boolean {
  return !error.retryable && REFUSALS.has(error.code);
}

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
 * Sends one order exactly once per intent. The intent (bar, purpose, side, size, price) is created
 * with a precondition before the order is sent (a second writer of the same intent stops with
 * STORE.CONFLICT) and completed with the answer after. An intent already stored is never sent again
 * once it reached the exchange; one whose answer was lost is looked up first, and stays `unknown`
 * (RECONCILE.ORDER_UNKNOWN, retryable: the tick fails so that Scheduler retries) until a look-up
 * finds it or, after the settle window, proves it absent. An entry or exit proven absent or refused
 * is not re-sent in its bar; a stop or take-profit is (a position must keep its protection).
 */
export async function placeWithIntent(
  scope: TickScope,
  purpose: IntentPurpose,
  request: OrderRequest,
  extra: Partial<
    Pick<OrderIntent, 'stopPriceJpy' | 'takeProfitPriceJpy' | 'resting' | 'entryTotalBtc' | 'exitReason'>
  > = {},
  /** Announce a refusal (protective-failed, in the write that records it): stops, take-profits, unprotected closes. */
  options: { announceRefusal?: 'close' } = {},
): Promise<OrderIntent> {
  const { deps, signal, log } = scope;
  const id = intentId(scope.tickId, purpose, intentSide({ request }), request.amountBtc);
  let existing = await deps.store.get(orders, id);
  if (existing && stepForExisting(existing) === 'resolve') existing = await resolveIntent(scope, existing);
  if (existing) {
    if (existing.status === 'pending' || existing.status === 'unknown') throw orderUnknown(existing);
    if (stepForExisting(existing) === 'done') return remember(scope, existing);
  }
  signal.throwIfAborted();
  const nowMs = deps.clock.nowMs();
  const intent: OrderIntent = {
    intentId: id,
    tickId: scope.tickId,
    barOpenMs: scope.barOpenMs,
    purpose,
    request,
    ...extra,
    status: 'pending',
    attempt: (existing?.attempt ?? 0) + 1,
    createdAtMs: existing?.createdAtMs ?? nowMs,
    updatedAtMs: nowMs,
    sendAtMs: nowMs,
  };
  await writeAttempt(scope, intent, existing);
  await deps.fault?.('intent');
  if (signal.aborted) {
    // The deadline passed between the intent and the send: provably not sent (never `unknown`).
    await deps.store.set(orders, id, { ...intent, status: 'not-sent', updatedAtMs: deps.clock.nowMs() });
    signal.throwIfAborted();
  }
  let answered: OrderIntent;
  try {
    const order = await deps.exchange.placeOrder(request, signal);
    await deps.fault?.('send');
    answered = withAnswer(intent, order, deps.clock.nowMs());
  } catch (thrown) {
    const error = toBotError(thrown);
    if (isRefusal(error)) {
      const rejected: OrderIntent = {
        ...intent,
        status: 'rejected',
        errorCode: error.code,
        message: error.message.slice(0, 300),
        updatedAtMs: deps.clock.nowMs(),
      };
      const announced = isProtective(purpose) ? purpose : options.announceRefusal;
      const side = intentSide(intent);
      const events = announced
        ? [
            protectiveFailedEvent(
              id,
              { side, purpose: announced, code: error.code, message: rejected.message ?? '' },
              rejected.updatedAtMs,
            ),
          ]
        : [];
      await setWithEvents(deps.store, orders, id, rejected, events);
      log.error(
        `${purpose} order rejected${isProtective(purpose) ? ': attempted again by the next delivery or tick' : ''}`,
        { code: error.code, intentId: id, purpose },
      );
      remember(scope, rejected);
      throw error;
    }
    if (error.code === 'INTERNAL') throw error; // an injected crash or a bug: the intent stays pending
    // The answer was lost or unreadable: the exchange may have the order, or may still accept it. Never send it again blind.
    log.warn('order answer lost: looking it up before anything else', { code: error.code, intentId: id, purpose });
    const resolved = await resolveIntent(scope, {
      ...intent,
      status: 'unknown',
      updatedAtMs: deps.clock.nowMs(),
    }).catch(async () => {
      const unknown: OrderIntent = { ...intent, status: 'unknown', updatedAtMs: deps.clock.nowMs() };
      await deps.store.set(orders, id, unknown);
      return remember(scope, unknown);
    });
    if (resolved.status === 'sent') return resolved;
    throw error;
  }
  await deps.store.set(orders, id, answered);
  await deps.fault?.('answer');
  log.info('order placed', {
    code: 'TICK.OK',
    intentId: id,
    purpose,
    orderId: answered.orderId,
    orderStatus: answered.orderStatus,
    side: request.side,
    type: request.type,
    amountBtc: request.amountBtc,
  });
  await deps.audit?.({
    kind: 'order',
    atMs: deps.clock.nowMs(),
    actor: 'tick',
    details: { intentId: id, purpose, orderId: answered.orderId, request: { ...request } },
  });
  return remember(scope, answered);
}

/**
 * Writes a new attempt of an intent with a precondition: the first attempt is an atomic create, a
 * later one replaces exactly the attempt this run read. Anything else means another run is writing
 * the same intent: STORE.CONFLICT, and this run sends nothing.
 */
async function writeAttempt(scope: TickScope, intent: OrderIntent, seen: OrderIntent | undefined): Promise<void> {
  const { store } = scope.deps;
  const conflict = (): BotError =>
    new BotError('STORE.CONFLICT', `another run is writing order intent ${intent.intentId}: not sending`, {
      details: { intentId: intent.intentId },
    });
  if (seen === undefined) {
    if (!(await store.create(orders, intent.intentId, intent))) throw conflict();
    return;
  }
  await store.runTransaction(async (tx) => {
    const current = await tx.get(orders, intent.intentId);
    if (current === undefined || current.attempt !== seen.attempt || current.status !== seen.status) throw conflict();
    tx.set(orders, intent.intentId, intent);
  });
}

/**
 * Looks an intent whose answer is not known up on the exchange: `sent` with its id when found;
 * `not-sent` when absent after the settle window; else `unknown` (looked up again later).
 */
export async function resolveIntent(scope: TickScope, intent: OrderIntent): Promise<OrderIntent> {
  const { deps, signal } = scope;
  const found = await deps.exchange.findOrder(toIntentMatch(intent), signal);
  const resolved = afterLookUp(intent, found, deps.clock.nowMs());
  await deps.store.set(orders, intent.intentId, resolved);
  const outcome = {
    sent: 'the order is on the exchange',
    'not-sent': 'the order never reached the exchange',
    unknown: 'not found yet, inside the settle window',
  } as const;
  scope.log.info(`lost order answer: ${outcome[resolved.status as keyof typeof outcome] ?? resolved.status}`, {
    code: resolved.status === 'unknown' ? 'RECONCILE.ORDER_UNKNOWN' : 'RECONCILE.INTENT_RESOLVED',
    intentId: intent.intentId,
    status: resolved.status,
    orderId: found?.orderId,
  });
  return remember(scope, resolved);
}

function orderUnknown(intent: OrderIntent): BotError {
  return new BotError(
    'RECONCILE.ORDER_UNKNOWN',
    `order intent ${intent.intentId} may be on the exchange (answer lost, not found yet): not sending it again; retry later`,
    {
      details: { intentId: intent.intentId, purpose: intent.purpose },
    },
  );
}

function remember(scope: TickScope, intent: OrderIntent): OrderIntent {
  scope.touched.set(intent.intentId, intent);
  return intent;
}
