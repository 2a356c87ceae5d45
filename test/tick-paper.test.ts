import { beforeEach, describe, expect, it } from 'vitest';
import { HOUR_MS } from '../shared/core/candle.js';
import { describeWithEmulator, emulatorHost, emulatorStore } from './support/emulator.js';
import { clearFirestoreEmulator } from '../tools/lib/firestore-emulator.js';
import { createPaperExchange } from '../shared/adapters/paper/paper-exchange.js';
import { paperOrders, paperTrades } from '../shared/adapters/paper/paper-state.js';
import { runTick } from '../shared/app/run-tick.js';
import { ReplayClock } from '../shared/app/replay-clock.js';
import type { FaultHook, TickDeps, TickSettings } from '../shared/app/tick-deps.js';
import { KILL_SWITCH_DOC, killSwitch, orders, positions, ticks, trades } from '../shared/store/tick-collections.js';
import { outbox } from '../shared/store/outbox-collections.js';
import type { TradePlan } from '../shared/core/plan.js';
import type { Exchange } from '../shared/ports/exchange.port.js';
import { OrderError } from '../shared/core/errors.js';
import { placeWithIntent } from '../shared/app/place-order.js';
import { entryRequest } from '../shared/core/tick/intent.js';
import { ORDER_SETTLE_MS } from '../shared/core/tick/intent.js';
import { candleTable, captureLogger, RULES, scriptedBrain, tableFeed } from './tick-helpers.js';

const T0 = Date.UTC(2026, 0, 1);
const at = (bar: number) => T0 + bar * HOUR_MS;
const flat = [10_000_000, 10_010_000, 9_990_000, 10_000_000] as const;
const ENTER: TradePlan = {
  action: 'enter',
  side: 'long',
  amountBtc: '0.001',
  stopPriceJpy: '9900000',
  takeProfitPriceJpy: '10200000',
  probabilityUp: 0.7,
  reasons: ['script'],
};

function setup(
  rows: ReadonlyArray<readonly [number, number, number, number]>,
  script: (nowMs: number, hasPosition: boolean) => TradePlan | undefined,
  fault?: FaultHook,
  wrap: (e: Exchange) => Exchange = (e) => e,
  extra: Partial<TickSettings> = {},
) {
  const store = emulatorStore('paper');
  const clock = new ReplayClock(at(5));
  const candles = candleTable(T0, rows);
  const paper = createPaperExchange({
    store,
    market: tableFeed(candles, clock),
    clock,
    pair: 'btc_jpy',
    initialJpy: 1_000_000,
  });
  const exchange = wrap(paper);
  const { logger, lines } = captureLogger();
  const brain = scriptedBrain(script);
  let n = 0;
  const deps = (): TickDeps => ({
    settings: {
      pair: 'btc_jpy',
      timeframe: '1h',
      mode: 'paper',
      tickDeadlineMs: 20_000,
      tooLateBars: 2,
      entryWindowMs: 600_000,
      maxDrawdown: 0.15,
      ...extra,
    },
    clock,
    logger,
    store,
    exchange,
    brain,
    owner: `test-${(n += 1)}`,
    ...(fault ? { fault } : {}),
  });
  const tick = async (bar: number, withFault = false, offsetMs = 2_000) => {
    clock.set(at(bar) + offsetMs);
    const d = deps();
    return runTick(withFault ? d : { ...d, fault: undefined }, { scheduleTime: new Date(at(bar)).toISOString() });
  };
  const mirror = async () =>
    (await store.list(positions)).map((d) => ({ side: d.data.side, amountBtc: d.data.amountBtc }));
  const onPaper = async () =>
    (await exchange.fetchMarginPositions('btc_jpy')).map((p) => ({ side: p.side, amountBtc: p.amountBtc }));
  const allOrders = async () => (await store.list(paperOrders)).map((d) => d.data);
  return { store, clock, exchange, lines, brain, tick, mirror, onPaper, allOrders };
}

