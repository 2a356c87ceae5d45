import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { HOUR_MS, type Candle } from '../shared/core/candle.js';
import { describeWithEmulator, emulatorHost, emulatorStore } from './support/emulator.js';
import { EMULATOR_PROJECT_ID, clearFirestoreEmulator } from '../tools/lib/firestore-emulator.js';
import { createFirestore } from '../shared/adapters/firestore/firestore-store.js';
import { createPaperExchange } from '../shared/adapters/paper/paper-exchange.js';
import { createBitbankExchange } from '../shared/adapters/bitbank/bitbank-exchange.js';
import { startFakeBitbank, type FakeBitbank } from '../tools/fake-bitbank/server.js';
import { runTick } from '../shared/app/run-tick.js';
import { ReplayClock } from '../shared/app/replay-clock.js';
import type { Brain, DecisionContext, TickDeps } from '../shared/app/tick-deps.js';
import { orders, positions, trades } from '../shared/store/tick-collections.js';
import { paperOrders } from '../shared/adapters/paper/paper-state.js';
import type { TradePlan } from '../shared/core/plan.js';
import { migrateLegacyState } from '../tools/state/migrate.js';
import { candleTable, captureLogger, tableFeed } from './tick-helpers.js';

/**
 * Issue 12, item 10: paper and live keep their trading state apart (positions, order intents,
 * trades), so what paper did never feeds live's Kelly fraction, loss streak, daily loss or
 * position; and a store holding trading state from before the separation is refused until it is
 * moved to the mode it belongs to. Paper exchange + fake bitbank (live) on one emulator store.
 */
const T0 = Date.UTC(2026, 0, 1);
const at = (bar: number) => T0 + bar * HOUR_MS;
const PRICE = 10_000_000;
const flat = [PRICE, PRICE + 10_000, PRICE - 10_000, PRICE] as const;
const ENTER: TradePlan = {
  action: 'enter',
  side: 'long',
  amountBtc: '0.001',
  stopPriceJpy: '9900000',
  takeProfitPriceJpy: '10200000',
  probabilityUp: 0.7,
  reasons: ['script'],
};
const EXIT: TradePlan = { action: 'exit', reason: 'signal', probabilityUp: 0.2, reasons: ['script'] };

/** A brain that records what it was given and plays a script. */
function recordingBrain(script: (nowMs: number) => TradePlan | undefined): Brain & { seen: DecisionContext[] } {
  const brain = {
    seen: [] as DecisionContext[],
    async decide(context: DecisionContext) {
      brain.seen.push(context);
      return {
        plan: script(context.nowMs) ?? { action: 'hold' as const, probabilityUp: 0.5, reasons: ['script: hold'] },
        timings: [],
      };
    },
  };
  return brain;
}

