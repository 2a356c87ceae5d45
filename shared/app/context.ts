import { toOpenPosition, type MirroredPosition } from '../core/tick/position.js';
import type { MarginStatus } from '../ports/exchange.port.js';
import { KILL_SWITCH_DOC, equity, killSwitch, orders, trades } from '../store/tick-collections.js';
import type { TickScope } from './place-order.js';
import type { DecisionContext } from './tick-deps.js';

const DAY_MS = 86_400_000;
/** Closed trades the planner sees (Kelly window, loss streaks, daily limits). */
const TRADES_LOOKBACK_MS = 90 * DAY_MS;

export interface GatheredContext {
  readonly context: DecisionContext;
  readonly marginStatus: MarginStatus;
}

/** Everything the planner needs besides market data: position, equity and its peak, trades, limits, kill switch. */
export async function gatherContext(scope: TickScope, position: MirroredPosition | undefined, nowMs: number): Promise<GatheredContext> {
  const { deps, signal } = scope;
  const { pair } = deps.settings;
  const [marginStatus, rules, circuitBreak, kill, recentTrades, lastEquity, recentIntents] = await Promise.all([
    deps.exchange.fetchMarginStatus(signal),
    deps.exchange.loadMarketRules(pair, signal),
    deps.exchange.fetchCircuitBreakMode(pair, signal),
    deps.store.get(killSwitch, KILL_SWITCH_DOC),
    deps.store.list(trades, { where: [['exitTimeMs', '>=', nowMs - TRADES_LOOKBACK_MS]], orderBy: { field: 'exitTimeMs' } }),
    deps.store.list(equity, { orderBy: { field: 'atMs', direction: 'desc' }, limit: 1 }),
    deps.store.list(orders, { where: [['createdAtMs', '>=', nowMs - 2 * DAY_MS]] }),
  ]);
  const equityJpy = Number(marginStatus.totalMarginBalanceJpy);
  const equityPeakJpy = Math.max(equityJpy, lastEquity[0]?.data.peakJpy ?? equityJpy);
  const recentEntryTimesMs = recentIntents
    .map((d) => d.data)
    .filter((i) => i.purpose === 'entry' && i.status === 'sent' && i.request.pair === pair)
    .map((i) => i.barOpenMs)
    .sort((a, b) => a - b);
  return {
    marginStatus,
    context: {
      nowMs,
      position: toOpenPosition(position),
      equityJpy,
      equityPeakJpy,
      closedTrades: recentTrades.map((d) => d.data).filter((t) => t.pair === pair),
      recentEntryTimesMs,
      rules,
      marginStatus,
      circuitBreak,
      killSwitch: kill?.active ?? false,
    },
  };
}
