import { toBotError } from '../core/errors.js';
import { compareDecimal } from '../core/money.js';
import { exitRequest, intentSide, withAnswer, type OrderIntent } from '../core/tick/intent.js';
import { exitFallbackAmount, isWorking, type RestingOutcome } from '../core/tick/maker.js';
import { ENTRY_HINT_MAX_AGE_MS } from '../core/tick/reconcile.js';
import type { PositionSide } from '../ports/exchange.port.js';
import { orders } from '../store/tick-collections.js';
import { isRefusal, placeWithIntent, type TickScope } from './place-order.js';
import { cancelWorking, finish, readResting } from './resting-entry.js';

/**
 * Follows maker-first planned exits (post-only closing limits resting across ticks beside the
 * position's stop and take-profit, shared/core/tick/maker.ts). Each one still open in the store is
 * looked at on the exchange and judged. Filled: done (the settle pass cancels the stop and
 * take-profit as orphans). Inside its wait: left working. Its position gone (the stop or take-profit
 * filled first; reconcile's first pass has already cancelled it): ended without fallback, so the
 * position never flips. After MAKER_WAIT_BARS: cancelled (the decision is written first), then with
 * maker-then-taker what the exchange still shows of the position goes out at market under
 * `{makerTickId}_exit-fallback_{side}` (sent at most once, found again after a lost answer);
 * with maker-only it is given up and the plan's exit in this same tick tries again (the backtest's
 * timing). Returns true when an exit works, filled or went to market: the plan's exit then waits.
 */
export async function settleRestingExits(scope: TickScope): Promise<boolean> {
  const { deps, signal } = scope;
  const { pair } = deps.settings;
  const sinceMs = deps.clock.nowMs() - ENTRY_HINT_MAX_AGE_MS;
  const where = [
    ['purpose', '==', 'exit-maker'],
    ['createdAtMs', '>=', sinceMs],
  ] as const;
  const listed = await deps.store.list(orders, { where: [...where] });
  const open = listed
    .map((d) => d.data)
    .filter((i) => i.request.pair === pair && i.status === 'sent' && i.orderId !== undefined)
    .filter((i) => i.resting !== undefined && i.resting.outcome === undefined);
  if (open.length === 0) return false;
  const positions = await deps.exchange.fetchMarginPositions(pair, signal);
  const sizeOf = (side: PositionSide): string | undefined =>
    positions.find((p) => p.side === side && compareDecimal(p.amountBtc, '0') > 0)?.amountBtc;
  let busy = false;
  for (const intent of open) {
    if (await settleExit(scope, intent, sizeOf(intentSide(intent)) === undefined)) busy = true;
  }
  return busy;
}

/** True when the exit still works, filled, or went to market in this tick; false when given up or ended unfilled. */
async function settleExit(scope: TickScope, intent: OrderIntent, closed: boolean): Promise<boolean> {
  const { deps, log } = scope;
  const { resting, order, verdict, ...read } = await readResting(scope, intent, closed ? 'closed' : undefined);
  let current = read.current;
  const fields = { code: 'TICK.OK' as const, intentId: intent.intentId, orderId: order.orderId };
  if (verdict.kind === 'wait') {
    await deps.store.set(orders, intent.intentId, current);
    log.info('maker exit resting', { ...fields, orderStatus: order.status, executedBtc: order.executedBtc });
    return true;
  }
  if (verdict.kind === 'filled') {
    await finish(scope, current, 'filled');
    log.info('maker exit filled', { ...fields, orderStatus: order.status, executedBtc: order.executedBtc });
    return true;
  }
  current = { ...current, resting: { ...resting, cancelReason: verdict.reason } };
  await deps.store.set(orders, intent.intentId, current);
  const final = isWorking(order.status) ? await cancelWorking(scope, order) : order;
  current = withAnswer(current, final, deps.clock.nowMs());
  const how = verdict.reason === 'expired' ? 'expired' : 'ended: its position is gone';
  const ended = { ...fields, orderStatus: final.status, executedBtc: final.executedBtc, reason: verdict.reason };
  log.info(`maker exit ${how}`, ended);
  const fallback = verdict.fallback && (await sendExitFallback(scope, current));
  const filled = compareDecimal(final.executedBtc, intent.request.amountBtc) >= 0;
  const unfilledEnd: RestingOutcome = verdict.reason === 'expired' ? 'given-up' : 'cancelled';
  await finish(scope, current, filled ? 'filled' : fallback ? 'fallback' : unfilledEnd);
  return filled || fallback;
}

/** What the exchange still shows of the position, at market, once per maker exit (the stop stays till it is gone). */
async function sendExitFallback(scope: TickScope, maker: OrderIntent): Promise<boolean> {
  const { deps, log, signal } = scope;
  const { pair } = deps.settings;
  const side = intentSide(maker);
  const [rules, positions] = await Promise.all([
    deps.exchange.loadMarketRules(pair, signal),
    deps.exchange.fetchMarginPositions(pair, signal),
  ]);
  const held = positions.find((p) => p.side === side && compareDecimal(p.amountBtc, '0') > 0)?.amountBtc;
  const amount = exitFallbackAmount(held, rules);
  if (amount === undefined) {
    const fields = { code: 'TICK.OK' as const, intentId: maker.intentId, heldBtc: held ?? '0' };
    log.info('maker exit: nothing left to close at market', fields);
    return false;
  }
  try {
    const extra = maker.exitReason ? { exitReason: maker.exitReason } : {};
    await placeWithIntent({ ...scope, tickId: maker.tickId }, 'exit-fallback', exitRequest(pair, side, amount), extra);
  } catch (thrown) {
    const error = toBotError(thrown);
    if (!isRefusal(error)) throw error;
    // The position keeps its stop; the next exit plan tries again.
    const fields = { code: error.code, intentId: maker.intentId, amountBtc: amount };
    log.error('maker exit fallback refused by the exchange: the position keeps its stop', fields);
  }
  return true;
}
