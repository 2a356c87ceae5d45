import { BotError, toBotError } from '../core/errors.js';
import { compareDecimal } from '../core/money.js';
import type { TradePlan } from '../core/plan.js';
import { entryRequest, intentSide, withAnswer, type OrderIntent } from '../core/tick/intent.js';
import {
  fallbackAmount,
  fallbackInRange,
  isWorking,
  restingVerdict,
  type CancelReason,
  type RestingOutcome,
} from '../core/tick/maker.js';
import { ENTRY_HINT_MAX_AGE_MS } from '../core/tick/reconcile.js';
import type { ExchangeOrder, PositionSide } from '../ports/exchange.port.js';
import { orders } from '../store/tick-collections.js';
import { protectEntry } from './execute-plan.js';
import { isRefusal, placeWithIntent, type TickScope } from './place-order.js';

/**
 * Follows maker-first entries (post-only limits resting across ticks, shared/core/tick/maker.ts):
 * each one still open in the store is looked at on the exchange and judged. Filled: done. Inside
 * its wait: left working. After MAKER_WAIT_BARS, or at once on a kill switch, a planned exit or a
 * plan for the other side: cancelled (the decision is written first, so a retry finishes it), then
 * the unfilled remainder goes out at market under its own intent `{makerTickId}_entry-fallback_{side}`
 * (sent at most once, found again after a lost answer) and the position gets its stop for its whole
 * size; or it is given up. A filled part without fallback is protected by the settle pass (reconcile
 * sizes protective orders to the position). Returns true when an entry works or was replaced at market
 * in this bar: the plan's entry then waits (one entry working at a time).
 */
export async function settleRestingEntries(scope: TickScope, plan: TradePlan, killSwitch: boolean): Promise<boolean> {
  const { deps } = scope;
  const { pair } = deps.settings;
  const sinceMs = deps.clock.nowMs() - ENTRY_HINT_MAX_AGE_MS;
  const listed = await deps.store.list(orders, {
    where: [
      ['purpose', '==', 'entry'],
      ['createdAtMs', '>=', sinceMs],
    ],
  });
  const open = listed
    .map((d) => d.data)
    .filter((i) => i.request.pair === pair && i.status === 'sent' && i.orderId !== undefined)
    .filter((i) => i.resting !== undefined && i.resting.outcome === undefined);
  let busy = false;
  for (const intent of open) {
    const side = intentSide(intent);
    const flip = plan.action === 'enter' && plan.side !== side;
    const stopReason = killSwitch ? 'kill-switch' : plan.action === 'exit' ? 'exit' : flip ? 'flip' : undefined;
    if (await settleOne(scope, intent, side, stopReason, killSwitch)) busy = true;
  }
  return busy;
}

async function settleOne(
  scope: TickScope,
  intent: OrderIntent,
  side: PositionSide,
  stopReason: Exclude<CancelReason, 'expired'> | undefined,
  killSwitch: boolean,
): Promise<boolean> {
  const { deps, log } = scope;
  const { resting, order, verdict, ...read } = await readResting(scope, intent, stopReason);
  let current = read.current;
  const fields = {
    code: 'TICK.OK' as const,
    intentId: intent.intentId,
    orderId: order.orderId,
    orderStatus: order.status,
  };
  if (verdict.kind === 'wait') {
    await deps.store.set(orders, intent.intentId, current);
    log.info('maker entry resting', { ...fields, executedBtc: order.executedBtc });
    return true;
  }
  if (verdict.kind === 'filled') {
    await finish(scope, current, 'filled');
    log.info('maker entry filled', { ...fields, executedBtc: order.executedBtc });
    return false;
  }
  current = { ...current, resting: { ...resting, cancelReason: verdict.reason } };
  await deps.store.set(orders, intent.intentId, current);
  const final = isWorking(order.status) ? await cancelWorking(scope, order) : order;
  current = withAnswer(current, final, deps.clock.nowMs());
  const how = verdict.reason === 'expired' ? 'expired' : `stopped (${verdict.reason})`;
  log.info(`maker entry ${how}`, {
    ...fields,
    orderStatus: final.status,
    executedBtc: final.executedBtc,
    reason: verdict.reason,
  });
  const fallback = verdict.fallback && !killSwitch && (await sendFallback(scope, current, side, final.executedBtc));
  const filled = compareDecimal(final.executedBtc, intent.request.amountBtc) >= 0;
  const unfilledEnd: RestingOutcome = verdict.reason === 'expired' ? 'given-up' : 'cancelled';
  await finish(scope, current, filled ? 'filled' : fallback ? 'fallback' : unfilledEnd);
  return fallback || verdict.reason === 'flip';
}