describeWithEmulator('the tick in paper mode (emulator + paper exchange)', () => {
  beforeEach(async () => {
    await clearFirestoreEmulator(emulatorHost());
  });

  it('enters with its stop and take-profit; a repeated delivery touches nothing', async () => {
    const s = setup(Array(9).fill(flat), (nowMs, pos) => (nowMs === at(5) && !pos ? ENTER : undefined));
    const first = await s.tick(5);
    expect(first.body).toMatchObject({ outcome: 'ok', decision: 'enter', ordersSent: 3, reconcileFixes: 0 });
    expect(first.status).toBe(200);
    const again = await s.tick(5);
    expect(again.body).toMatchObject({ outcome: 'duplicate' });
    const orders = await s.allOrders();
    expect(orders.map((o) => `${o.type}:${o.side}:${o.status}`).sort()).toEqual([
      'limit:sell:UNFILLED',
      'market:buy:FULLY_FILLED',
      'stop:sell:UNFILLED',
    ]);
    expect(await s.mirror()).toEqual(await s.onPaper());
    expect(await s.mirror()).toEqual([{ side: 'long', amountBtc: '0.001' }]);
    const record = await s.store.get(ticks, `btc_jpy_1h_${at(5)}`);
    expect(record).toMatchObject({
      status: 'done',
      outcome: 'ok',
      decision: 'enter',
      probabilityUp: 0.7,
      featuresDigest: 'scripted',
    });
    expect(record?.timings?.map((t) => t.step)).toEqual([
      'reconcile',
      'context',
      'decide',
      'decide.script',
      'orders',
      'settle',
    ]);
    expect(
      s.lines.filter((l) => l.tick === `btc_jpy_1h_${at(5)}` && typeof l.step === 'string').length,
    ).toBeGreaterThanOrEqual(6);
  });

  it('maker-then-taker: a post-only entry at the bid that its bar never trades through is replaced at market by the next tick', async () => {
    const quiet = [10_000_000, 10_010_000, 9_996_000, 10_000_000] as const; // low stays above the 9,995,000 bid
    const s = setup(
      [...Array(5).fill(flat), quiet, ...Array(3).fill(flat)],
      (nowMs, pos) => (nowMs === at(5) && !pos ? ENTER : undefined),
      undefined,
      undefined,
      { execution: 'maker-then-taker', makerWaitBars: 1 },
    );
    expect((await s.tick(5)).body).toMatchObject({ outcome: 'ok', decision: 'enter', ordersSent: 1 });
    expect((await s.allOrders()).map((o) => `${o.type}:${o.side}:${o.status}:${o.priceJpy}`)).toEqual([
      'limit:buy:UNFILLED:9995000',
    ]);
    expect((await s.tick(6)).body).toMatchObject({ outcome: 'ok' });
    expect((await s.tick(7)).body).toMatchObject({ outcome: 'ok' });
    const orders = (await s.allOrders()).map((o) => `${o.type}:${o.side}:${o.status}`).sort();
    expect(orders).toEqual([
      'limit:buy:CANCELED_UNFILLED',
      'limit:sell:UNFILLED',
      'market:buy:FULLY_FILLED',
      'stop:sell:UNFILLED',
    ]);
    expect(await s.mirror()).toEqual([{ side: 'long', amountBtc: '0.001' }]);
    expect(await s.onPaper()).toEqual(await s.mirror());
  });

  it.each(['send', 'answer'] as const)(
    "maker-then-taker: a crash after the fallback's %s: the retry sends no second market order",
    async (crashAt) => {
      let armed = true;
      const fault: FaultHook = (step) => {
        if (armed && step === crashAt) {
          armed = false;
          throw new Error(`injected crash after ${step}`);
        }
      };
      const quiet = [10_000_000, 10_010_000, 9_996_000, 10_000_000] as const;
      const s = setup(
        [...Array(5).fill(flat), quiet, ...Array(3).fill(flat)],
        (nowMs, pos) => (nowMs === at(5) && !pos ? ENTER : undefined),
        fault,
        undefined,
        { execution: 'maker-then-taker', makerWaitBars: 1 },
      );
      expect((await s.tick(5)).body).toMatchObject({ outcome: 'ok' });
      expect((await s.tick(6, true)).body).toMatchObject({ outcome: 'failed' }); // the fallback is the bar's first order
      expect((await s.tick(6, false, 12_000)).body).toMatchObject({ outcome: 'ok' });
      expect((await s.tick(7)).body).toMatchObject({ outcome: 'ok' });
      expect((await s.allOrders()).filter((o) => o.type === 'market').map((o) => o.status)).toEqual(['FULLY_FILLED']);
      expect((await s.allOrders()).filter((o) => o.open && o.type === 'stop').map((o) => o.amountBtc)).toEqual([
        '0.001',
      ]);
      expect(await s.mirror()).toEqual([{ side: 'long', amountBtc: '0.001' }]);
      expect(await s.onPaper()).toEqual(await s.mirror());
    },
  );

  it('maker-then-taker, wait 2 bars: a kill switch set while the entry rests cancels it at once, with no fallback', async () => {
    const quiet = [10_000_000, 10_010_000, 9_996_000, 10_000_000] as const;
    const s = setup(
      [...Array(5).fill(flat), quiet, ...Array(3).fill(flat)],
      (nowMs, pos) => (nowMs === at(5) && !pos ? ENTER : undefined),
      undefined,
      undefined,
      { execution: 'maker-then-taker', makerWaitBars: 2 },
    );
    await s.tick(5);
    await s.store.set(killSwitch, KILL_SWITCH_DOC, { active: true, reason: 'test', setBy: 'tester', setAtMs: at(6) });
    expect((await s.tick(6)).body).toMatchObject({ outcome: 'ok' });
    expect((await s.tick(7)).body).toMatchObject({ outcome: 'ok' });
    expect((await s.allOrders()).map((o) => `${o.type}:${o.side}:${o.status}`)).toEqual([
      'limit:buy:CANCELED_UNFILLED',
    ]);
    expect(await s.mirror()).toEqual([]);
  });

  it('maker-then-taker: a post-only entry its bar trades through fills as maker and is protected; no market order', async () => {
    const s = setup(
      Array(9).fill(flat),
      (nowMs, pos) => (nowMs === at(5) && !pos ? ENTER : undefined),
      undefined,
      undefined,
      { execution: 'maker-then-taker', makerWaitBars: 1 },
    );
    await s.tick(5);
    // The fill is found and protected as planned: not counted as a reconcile correction.
    expect((await s.tick(6)).body).toMatchObject({ outcome: 'ok', reconcileFixes: 0 });
    const orders = (await s.allOrders()).map((o) => `${o.type}:${o.side}:${o.status}`).sort();
    expect(orders).toEqual(['limit:buy:FULLY_FILLED', 'limit:sell:UNFILLED', 'stop:sell:UNFILLED']);
    expect(await s.mirror()).toEqual([{ side: 'long', amountBtc: '0.001' }]);
    const fills = (await s.store.list(paperTrades)).map((d) => [d.data.makerTaker, d.data.priceJpy]);
    expect(fills).toEqual([['maker', '9995000']]);
  });

  describe('maker-first planned exits (EXECUTION=maker-then-taker)', () => {
    // The entry (a post-only buy at the 9,995,000 bid) fills in bar 5; the plan exits at bar 6.
    const EXIT: TradePlan = { action: 'exit', reason: 'signal', probabilityUp: 0.2, reasons: ['script'] };
    const exitAt6 = (nowMs: number, pos: boolean): TradePlan | undefined =>
      nowMs === at(5) && !pos ? ENTER : nowMs === at(6) && pos ? EXIT : undefined;
    const quietHigh = [10_000_000, 10_004_000, 9_996_000, 10_000_000] as const; // high stays below the 10,005,000 ask
    const maker = (waitBars: number) => ({ execution: 'maker-then-taker' as const, makerWaitBars: waitBars });
    const summary = async (s: ReturnType<typeof setup>) =>
      (await s.allOrders()).map((o) => `${o.type}:${o.side}:${o.status}`).sort();

    it('the exit rests as a post-only sell at the ask beside the stop and take-profit, then goes to market after the wait', async () => {
      const s = setup(
        [...Array(6).fill(flat), quietHigh, ...Array(2).fill(flat)],
        exitAt6,
        undefined,
        undefined,
        maker(1),
      );
      await s.tick(5);
      expect((await s.tick(6)).body).toMatchObject({ outcome: 'ok', decision: 'exit', reconcileFixes: 0 });
      const resting = (await s.allOrders())
        .filter((o) => o.open)
        .map((o) => `${o.type}:${o.side}:${o.priceJpy ?? o.triggerPriceJpy}:${o.amountBtc}`)
        .sort();
      expect(resting).toEqual(['limit:sell:10005000:0.0010', 'limit:sell:10200000:0.001', 'stop:sell:9900000:0.001']);
      expect(await s.mirror()).toEqual([{ side: 'long', amountBtc: '0.001' }]);
      expect((await s.tick(7)).body).toMatchObject({ outcome: 'ok', reconcileFixes: 0 });
      expect(await summary(s)).toEqual([
        'limit:buy:FULLY_FILLED',
        'limit:sell:CANCELED_UNFILLED',
        'limit:sell:CANCELED_UNFILLED',
        'market:sell:FULLY_FILLED',
        'stop:sell:CANCELED_UNFILLED',
      ]);
      expect(await s.mirror()).toEqual([]);
      expect(await s.onPaper()).toEqual([]);
      expect((await s.store.list(trades)).map((d) => d.data.exitReason)).toEqual(['signal']);
      expect((await s.store.list(orders)).map((d) => d.data.purpose).sort()).toEqual([
        'entry',
        'exit-fallback',
        'exit-maker',
        'stop',
        'take-profit',
      ]);
      expect((await s.tick(8)).body).toMatchObject({ outcome: 'ok', ordersSent: 0, reconcileFixes: 0 });
    });

    it("an exit its bar trades through fills as maker; the next tick books it as the plan's exit and cancels the stop and take-profit", async () => {
      const s = setup(Array(9).fill(flat), exitAt6, undefined, undefined, maker(1));
      await s.tick(5);
      await s.tick(6);
      expect((await s.tick(7)).body).toMatchObject({ outcome: 'ok', reconcileFixes: 0 }); // the plan's exit, not a correction
      expect(await summary(s)).toEqual([
        'limit:buy:FULLY_FILLED',
        'limit:sell:CANCELED_UNFILLED',
        'limit:sell:FULLY_FILLED',
        'stop:sell:CANCELED_UNFILLED',
      ]);
      const [trade] = (await s.store.list(trades)).map((d) => d.data);
      // Without the exit intent's reason a closing limit's fill would be booked as a take-profit.
      expect(trade).toMatchObject({
        exitReason: 'signal',
        entryPriceJpy: 9_995_000,
        exitPriceJpy: 10_005_000,
        amountBtc: '0.001',
      });
      expect((await s.store.list(paperTrades)).map((d) => d.data.makerTaker)).toEqual(['maker', 'maker']);
      expect(await s.mirror()).toEqual([]);
      expect(await s.onPaper()).toEqual([]);
    });

    it('a stop that fills while the exit rests: the next tick cancels the exit and the position never flips', async () => {
      const drop = [10_000_000, 10_004_000, 9_850_000, 9_870_000] as const; // through the 9,900,000 stop, never above the ask
      const up = [9_870_000, 10_050_000, 9_860_000, 10_040_000] as const; // would trade through the resting 10,005,000 sell
      const s = setup([...Array(6).fill(flat), drop, up, flat], exitAt6, undefined, undefined, maker(2));
      await s.tick(5);
      await s.tick(6);
      expect((await s.tick(7)).body).toMatchObject({ outcome: 'ok', reconcileFixes: 3 }); // stop close, TP and exit cancelled
      expect((await s.allOrders()).filter((o) => o.open)).toEqual([]);
      expect(await summary(s)).toEqual([
        'limit:buy:FULLY_FILLED',
        'limit:sell:CANCELED_UNFILLED',
        'limit:sell:CANCELED_UNFILLED',
        'stop:sell:FULLY_FILLED',
      ]);
      expect((await s.store.list(trades)).map((d) => d.data.exitReason)).toEqual(['stop']);
      const exit = (await s.store.list(orders)).map((d) => d.data).find((i) => i.purpose === 'exit-maker');
      expect(exit?.resting).toMatchObject({ cancelReason: 'closed', outcome: 'cancelled' });
      expect((await s.tick(8)).body).toMatchObject({ outcome: 'ok', ordersSent: 0 });
      expect(await s.onPaper()).toEqual([]);
      expect(await s.mirror()).toEqual([]);
    });
  });

  it('a stop filled while no tick ran is booked at the next tick with the right P&L; the orphan take-profit is cancelled', async () => {
    const rows = [
      ...Array(6).fill(flat),
      [9_850_000, 9_870_000, 9_800_000, 9_820_000],
      ...Array(3).fill([9_820_000, 9_830_000, 9_810_000, 9_820_000]),
    ];
    const s = setup(rows, (nowMs, pos) => (nowMs === at(5) && !pos ? ENTER : undefined));
    await s.tick(5);
    const answer = await s.tick(8); // bars 6 and 7 had no tick; bar 6 gapped through the stop
    expect(answer.body).toMatchObject({ outcome: 'ok', reconcileFixes: 2 });
    const booked = (await s.store.list(trades)).map((d) => d.data);
    expect(booked).toHaveLength(1);
    const trade = booked[0];
    const entryPrice = Math.round(10_000_000 * 1.0005); // market buy at the ask
    const exitPrice = 9_850_000; // gap open, worse than the 9,900,000 stop
    const [fill] = (await s.store.list(paperTrades)).map((d) => d.data).filter((t) => t.type === 'stop');
    const interest = Number(fill?.interestJpy);
    expect(interest).toBe(0); // held 05:00-06:00 UTC: no 00:00 JST (15:00 UTC) passed, so bitbank charges no interest
    const expectedFees = 0.001 * entryPrice * RULES.marginTakerFeeRate + 0.001 * exitPrice * RULES.marginTakerFeeRate;
    expect(trade).toMatchObject({
      side: 'long',
      exitReason: 'stop',
      exitPriceJpy: exitPrice,
      entryPriceJpy: entryPrice,
      amountBtc: '0.001',
    });
    expect(trade?.feesJpy).toBeCloseTo(expectedFees, 6);
    expect(trade?.pnlJpy).toBeCloseTo((exitPrice - entryPrice) * 0.001 - expectedFees - interest, 6);
    expect(await s.mirror()).toEqual([]);
    expect((await s.allOrders()).filter((o) => o.open)).toEqual([]);
    expect((await s.allOrders()).find((o) => o.type === 'limit')?.status).toBe('CANCELED_UNFILLED');
  });

  it('the kill switch stops entries but not exits', async () => {
    const s = setup(Array(9).fill(flat), (nowMs, pos) =>
      nowMs === at(5) && !pos
        ? ENTER
        : nowMs === at(6)
          ? { action: 'exit', reason: 'signal', probabilityUp: 0.2, reasons: [] }
          : nowMs === at(7)
            ? ENTER
            : undefined,
    );
    await s.tick(5);
    await s.store.set(killSwitch, KILL_SWITCH_DOC, { active: true, reason: 'test', setBy: 'tester', setAtMs: at(5) });
    expect((await s.tick(6)).body).toMatchObject({ outcome: 'ok', decision: 'exit' });
    expect(await s.mirror()).toEqual([]);
    expect((await s.store.list(trades)).map((d) => d.data.exitReason)).toEqual(['signal']);
    const blocked = await s.tick(7);
    expect(blocked.body).toMatchObject({ outcome: 'ok', decision: 'enter', ordersSent: 0 });
    expect((await s.allOrders()).filter((o) => o.type === 'market')).toHaveLength(2);
  });

  it.each(['claim', 'intent', 'send', 'answer'] as const)(
    'a thrown fault after %s: the retry and the next tick reconcile with no duplicate order and no lost position',
    async (crashAt) => {
      let armed = true;
      const fault: FaultHook = (step) => {
        if (armed && step === crashAt) {
          armed = false;
          throw new Error(`injected crash after ${step}`);
        }
      };
      const s = setup(Array(9).fill(flat), (nowMs, pos) => (nowMs === at(5) && !pos ? ENTER : undefined), fault);
      await s.tick(5, true).catch(() => undefined);
      let retry = await s.tick(5, false, 12_000); // Cloud Scheduler's retry of the same bar, 10 s later
      if (crashAt === 'claim') {
        // The run died holding its claim (nothing recorded): 409 until its lease (20 s deadline + 15 s) ends, then a takeover.
        expect(retry).toMatchObject({ status: 409, body: { outcome: 'running', code: 'TICK.RUNNING' } });
        retry = await s.tick(5, false, 2_000 + 36_000);
      }
      if (crashAt === 'intent') {
        // Written, maybe sent: not found yet inside the settle window, so never sent again; 503 until it is proven absent.
        expect(retry).toMatchObject({ status: 503, body: { outcome: 'failed', code: 'RECONCILE.ORDER_UNKNOWN' } });
        retry = await s.tick(5, false, 12_000 + ORDER_SETTLE_MS);
      }
      // A fault thrown inside the run settles it: it records the failure and releases its lease, so the retry takes over at once.
      expect(retry.body).toMatchObject({ outcome: 'ok' });
      const next = await s.tick(6);
      expect(next.body).toMatchObject({ outcome: 'ok' });
      const entries = (await s.allOrders()).filter((o) => o.type === 'market');
      expect(entries.length).toBeLessThanOrEqual(1);
      expect(await s.mirror()).toEqual(await s.onPaper());
      const openStops = (await s.allOrders()).filter((o) => o.open && o.type === 'stop');
      expect(openStops).toHaveLength((await s.onPaper()).length);
      if (crashAt === 'send' || crashAt === 'answer') expect(entries).toHaveLength(1);
      if (crashAt === 'intent') expect(entries).toHaveLength(0); // proven absent after the settle window; an entry is not re-sent in its bar
    },
  );

  it('the stop is placed right after the entry, inside the orders step (not left to the settle pass)', async () => {
    const s = setup(Array(9).fill(flat), (nowMs, pos) => (nowMs === at(5) && !pos ? ENTER : undefined));
    await s.tick(5);
    const tickLines = s.lines.filter((l) => l.tick === `btc_jpy_1h_${at(5)}`);
    const stopPlaced = tickLines.findIndex((l) => l.message === 'order placed' && l.purpose === 'stop');
    const ordersStepDone = tickLines.findIndex((l) => l.step === 'orders' && l.message === 'tick step orders');
    expect(stopPlaced).toBeGreaterThan(-1);
    expect(stopPlaced).toBeLessThan(ordersStepDone);
  });

  it('a refused exit leaves the stops on the exchange; the next tick exits', async () => {
    let refuse = true;
    const refusingExits = (e: Exchange): Exchange => ({
      ...e,
      placeOrder: async (request, signal) => {
        if (refuse && request.type === 'market' && request.side === 'sell')
          throw new OrderError('EXCHANGE.ORDER_REJECTED', 'bitbank 70009: market orders restricted');
        return e.placeOrder(request, signal);
      },
    });
    const exit: TradePlan = { action: 'exit', reason: 'signal', probabilityUp: 0.2, reasons: [] };
    const s = setup(
      Array(9).fill(flat),
      (nowMs, pos) => (nowMs === at(5) && !pos ? ENTER : pos ? exit : undefined),
      undefined,
      refusingExits,
    );
    await s.tick(5);
    const refused = await s.tick(6);
    expect(refused).toMatchObject({ status: 500, body: { outcome: 'failed', code: 'EXCHANGE.ORDER_REJECTED' } });
    const open = (await s.allOrders())
      .filter((o) => o.open)
      .map((o) => o.type)
      .sort();
    expect(open).toEqual(['limit', 'stop']);
    expect(await s.mirror()).toEqual([{ side: 'long', amountBtc: '0.001' }]);
    refuse = false;
    expect((await s.tick(7)).body).toMatchObject({ outcome: 'ok', decision: 'exit' });
    expect(await s.onPaper()).toEqual([]);
    expect((await s.allOrders()).filter((o) => o.open)).toEqual([]);
  });

  it('a delivery after the entry window does not open a position; exits still run', async () => {
    const exit: TradePlan = { action: 'exit', reason: 'time-limit', probabilityUp: 0.5, reasons: [] };
    const s = setup(Array(9).fill(flat), (nowMs, pos) => (!pos ? ENTER : nowMs >= at(7) ? exit : undefined));
    const late = await s.tick(5, false, 11 * 60_000);
    expect(late.body).toMatchObject({ outcome: 'ok', decision: 'enter', ordersSent: 0 });
    expect(s.lines.some((l) => l.code === 'TICK.LATE_ENTRY')).toBe(true);
    expect(await s.onPaper()).toEqual([]);
    await s.tick(6); // on time: enters
    expect(await s.onPaper()).toEqual([{ side: 'long', amountBtc: '0.001' }]);
    expect((await s.tick(7, false, 30 * 60_000)).body).toMatchObject({ outcome: 'ok', decision: 'exit' });
    expect(await s.onPaper()).toEqual([]);
  });

  it('two writers of one intent: exactly one sends, the other stops with STORE.CONFLICT', async () => {
    const s = setup(Array(9).fill(flat), () => undefined);
    s.clock.set(at(5) + 1_000);
    let sends = 0;
    const counting: Exchange = {
      ...s.exchange,
      placeOrder: async (r, signal) => ((sends += 1), s.exchange.placeOrder(r, signal)),
    };
    const { logger } = captureLogger();
    const scope = () => ({
      deps: {
        settings: {
          pair: 'btc_jpy',
          timeframe: '1h' as const,
          mode: 'paper' as const,
          tickDeadlineMs: 20_000,
          tooLateBars: 2,
          entryWindowMs: 600_000,
          maxDrawdown: 0.15,
        },
        clock: s.clock,
        logger,
        store: s.store,
        exchange: counting,
        brain: s.brain,
        owner: 'x',
      },
      tickId: `btc_jpy_1h_${at(5)}`,
      barOpenMs: at(5),
      log: logger,
      signal: new AbortController().signal,
      touched: new Map(),
    });
    const results = await Promise.allSettled([
      placeWithIntent(scope(), 'entry', entryRequest('btc_jpy', 'long', '0.001')),
      placeWithIntent(scope(), 'entry', entryRequest('btc_jpy', 'long', '0.001')),
    ]);
    expect(sends).toBe(1);
    const rejected = results.filter((r) => r.status === 'rejected').map((r) => (r.reason as { code?: string }).code);
    expect(rejected).toEqual(['STORE.CONFLICT']);
  });

  it('a stop the exchange refuses never leaves the position naked: it is closed at market and the tick goes on', async () => {
    const refusingStops = (e: Exchange): Exchange => ({
      ...e,
      placeOrder: async (request, signal) => {
        if (request.type === 'stop')
          throw new OrderError('EXCHANGE.ORDER_REJECTED', 'bitbank 60004: amount below the minimum');
        return e.placeOrder(request, signal);
      },
    });
    const s = setup(
      Array(9).fill(flat),
      (nowMs, pos) => (nowMs === at(5) && !pos ? ENTER : undefined),
      undefined,
      refusingStops,
    );
    const answer = await s.tick(5);
    expect(answer.body).toMatchObject({ outcome: 'ok', decision: 'enter' });
    expect(s.lines.some((l) => l.code === 'RECONCILE.UNPROTECTED')).toBe(true);
    expect(await s.onPaper()).toEqual([]);
    expect((await s.allOrders()).filter((o) => o.type === 'market').map((o) => o.side)).toEqual(['buy', 'sell']);
    expect((await s.tick(6)).body).toMatchObject({ outcome: 'ok' });
    // one notification, written with the refused intent: what was refused, why, and that it was closed
    const failed = (await s.store.list(outbox)).map((d) => d.data.event).filter((e) => e.kind === 'protective-failed');
    expect(failed).toHaveLength(1);
    const refused = (await s.store.list(orders)).map((d) => d.data).filter((i) => i.status === 'rejected');
    expect(refused.map((i) => i.purpose)).toEqual(['stop']);
    expect(failed[0]).toMatchObject({
      eventId: `protective-failed_${refused[0]!.intentId}`,
      atMs: refused[0]!.updatedAtMs,
      data: {
        side: 'long',
        purpose: 'stop',
        code: 'EXCHANGE.ORDER_REJECTED',
        message: 'bitbank 60004: amount below the minimum',
      },
    });
  });
});
