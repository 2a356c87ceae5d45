import { beforeEach, expect, it } from 'vitest';
import { HOUR_MS } from '../shared/core/candle.js';
import { ReplayClock } from '../shared/app/replay-clock.js';
import type { LogCheckDeps, RecoveryExchange } from '../shared/app/log-check/log-check-deps.js';
import { runRecovery } from '../shared/app/log-check/recovery.js';
import { reconcileDiff } from '../shared/core/tick/reconcile.js';
import type { ExchangeOrder, MarginPosition } from '../shared/ports/exchange.port.js';
import type { LogQuery } from '../shared/ports/log-query.port.js';
import { ticks } from '../shared/store/tick-collections.js';
import { clearFirestoreEmulator } from '../tools/lib/firestore-emulator.js';
import { describeWithEmulator, emulatorHost, emulatorStore } from './support/emulator.js';
import { RULES, captureLogger } from './tick-helpers.js';

/**
 * logCheck's cancel-orphans recovery racing a tick: it must never cancel the stop a tick has just
 * placed. The exchange here is a small state machine whose reads return the state at the moment
 * of the call; `race` runs right after a given read, as a concurrent tick would.
 */
const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const STOP: ExchangeOrder = {
  orderId: '901',
  pair: 'btc_jpy',
  side: 'sell',
  positionSide: 'long',
  type: 'stop',
  amountBtc: '0.001',
  remainingBtc: '0.001',
  executedBtc: '0',
  triggerPriceJpy: '9000000',
  status: 'UNFILLED',
  orderedAtMs: NOW,
};
const LONG: MarginPosition = {
  pair: 'btc_jpy',
  side: 'long',
  amountBtc: '0.001',
  averagePriceJpy: '9500000',
  unrealizedFeeJpy: '0',
  unrealizedInterestJpy: '0',
};

function racingExchange() {
  const state = { positions: [] as MarginPosition[], orders: [] as ExchangeOrder[] };
  const reads: string[] = [];
  const cancelled: string[] = [];
  let race: { after: 'positions' | 'orders'; run: () => void } | undefined;
  const afterRead = (name: 'positions' | 'orders') => {
    reads.push(name);
    if (race?.after === name) {
      race.run();
      race = undefined;
    }
  };
  const exchange: RecoveryExchange = {
    fetchMarginPositions: async () => {
      const snapshot = [...state.positions];
      afterRead('positions');
      return snapshot;
    },
    fetchOpenOrders: async () => {
      const snapshot = [...state.orders];
      afterRead('orders');
      return snapshot;
    },
    cancelOrder: async (_pair, orderId) => {
      cancelled.push(orderId);
      state.orders = state.orders.filter((o) => o.orderId !== orderId);
      return { ...STOP, orderId, status: 'CANCELED_UNFILLED' };
    },
    loadMarketRules: async () => RULES,
    verifyCredentials: async () => ({ ok: true, checks: [] }),
  };
  /** The tick's entry fills and its stop is placed, right after the named read. */
  const entryAndStopAfter = (after: 'positions' | 'orders') => {
    race = {
      after,
      run: () => {
        state.positions = [LONG];
        state.orders = [STOP];
      },
    };
  };
  return { exchange, state, reads, cancelled, entryAndStopAfter };
}

describeWithEmulator('logCheck cancel-orphans recovery against a running tick', () => {
  const store = emulatorStore('live');
  const clock = new ReplayClock(NOW);
  const { logger } = captureLogger();
  const noLogs: LogQuery = { entries: async () => ({ entries: [], truncated: false }) };
  let ex: ReturnType<typeof racingExchange>;
  let deps: LogCheckDeps;

  beforeEach(async () => {
    await clearFirestoreEmulator(emulatorHost());
    clock.set(NOW);
    ex = racingExchange();
    deps = {
      settings: { pair: 'btc_jpy', timeframe: '1h', mode: 'live', tickLatencyBudgetMs: 30_000, windowMs: 15 * 60_000 },
      store,
      clock,
      logger,
      logs: noLogs,
      exchange: ex.exchange,
    };
  });

  const runningTick = (leaseUntilMs: number, pair = 'btc_jpy') =>
    store.set(ticks, `${pair}_1h_${NOW}`, {
      tickId: `${pair}_1h_${NOW}`,
      pair,
      timeframe: '1h',
      barOpenMs: NOW,
      status: 'running',
      owner: 'tick-a',
      attempt: 1,
      leaseUntilMs,
      claimedAtMs: NOW - 5_000,
      mode: 'live',
    });

  it('skips while a tick of the pair holds an unexpired lease, reading nothing from the exchange; acts once the lease expired', async () => {
    ex.state.orders = [STOP]; // a stop without its position (yet)
    await runningTick(NOW + 60_000);
    const skipped = await runRecovery(deps, 'cancel-orphans');
    expect(skipped).toMatchObject({ ok: false });
    expect(skipped.detail).toContain('skipped: tick btc_jpy_1h_');
    expect(ex.reads).toEqual([]);
    expect(ex.cancelled).toEqual([]);

    clock.set(NOW + 60_001); // the lease expired: the owner died, the stop is a real orphan
    expect(await runRecovery(deps, 'cancel-orphans')).toMatchObject({
      ok: true,
      detail: '1 orphan order(s) cancelled',
    });
    expect(ex.cancelled).toEqual(['901']);
  });

  it("another pair's running tick does not stop it", async () => {
    ex.state.orders = [STOP];
    await runningTick(NOW + HOUR_MS, 'eth_jpy');
    expect(await runRecovery(deps, 'cancel-orphans')).toMatchObject({
      ok: true,
      detail: '1 orphan order(s) cancelled',
    });
  });

  it('reads open orders before positions: a stop placed between the reads is not seen, so it is not cancelled', async () => {
    ex.entryAndStopAfter('orders');
    expect(await runRecovery(deps, 'cancel-orphans')).toMatchObject({
      ok: true,
      detail: '0 orphan order(s) cancelled',
    });
    expect(ex.reads).toEqual(['orders', 'positions']);
    expect(ex.cancelled).toEqual([]);
    expect(ex.state.orders).toEqual([STOP]);
  });

  it('the race the order prevents: with positions read first, the same moment makes the new stop an orphan', async () => {
    ex.entryAndStopAfter('positions');
    const exchangePositions = await ex.exchange.fetchMarginPositions('btc_jpy');
    const openOrders = await ex.exchange.fetchOpenOrders('btc_jpy');
    const diff = reconcileDiff({
      pair: 'btc_jpy',
      nowMs: NOW,
      exchangePositions,
      openOrders,
      stored: [],
      entryHints: [],
      takerFeeRate: RULES.takerFeeRate,
    });
    expect(diff).toContainEqual(expect.objectContaining({ kind: 'cancel-order', orderId: '901', reason: 'orphan' }));
  });
});
