import { toBotError } from '../core/errors.js';
import type { ExitReason, TradePlan } from '../core/plan.js';
import { entryRequest, exitRequest, protectiveKind } from '../core/tick/intent.js';
import type { MirroredPosition } from '../core/tick/position.js';
import { placeWithIntent, type TickScope } from './place-order.js';

/**
 * Acts on the plan. Entries carry their stop and take-profit prices in the intent (the settle pass
 * places the protective orders once the position shows on the exchange). Exits cancel the
 * position's protective orders first, then close at market. The kill switch blocks entries here
 * too (the planner already should); exits and protective orders are never blocked.
 * Returns the exit reason by closing order id, for booking.
 */
export async function executePlan(scope: TickScope, plan: TradePlan, position: MirroredPosition | undefined, killSwitch: boolean): Promise<Map<string, ExitReason>> {
  const { deps, log, signal } = scope;
  const { pair } = deps.settings;
  const reasons = new Map<string, ExitReason>();
  if (plan.action === 'enter') {
    if (killSwitch) {
      log.warn('kill switch set: entry not placed', { code: 'RISK.KILL_SWITCH', side: plan.side });
      return reasons;
    }
    if (position) {
      log.warn('plan asked to enter while a position is open: ignored', { code: 'STRATEGY.FAILED', side: plan.side, open: position.side });
      return reasons;
    }
    await placeWithIntent(scope, 'entry', entryRequest(pair, plan.side, plan.amountBtc), { stopPriceJpy: plan.stopPriceJpy, takeProfitPriceJpy: plan.takeProfitPriceJpy });
  } else if (plan.action === 'exit' && position) {
    const open = await deps.exchange.fetchOpenOrders(pair, signal);
    for (const order of open.filter((o) => protectiveKind(o)?.positionSide === position.side)) {
      await deps.exchange.cancelOrder(pair, order.orderId, signal).catch((thrown: unknown) => {
        const error = toBotError(thrown);
        if (error.retryable) throw error;
        log.warn('cancel refused: the protective order is already gone', { code: error.code, orderId: order.orderId });
      });
    }
    const intent = await placeWithIntent(scope, 'exit', exitRequest(pair, position.side, position.amountBtc));
    if (intent.orderId) reasons.set(intent.orderId, plan.reason);
  }
  return reasons;
}
