import { compareDecimal } from '../core/money.js';
import type { ExitReason, TradePlan } from '../core/plan.js';
import { entryRequest, exitRequest, stopRequest, takeProfitRequest, type OrderIntent } from '../core/tick/intent.js';
import type { MirroredPosition } from '../core/tick/position.js';
import type { PositionSide } from '../ports/exchange.port.js';
import { placeWithIntent, type TickScope } from './place-order.js';

export interface EntryGates {
  /** The kill switch is on (set by a person, the drawdown breaker, or unreadable). */
  readonly killSwitch: boolean;
  /** The tick runs inside its bar's entry window (a late delivery must not open on a stale price). */
  readonly inEntryWindow: boolean;
}

/**
 * Acts on the plan. An entry is followed at once by its stop and take-profit for the size the
 * exchange shows, inside this step (the settle pass only checks). An exit is sent first and the
 * position's stops stay on the exchange until it is gone (the settle pass then cancels them as
 * orphans), so a refused exit never leaves the position naked. The kill switch and the entry window
 * block entries only; exits and protective orders are never blocked.
 * Returns the exit reason by closing order id, for booking.
 */
export async function executePlan(scope: TickScope, plan: TradePlan, position: MirroredPosition | undefined, gates: EntryGates): Promise<Map<string, ExitReason>> {
  const { deps, log } = scope;
  const { pair } = deps.settings;
  const reasons = new Map<string, ExitReason>();
  if (plan.action === 'enter') {
    if (gates.killSwitch) {
      log.warn('kill switch set: entry not placed', { code: 'RISK.KILL_SWITCH', side: plan.side });
      return reasons;
    }
    if (!gates.inEntryWindow) {
      log.warn('past the entry window of the bar: entry not placed', { code: 'TICK.LATE_ENTRY', side: plan.side, lateMs: deps.clock.nowMs() - scope.barOpenMs });
      return reasons;
    }
    if (position) {
      log.warn('plan asked to enter while a position is open: ignored', { code: 'STRATEGY.FAILED', side: plan.side, open: position.side });
      return reasons;
    }
    const entry = await placeWithIntent(scope, 'entry', entryRequest(pair, plan.side, plan.amountBtc), { stopPriceJpy: plan.stopPriceJpy, takeProfitPriceJpy: plan.takeProfitPriceJpy });
    if (entry.status === 'sent') await protectEntry(scope, plan.side, entry);
  } else if (plan.action === 'exit' && position) {
    const intent = await placeWithIntent(scope, 'exit', exitRequest(pair, position.side, position.amountBtc));
    if (intent.orderId) reasons.set(intent.orderId, plan.reason);
  }
  return reasons;
}

/** Places the entry's stop (then take-profit) for the position the exchange now shows on `side`. */
async function protectEntry(scope: TickScope, side: PositionSide, entry: OrderIntent): Promise<void> {
  const { deps, signal, log } = scope;
  const { pair } = deps.settings;
  const positions = await deps.exchange.fetchMarginPositions(pair, signal);
  const open = positions.find((p) => p.side === side && compareDecimal(p.amountBtc, '0') > 0);
  if (open === undefined) {
    log.info('entry not filled yet: the settle pass protects it when it shows', { code: 'TICK.OK', intentId: entry.intentId });
    return;
  }
  if (entry.stopPriceJpy !== undefined) await placeWithIntent(scope, 'stop', stopRequest(pair, side, open.amountBtc, entry.stopPriceJpy));
  if (entry.takeProfitPriceJpy !== undefined) await placeWithIntent(scope, 'take-profit', takeProfitRequest(pair, side, open.amountBtc, entry.takeProfitPriceJpy));
}
