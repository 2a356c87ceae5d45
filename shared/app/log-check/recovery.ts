import { TIMEFRAME_MS } from '../../core/candle.js';
import { toBotError } from '../../core/errors.js';
import type { RecoveryAction } from '../../core/incidents/incidents.js';
import { withDeadline } from '../../core/retry.js';
import { reconcileDiff } from '../../core/tick/reconcile.js';
import { loadCandleWindow } from '../../adapters/market-data/candle-store.js';
import { positions, ticks } from '../../store/tick-collections.js';
import { addTickToDaySummary } from '../health/summaries.js';
import type { LogCheckDeps } from './log-check-deps.js';

export interface RecoveryResult {
  readonly ok: boolean;
  readonly detail: string;
}

/** Marks ticks whose lease expired while still `running` as failed (TICK.DEADLINE), so the next delivery takes over cleanly. */
async function clearStaleLease(deps: LogCheckDeps): Promise<RecoveryResult> {
  const nowMs = deps.clock.nowMs();
  const running = await deps.store.list(ticks, { where: [['status', '==', 'running']] });
  let cleared = 0;
  for (const doc of running.filter((d) => d.data.leaseUntilMs < nowMs)) {
    const done = await deps.store.runTransaction(async (tx) => {
      const current = await tx.get(ticks, doc.id);
      if (!current || current.status !== 'running' || current.leaseUntilMs >= nowMs) return false;
      const failed = {
        ...current,
        status: 'failed' as const,
        outcome: 'failed' as const,
        code: 'TICK.DEADLINE' as const,
        message: 'lease expired while running; cleared by logCheck',
        finishedAtMs: nowMs,
      };
      await addTickToDaySummary(tx, failed, nowMs);
      tx.set(ticks, doc.id, failed);
      return true;
    });
    if (done) cleared += 1;
  }
  return {
    ok: cleared > 0,
    detail: cleared > 0 ? `${cleared} stale lease(s) cleared` : `no stale lease (${running.length} running)`,
  };
}

/** Reloads the candle window through the day store (fetches the incomplete days again). */
async function refreshCandles(deps: LogCheckDeps, signal: AbortSignal): Promise<RecoveryResult> {
  if (!deps.candles) return { ok: false, detail: 'no candle source configured' };
  const nowMs = deps.clock.nowMs();
  const barMs = TIMEFRAME_MS[deps.settings.timeframe];
  const window = await loadCandleWindow({
    pair: deps.settings.pair,
    timeframe: deps.settings.timeframe,
    nowMs,
    bars: 48,
    source: deps.candles,
    store: deps.store,
    clock: deps.clock,
    signal,
  });
  const last = window.candles[window.candles.length - 1];
  const fresh = last !== undefined && nowMs - last.openTimeMs <= 2 * barMs;
  return {
    ok: fresh,
    detail: `${window.fetchedDays.length} day page(s) fetched; newest bar ${last ? new Date(last.openTimeMs).toISOString() : 'none'}`,
  };
}

async function verifyCredentials(deps: LogCheckDeps, signal: AbortSignal): Promise<RecoveryResult> {
  if (!deps.exchange) return { ok: false, detail: `${deps.settings.mode} mode: no exchange account to verify` };
  const report = await deps.exchange.verifyCredentials(signal);
  return {
    ok: report.ok,
    detail: report.checks.map((c) => `${c.name}=${c.ok ? 'ok' : (c.code ?? 'failed')}`).join(' '),
  };
}

/**
 * The reconcile diff, applied only for its cancels of orphan protective orders: never places or
 * closes anything. Skipped while a tick of the pair holds an unexpired lease (it may be between
 * its entry fill and its stop; its own reconcile handles orphans). Open orders are read first,
 * then positions: a stop placed after the orders read is not seen, so it cannot be cancelled.
 */
async function cancelOrphans(deps: LogCheckDeps, signal: AbortSignal): Promise<RecoveryResult> {
  if (!deps.exchange) return { ok: false, detail: `${deps.settings.mode} mode: no exchange account` };
  const { pair } = deps.settings;
  const nowMs = deps.clock.nowMs();
  const running = await deps.store.list(ticks, { where: [['status', '==', 'running']] });
  const leased = running.find((d) => d.data.pair === pair && d.data.leaseUntilMs > nowMs);
  if (leased)
    return {
      ok: false,
      detail: `skipped: tick ${leased.data.tickId} is running (lease until ${new Date(leased.data.leaseUntilMs).toISOString()})`,
    };
  const openOrders = await deps.exchange.fetchOpenOrders(pair, signal);
  const [exchangePositions, rules, stored] = await Promise.all([
    deps.exchange.fetchMarginPositions(pair, signal),
    deps.exchange.loadMarketRules(pair, signal),
    deps.store.list(positions, { where: [['pair', '==', pair]] }),
  ]);
  const diff = reconcileDiff({
    pair,
    nowMs,
    exchangePositions,
    openOrders,
    stored: stored.map((d) => d.data),
    entryHints: [],
    takerFeeRate: rules.takerFeeRate,
  });
  const orphans = diff.flatMap((f) => (f.kind === 'cancel-order' && f.reason === 'orphan' ? [f.orderId] : []));
  for (const orderId of orphans) {
    await deps.exchange.cancelOrder(pair, orderId, signal);
    deps.logger.info('orphan order cancelled by logCheck', { code: 'RECONCILE.ORPHAN_CANCELLED', orderId });
  }
  return { ok: true, detail: `${orphans.length} orphan order(s) cancelled` };
}

/** Runs one recovery under its deadline; any error is a failed attempt, never thrown. */
export async function runRecovery(deps: LogCheckDeps, action: RecoveryAction): Promise<RecoveryResult> {
  try {
    return await withDeadline(
      (signal) => {
        switch (action) {
          case 'clear-stale-lease':
            return clearStaleLease(deps);
          case 'refresh-candles':
            return refreshCandles(deps, signal);
          case 'verify-credentials':
            return verifyCredentials(deps, signal);
          case 'cancel-orphans':
            return cancelOrphans(deps, signal);
        }
      },
      {
        clock: deps.clock,
        timeoutMs: deps.recoveryTimeoutMs ?? 20_000,
        code: 'TICK.DEADLINE',
        what: `recovery ${action}`,
      },
    );
  } catch (thrown) {
    const error = toBotError(thrown);
    return {
      ok: false,
      detail: `${error.code}: ${error.code === 'INTERNAL' ? 'internal error' : error.message}`.slice(0, 300),
    };
  }
}
