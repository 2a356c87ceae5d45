import { toOpenPosition, type MirroredPosition } from '../core/tick/position.js';
import type { MarginStatus } from '../ports/exchange.port.js';
import { BotError } from '../core/errors.js';
import { orders } from '../store/tick-collections.js';
import { equityPeaks } from '../store/equity-peak-collections.js';
import { closedTradesSince } from './closed-trades.js';
import { checkEquityPeak } from './equity-peak.js';
import { readKillSwitch } from './kill-switch.js';
import type { TickScope } from './place-order.js';
import type { DecisionContext } from './tick-deps.js';

const DAY_MS = 86_400_000;
/** Closed trades the planner sees (Kelly window, loss streaks, daily limits). */
const TRADES_LOOKBACK_MS = 90 * DAY_MS;

export interface GatheredContext {
  readonly context: DecisionContext;
  readonly marginStatus: MarginStatus;
}

/**
 * Everything the planner needs besides market data: position, equity and its peak (per mode, cash
 * movements taken out; the drawdown breaker latches into the kill switch here), trades, limits,
 * kill switch (an unreadable kill-switch document counts as on).
 */
export async function gatherContext(
  scope: TickScope,
  position: MirroredPosition | undefined,
  nowMs: number,
): Promise<GatheredContext> {
  const { deps, signal } = scope;
  const { pair } = deps.settings;
  const [marginStatus, rules, circuitBreak, kill, recentTrades, balances, recentEntries, peak] = await Promise.all([
    deps.exchange.fetchMarginStatus(signal),
    deps.exchange.loadMarketRules(pair, signal),
    deps.exchange.fetchCircuitBreakMode(pair, signal),
    readKillSwitch(deps.store, scope.log),
    closedTradesSince(deps.store, pair, deps.settings.mode, nowMs - TRADES_LOOKBACK_MS),
    deps.exchange.fetchBalances(signal),
    // Entry intents only (the purpose + createdAtMs index), not every intent of two days.
    deps.store.list(orders, {
      where: [
        ['purpose', '==', 'entry'],
        ['createdAtMs', '>=', nowMs - 2 * DAY_MS],
      ],
    }),
    deps.store.get(equityPeaks, deps.settings.mode),
  ]);
  const equityJpy = Number(marginStatus.totalMarginBalanceJpy);
  const jpy = balances.find((b) => b.asset === 'jpy');
  if (!jpy)
    throw new BotError(
      'EXCHANGE.BAD_RESPONSE',
      'the account has no JPY balance: cash movements cannot be told from P&L',
    );
  const closedTrades = recentTrades.trades;
  const breaker = await checkEquityPeak({
    store: deps.store,
    log: scope.log,
    mode: deps.settings.mode,
    maxDrawdown: deps.settings.maxDrawdown,
    nowMs,
    equityJpy,
    cashJpy: Number(jpy.onhandAmount),
    trades: closedTrades,
    kill,
    stored: { record: peak },
  });
  const equityPeakJpy = breaker.peakJpy;
  const recentEntryTimesMs = recentEntries
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
      closedTrades,
      recentEntryTimesMs,
      rules,
      marginStatus,
      circuitBreak,
      killSwitch: breaker.killSwitch,
    },
  };
}