describeWithEmulator(
  'trading state per mode: paper then live on one store (emulator, paper exchange, fake bitbank)',
  () => {
    let fake: FakeBitbank;
    const fakeCandles: Candle[] = Array.from({ length: 320 }, (_, i) => ({
      openTimeMs: at(i - 300),
      open: PRICE,
      high: PRICE + 10_000,
      low: PRICE - 10_000,
      close: PRICE,
      volume: 1,
    }));
    const clock = new ReplayClock(at(5));
    beforeAll(async () => {
      fake = await startFakeBitbank({
        candles: fakeCandles,
        nowMs: at(5) + 1_000,
        initialJpy: 1_000_000,
        initialBtc: 0,
      });
    });
    afterAll(async () => {
      await fake?.close();
    });
    beforeEach(async () => {
      await clearFirestoreEmulator(emulatorHost());
    });

    const paperTick = async (bar: number, script: (nowMs: number) => TradePlan | undefined) => {
      const store = emulatorStore('paper');
      const exchange = createPaperExchange({
        store,
        market: tableFeed(candleTable(T0, Array(12).fill(flat)), clock),
        clock,
        pair: 'btc_jpy',
        initialJpy: 1_000_000,
      });
      clock.set(at(bar) + 2_000);
      const deps: TickDeps = {
        settings: {
          pair: 'btc_jpy',
          timeframe: '1h',
          mode: 'paper',
          tickDeadlineMs: 20_000,
          tooLateBars: 2,
          entryWindowMs: 600_000,
          maxDrawdown: 0.15,
        },
        clock,
        logger: captureLogger().logger,
        store,
        exchange,
        brain: recordingBrain(script),
        owner: `paper-${bar}`,
      };
      return runTick(deps, { scheduleTime: new Date(at(bar)).toISOString() });
    };
    const liveTick = async (bar: number, brain: Brain) => {
      await fake.setClock(at(bar) + 1_000);
      clock.set(at(bar) + 5_000);
      const { logger } = captureLogger();
      const exchange = createBitbankExchange({
        publicUrl: fake.url,
        privateUrl: fake.url,
        marketsUrl: fake.url,
        apiKey: 'fake-key',
        apiSecret: 'fake-secret',
        authMethod: 'time-window',
        callTimeoutMs: 5_000,
        clock,
        random: Math.random,
        logger,
      });
      const deps: TickDeps = {
        settings: {
          pair: 'btc_jpy',
          timeframe: '1h',
          mode: 'live',
          tickDeadlineMs: 30_000,
          tooLateBars: 2,
          entryWindowMs: 600_000,
          maxDrawdown: 0.15,
        },
        clock,
        logger,
        store: emulatorStore('live'),
        exchange,
        brain,
        owner: `live-${bar}`,
      };
      // a bar of its own for live (the tick record of a bar is shared by both modes)
      return runTick(deps, { scheduleTime: new Date(at(bar)).toISOString() });
    };
    const fakeOrders = async () =>
      ((await (await fetch(`${fake.url}/__admin/orders`)).json()) as { orders: unknown[] }).orders.length;

    it("live does not see what paper did: no position, no trades, no recent entries; paper's state stays as it was", async () => {
      // Paper: enter, exit (a booked trade, a loss by the fees), enter again (an open position).
      expect((await paperTick(5, (n) => (n === at(5) ? ENTER : undefined))).body).toMatchObject({
        outcome: 'ok',
        decision: 'enter',
      });
      expect((await paperTick(6, (n) => (n === at(6) ? EXIT : undefined))).body).toMatchObject({
        outcome: 'ok',
        decision: 'exit',
      });
      expect((await paperTick(7, (n) => (n === at(7) ? ENTER : undefined))).body).toMatchObject({
        outcome: 'ok',
        decision: 'enter',
      });
      const paper = emulatorStore('paper');
      expect((await paper.list(trades)).map((d) => d.data.pnlJpy < 0)).toEqual([true]);
      expect((await paper.list(positions)).map((d) => d.data.side)).toEqual(['long']);

      const brain = recordingBrain(() => undefined);
      const answer = await liveTick(8, brain);
      expect(answer.body).toMatchObject({ outcome: 'ok', reconcileFixes: 0, ordersSent: 0 });
      const seen = brain.seen[0];
      expect(seen?.position).toBeUndefined();
      expect(seen?.closedTrades).toEqual([]); // Kelly, loss streak, daily loss: from live's trades only
      expect(seen?.recentEntryTimesMs).toEqual([]); // entries per day: from live's intents only
      const live = emulatorStore('live');
      expect(await live.list(positions)).toEqual([]);
      expect(await live.list(trades)).toEqual([]);
      expect(await live.list(orders)).toEqual([]);
      // Paper's state is untouched by live's reconcile (today it booked and deleted paper's position).
      expect((await paper.list(positions)).map((d) => d.data.side)).toEqual(['long']);
      expect(await paper.list(trades)).toHaveLength(1);
    });

    it('a store with trading state from before the separation: live refuses (500, the command to run), sends nothing; after the migration it trades', async () => {
      // What an older version left: paper's open position and an intent, top level, shared by both modes.
      const db = createFirestore({ projectId: EMULATOR_PROJECT_ID });
      await db
        .collection('positions')
        .doc('btc_jpy_long')
        .set({
          pair: 'btc_jpy',
          side: 'long',
          amountBtc: '0.001',
          entryPriceJpy: PRICE,
          entryTimeMs: at(3),
          entryFeePerBtcJpy: 12_000,
          stopPriceJpy: '9900000',
          adopted: false,
          updatedAtMs: at(3),
        });
      await db
        .collection('trades')
        .doc('btc_jpy_7')
        .set({
          pair: 'btc_jpy',
          side: 'long',
          amountBtc: '0.001',
          entryTimeMs: at(1),
          exitTimeMs: at(2),
          entryPriceJpy: PRICE,
          exitPriceJpy: PRICE,
          pnlJpy: -24,
          feesJpy: 24,
          interestJpy: 0,
          exitReason: 'signal',
          closingOrderId: '7',
          tradeIds: ['9'],
        });
      const before = await fakeOrders();

      const refused = await liveTick(
        9,
        recordingBrain(() => ENTER),
      );
      expect(refused.status).toBe(500);
      expect(refused.body).toMatchObject({ outcome: 'failed', code: 'STORE.MIXED_MODES' });
      expect(String(refused.body.message)).toContain('npm run state -- migrate');
      expect(await fakeOrders()).toBe(before);

      const report = await migrateLegacyState(db, { to: 'paper', apply: true });
      expect(report.moved).toEqual({ positions: 1, orders: 0, trades: 1 });
      expect((await db.collection('positions').get()).size).toBe(0);
      expect((await emulatorStore('paper').list(positions)).map((d) => d.id)).toEqual(['btc_jpy_long']);
      expect((await emulatorStore('paper').list(trades)).map((d) => d.data.pnlJpy)).toEqual([-24]);

      const brain = recordingBrain(() => undefined);
      expect((await liveTick(10, brain)).body).toMatchObject({ outcome: 'ok', ordersSent: 0 });
      expect(brain.seen[0]?.closedTrades).toEqual([]);
    });

    it("paper refuses such a store too (the state could be live's own), before anything is sent", async () => {
      const db = createFirestore({ projectId: EMULATOR_PROJECT_ID });
      await db
        .collection('orders')
        .doc('btc_jpy_1h_0_entry')
        .set({ intentId: 'btc_jpy_1h_0_entry', request: { pair: 'btc_jpy' }, status: 'sent' });
      const refused = await paperTick(5, () => ENTER);
      expect(refused.status).toBe(500);
      expect(refused.body).toMatchObject({ outcome: 'failed', code: 'STORE.MIXED_MODES', ordersSent: 0 });
      expect(await emulatorStore('paper').list(orders)).toEqual([]);
      expect(await emulatorStore().list(paperOrders)).toEqual([]);
    });
  },
);