/** Cancels a working maker order and returns it as it ended (an order filled or gone meanwhile is read back). */
export async function cancelWorking(scope: TickScope, order: ExchangeOrder): Promise<ExchangeOrder> {
  const { deps, signal, log } = scope;
  const { pair } = deps.settings;
  const answer = await deps.exchange.cancelOrder(pair, order.orderId, signal).catch(async (thrown: unknown) => {
    const error = toBotError(thrown);
    if (error.retryable) throw error;
    log.warn('maker entry cancel refused: reading how it ended', { code: error.code, orderId: order.orderId });
    return deps.exchange.fetchOrder(pair, order.orderId, signal);
  });
  if (isWorking(answer.status)) {
    // bitbank answers a cancel with the order as it was cancelled; a still-working order is re-read once.
    const reread = await deps.exchange.fetchOrder(pair, order.orderId, signal);
    if (isWorking(reread.status)) {
      const message = `maker order ${order.orderId} still works after its cancel: retry`;
      throw new BotError('EXCHANGE.UNAVAILABLE', message, { details: { orderId: order.orderId } });
    }
    return reread;
  }
  return answer;
}

/** The unfilled remainder at market, once per maker entry, then the stop for the whole position. */
async function sendFallback(
  scope: TickScope,
  maker: OrderIntent,
  side: PositionSide,
  executedBtc: string,
): Promise<boolean> {
  const { deps, log, signal } = scope;
  const { pair } = deps.settings;
  const [rules, ticker] = await Promise.all([
    deps.exchange.loadMarketRules(pair, signal),
    deps.exchange.fetchTicker(pair, signal),
  ]);
  const amount = fallbackAmount(maker.request.amountBtc, executedBtc, rules);
  if (amount === undefined) {
    const fields = { code: 'TICK.OK' as const, intentId: maker.intentId, executedBtc };
    log.info('maker entry: remainder below the minimum amount, no fallback', fields);
    return false;
  }
  if (!fallbackInRange(side, ticker, maker.stopPriceJpy, maker.takeProfitPriceJpy)) {
    const fields = { code: 'TICK.OK' as const, intentId: maker.intentId, bidJpy: ticker.bidJpy, askJpy: ticker.askJpy };
    log.warn("maker entry: the price is past the plan's stop or take-profit, no fallback", fields);
    return false;
  }
  const extra = {
    ...(maker.stopPriceJpy ? { stopPriceJpy: maker.stopPriceJpy } : {}),
    ...(maker.takeProfitPriceJpy ? { takeProfitPriceJpy: maker.takeProfitPriceJpy } : {}),
    entryTotalBtc: maker.request.amountBtc,
  };
  try {
    // The maker entry's tick names the fallback: whichever run gets here finds the same intent.
    const request = entryRequest(pair, side, amount);
    const sent = await placeWithIntent({ ...scope, tickId: maker.tickId }, 'entry-fallback', request, extra);
    if (sent.status === 'sent') await protectEntry(scope, side, sent);
  } catch (thrown) {
    const error = toBotError(thrown);
    if (!isRefusal(error)) throw error;
    // The refusal is on the fallback's intent (never re-sent); a part already filled is protected by the settle pass.
    const fields = { code: error.code, intentId: maker.intentId, amountBtc: amount };
    log.error('maker entry fallback refused by the exchange', fields);
  }
  return true;
}

export async function finish(scope: TickScope, intent: OrderIntent, outcome: RestingOutcome): Promise<void> {
  const resting = intent.resting as NonNullable<OrderIntent['resting']>;
  const done: OrderIntent = { ...intent, resting: { ...resting, outcome }, updatedAtMs: scope.deps.clock.nowMs() };
  await scope.deps.store.set(orders, intent.intentId, done);
  scope.touched.set(intent.intentId, done);
}

/**
 * A resting maker order as this tick finds it: the exchange's answer, the intent updated with it, and the
 * verdict of the pure core (wait, filled, cancel with or without fallback). One reading for entries and exits.
 */
export async function readResting(
  scope: TickScope,
  intent: OrderIntent,
  stopReason: Exclude<CancelReason, 'expired'> | undefined,
): Promise<{
  resting: NonNullable<OrderIntent['resting']>;
  order: ExchangeOrder;
  current: OrderIntent;
  verdict: ReturnType<typeof restingVerdict>;
}> {
  const { deps, signal } = scope;
  const resting = intent.resting as NonNullable<OrderIntent['resting']>;
  const order = await deps.exchange.fetchOrder(deps.settings.pair, intent.orderId as string, signal);
  const current = withAnswer(intent, order, deps.clock.nowMs());
  const verdict = restingVerdict({
    resting,
    placedBarOpenMs: intent.barOpenMs,
    barOpenMs: scope.barOpenMs,
    orderStatus: order.status,
    ...(stopReason ? { stopReason } : {}),
  });
  return { resting, order, current, verdict };
}
