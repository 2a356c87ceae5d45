import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { HOUR_MS, type Candle } from '../shared/core/candle.js';
import { describeWithEmulator, emulatorHost, emulatorStore } from './support/emulator.js';
import { clearFirestoreEmulator } from '../tools/lib/firestore-emulator.js';
import { startFakeBitbank, type FakeBitbank } from '../tools/fake-bitbank/server.js';
import { createBitbankExchange } from '../shared/adapters/bitbank/bitbank-exchange.js';
import { runTick } from '../shared/app/run-tick.js';
import { ReplayClock } from '../shared/app/replay-clock.js';
import type { FaultHook, TickDeps } from '../shared/app/tick-deps.js';
import { orders, positions, trades } from '../shared/store/tick-collections.js';
import { outbox } from '../shared/store/outbox-collections.js';
import type { TradePlan } from '../shared/core/plan.js';
import { ORDER_SETTLE_MS } from '../shared/core/tick/intent.js';
import { paperOrders } from '../shared/adapters/paper/paper-state.js';
import { readCandlesCsv } from '../tools/lib/csv.js';
import { captureLogger, RULES, scriptedBrain } from './tick-helpers.js';

const all = readCandlesCsv('data/candles/binance-btcusdt-1h-2017-2022.csv', { quotePerUsd: 150 });
const FIRST = 3000;
const candles: Candle[] = all.slice(FIRST - 500, FIRST + 50);
const at = (k: number) => (all[FIRST] as Candle).openTimeMs + k * HOUR_MS;

async function adminJson<T>(fake: FakeBitbank, path: string, init?: RequestInit): Promise<T> {
  return (await (await fetch(`${fake.url}${path}`, init)).json()) as T;
}
const fault = (fake: FakeBitbank, body: Record<string, unknown>) =>
  adminJson(fake, '/__admin/faults', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describeWithEmulator('the tick in live mode against the fake bitbank through real ccxt (emulator)', () => {
  let fake: FakeBitbank;
  const clock = new ReplayClock(at(0));
  beforeAll(async () => {
    fake = await startFakeBitbank({ candles, nowMs: at(0) + 1_000, initialJpy: 1_000_000, initialBtc: 0 });
  });
  afterAll(async () => {
    await fake?.close();
  });
  beforeEach(async () => {
    await clearFirestoreEmulator(emulatorHost());
    await fetch(`${fake.url}/__admin/faults`, { method: 'DELETE' });
  });

  function deps(
    plan: (nowMs: number, hasPosition: boolean) => TradePlan | undefined,
    options: {
      secret?: string;
      callTimeoutMs?: number;
      tickDeadlineMs?: number;
      verified?: boolean;
      fault?: FaultHook;
    } = {},
  ): TickDeps & { lines: Array<Record<string, unknown>> } {
    const { logger, lines } = captureLogger();
    const exchange = createBitbankExchange({
      publicUrl: fake.url,
      privateUrl: fake.url,
      marketsUrl: fake.url,
      apiKey: 'fake-key',
      apiSecret: options.secret ?? 'fake-secret',
      authMethod: 'time-window',
      callTimeoutMs: options.callTimeoutMs ?? 5_000,
      clock,
      random: Math.random,
      logger,
    });
    return {
      settings: {
        pair: 'btc_jpy',
        timeframe: '1h',
        mode: 'live',
        tickDeadlineMs: options.tickDeadlineMs ?? 30_000,
        tooLateBars: 2,
        entryWindowMs: 600_000,
        maxDrawdown: 0.15,
      },
      clock,
      logger,
      store: emulatorStore('live'),
      exchange,
      brain: scriptedBrain(plan),
      owner: `live-${Math.random()}`,
      lines,
      ...(options.fault ? { fault: options.fault } : {}),
      // Like the runtime's gate: verified until it passes (here: every tick, unless already verified).
      ...(options.verified
        ? {}
        : {
            credentials: {
              ensure: async (signal: AbortSignal) => {
                const r = await exchange.verifyCredentials(signal);
                if (!r.ok) throw new Error('checks failed');
              },
            },
          }),
    };
  }
  async function at_(k: number, offsetMs = 5_000): Promise<{ scheduleTime: string }> {
    await fake.setClock(at(k) + 1_000);
    clock.set(at(k) + offsetMs);
    return { scheduleTime: new Date(at(k)).toISOString() };
  }
  const entry = (price: number): TradePlan => ({
    action: 'enter',
    side: 'short',
    amountBtc: '0.0005',
    stopPriceJpy: String(Math.round(price * 1.03)),
    takeProfitPriceJpy: String(Math.round(price * 0.97)),
    probabilityUp: 0.2,
    reasons: [],
  });
  const lastClose = (k: number) => (all[FIRST + k - 1] as Candle).close;
  const exchangeOrders = async () =>
    (
      await adminJson<{ orders: Array<{ type: string; side: string; position_side?: string; status: string }> }>(
        fake,
        '/__admin/orders',
      )
    ).orders;

  it('wrong key in live mode: 503 EXCHANGE.AUTH, no order anywhere, no paper fallback', async () => {
    const d = deps((nowMs) => (nowMs === at(1) ? entry(lastClose(1)) : undefined), { secret: 'wrong-secret' });
    const before = (await exchangeOrders()).length;
    const answer = await runTick(d, await at_(1));
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ outcome: 'failed', code: 'EXCHANGE.AUTH' });
    expect((await exchangeOrders()).length).toBe(before);
    expect(await d.store.list(orders)).toEqual([]);
    expect(await d.store.list(paperOrders)).toEqual([]);
    expect(d.lines.some((l) => l.severity === 'ERROR' && l.code === 'EXCHANGE.AUTH')).toBe(true);
  });

  it('dropped order answer: the order is found on the exchange, never sent twice', async () => {
    const d = deps((nowMs, pos) => (nowMs === at(2) && !pos ? entry(lastClose(2)) : undefined), { verified: true });
    const before = await exchangeOrders();
    await fault(fake, { path: '/v1/user/spot/order', method: 'POST', kind: 'drop-after-accept', count: 1 });
    const answer = await runTick(d, await at_(2));
    expect(answer.body).toMatchObject({ outcome: 'ok', decision: 'enter' });
    const placed = (await exchangeOrders()).slice(before.length);
    expect(placed.filter((o) => o.type === 'market')).toHaveLength(1);
    expect(placed.map((o) => o.type).sort()).toEqual(['limit', 'market', 'stop']);
    const exPositions = (
      await adminJson<{ positions: Array<{ position_side: string; open_amount: string }> }>(fake, '/__admin/positions')
    ).positions;
    const mirror = (await d.store.list(positions)).map((p) => ({
      side: p.data.side,
      amount: Number(p.data.amountBtc),
    }));
    expect(mirror).toEqual(exPositions.map((p) => ({ side: p.position_side, amount: Number(p.open_amount) })));
    // Next bar: reconcile finds everything in line (no fixes) and sends nothing.
    const next = await runTick(
      deps(() => undefined),
      await at_(3),
    );
    expect(next.body).toMatchObject({ outcome: 'ok', reconcileFixes: 0, ordersSent: 0 });
    expect((await exchangeOrders()).length).toBe(before.length + 3);
    await closeAll(4);
  });

  it('a hung exchange call: the tick ends by its deadline with EXCHANGE.TIMEOUT, and the next bar works', async () => {
    const d = deps(() => undefined, { callTimeoutMs: 800, tickDeadlineMs: 6_000 });
    await fault(fake, { path: '/v1/user/margin/positions', kind: 'hang', count: 10 });
    const started = Date.now();
    const answer = await runTick(d, await at_(6));
    expect(Date.now() - started).toBeLessThan(6_000 + 2_000);
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ outcome: 'failed', code: 'EXCHANGE.TIMEOUT' });
    await fetch(`${fake.url}/__admin/faults`, { method: 'DELETE' });
    const next = await runTick(
      deps(() => undefined),
      await at_(7),
    );
    expect(next.body).toMatchObject({ outcome: 'ok' });
  });
  const exPositions = async () =>
    (
      await adminJson<{ positions: Array<{ position_side: string; open_amount: string }> }>(fake, '/__admin/positions')
    ).positions
      .filter((p) => Number(p.open_amount) > 0)
      .map((p) => ({ side: p.position_side, amount: Number(p.open_amount) }));
  const mirror = async () =>
    (await emulatorStore('live').list(positions)).map((p) => ({ side: p.data.side, amount: Number(p.data.amountBtc) }));
  const closeAll = async (k: number) => {
    // leave the fake flat for the next case: exit through a tick of its own
    await runTick(
      deps((_n, pos) => (pos ? { action: 'exit', reason: 'signal', probabilityUp: 0.5, reasons: [] } : undefined), {
        verified: true,
      }),
      await at_(k),
    );
    expect(await exPositions()).toEqual([]);
  };

  it.each([
    ['claim', 10],
    ['intent', 13],
    ['send', 16],
    ['answer', 19],
  ] as const)(
    'a thrown fault after %s: the retry and the next tick reconcile to the exchange, no duplicate order, no lost position',
    async (crashAt, k) => {
      let armed = true;
      const crash: FaultHook = (step) => {
        if (armed && step === crashAt) {
          armed = false;
          throw new Error(`injected crash after ${step}`);
        }
      };
      const script = (nowMs: number, pos: boolean) => (nowMs === at(k) && !pos ? entry(lastClose(k)) : undefined);
      const before = (await exchangeOrders()).length;
      await runTick(deps(script, { verified: true, fault: crash }), await at_(k)).catch(() => undefined);
      let retry = await runTick(deps(script, { verified: true }), await at_(k, 15_000)); // Scheduler's retry, 10 s later
      if (crashAt === 'claim') {
        // Died holding its claim: 409 until the lease (deadline + margin) ends, then the bar is taken over.
        expect(retry).toMatchObject({ status: 409, body: { outcome: 'running', code: 'TICK.RUNNING' } });
        retry = await runTick(deps(script, { verified: true }), await at_(k, 5_000 + 10 * 60_000));
      }
      if (crashAt === 'intent') {
        // Written, maybe sent: not found yet inside the settle window, so never sent again; 503 until it is proven absent.
        expect(retry).toMatchObject({ status: 503, body: { outcome: 'failed', code: 'RECONCILE.ORDER_UNKNOWN' } });
        retry = await runTick(deps(script, { verified: true }), await at_(k, 15_000 + ORDER_SETTLE_MS));
      }
      expect(retry.body).toMatchObject({ outcome: 'ok' });
      const next = await runTick(
        deps(() => undefined, { verified: true }),
        await at_(k + 1),
      );
      expect(next.body).toMatchObject({ outcome: 'ok' });
      const placed = (await exchangeOrders()).slice(before);
      expect(placed.filter((o) => o.type === 'market').length).toBeLessThanOrEqual(1);
      if (crashAt === 'send' || crashAt === 'answer') expect(placed.filter((o) => o.type === 'market')).toHaveLength(1);
      if (crashAt === 'intent') expect(placed.filter((o) => o.type === 'market')).toHaveLength(0); // proven absent; not re-sent in its bar
      expect(await mirror()).toEqual(await exPositions());
      const openStops = placed.filter((o) => o.type === 'stop' && ['UNFILLED', 'INACTIVE'].includes(o.status));
      expect(openStops).toHaveLength((await exPositions()).length);
      if ((await exPositions()).length > 0) await closeAll(k + 2);
    },
  );

  it('live credentials failing: one notification per incident, not one per tick; a good tick ends the incident', async () => {
    const wrongKey = () => deps(() => undefined, { secret: 'wrong-secret' });
    const announced = async () =>
      (await emulatorStore('live').list(outbox))
        .map((o) => o.data.event)
        .filter((e) => e.kind === 'credentials-failed');
    const bar = (atMs: number) => Math.floor((atMs - at(0)) / HOUR_MS);
    // bars 22..25: no other case of this file ticks there (the fake's clock only moves forward)
    expect((await runTick(wrongKey(), await at_(22))).body).toMatchObject({ outcome: 'failed', code: 'EXCHANGE.AUTH' });
    expect((await runTick(wrongKey(), await at_(23))).body).toMatchObject({ outcome: 'failed', code: 'EXCHANGE.AUTH' });
    expect(await announced()).toMatchObject([{ data: { code: 'EXCHANGE.AUTH' } }]);
    expect(
      (
        await runTick(
          deps(() => undefined),
          await at_(24),
        )
      ).body,
    ).toMatchObject({ outcome: 'ok' });
    expect((await runTick(wrongKey(), await at_(25))).body).toMatchObject({ code: 'EXCHANGE.AUTH' });
    expect((await announced()).map((e) => bar(e.atMs))).toEqual([22, 25]);
  });

  it("a stop filled on the exchange while no tick ran is booked at the next tick with the exchange's P&L", async () => {
    // Find a bar after which the price rises 1 %: a short with its stop 0.5 % above fills there.
    const from = FIRST + 25;
    const i = all.findIndex((c, j) => j > from && j < FIRST + 48 && c.high > (all[j - 1] as Candle).close * 1.006);
    expect(i, 'a rising bar within the slice').toBeGreaterThan(0);
    const k = i - FIRST;
    const price = lastClose(k);
    const plan: TradePlan = {
      action: 'enter',
      side: 'short',
      amountBtc: '0.0005',
      stopPriceJpy: String(Math.round(price * 1.005)),
      takeProfitPriceJpy: String(Math.round(price * 0.9)),
      probabilityUp: 0.2,
      reasons: [],
    };
    await runTick(
      deps((nowMs, pos) => (nowMs === at(k) && !pos ? plan : undefined), { verified: true }),
      await at_(k),
    );
    expect(await exPositions()).toEqual([{ side: 'short', amount: 0.0005 }]);
    const answer = await runTick(
      deps(() => undefined, { verified: true }),
      await at_(k + 3),
    ); // bars k+1, k+2 had no tick
    expect(answer.body).toMatchObject({ outcome: 'ok' });
    expect(await exPositions()).toEqual([]);
    const booked = (await emulatorStore('live').list(trades)).map((d) => d.data);
    expect(booked).toHaveLength(1);
    const trade = booked[0];
    expect(trade).toMatchObject({ side: 'short', exitReason: 'stop', amountBtc: '0.0005' });
    // The fake's own numbers for the closing fill: its profit_loss is gross of fees; ours is net of both fees and interest.
    expect(trade?.exchangeProfitLossJpy).toBeDefined();
    const entryFee = 0.0005 * (trade?.entryPriceJpy ?? 0) * RULES.marginTakerFeeRate; // the fake serves bitbank's schedule
    const exitFee = 0.0005 * (trade?.exitPriceJpy ?? 0) * RULES.marginTakerFeeRate;
    expect(trade?.feesJpy).toBeCloseTo(entryFee + exitFee, 2);
    expect(trade?.exchangeProfitLossJpy).toBeCloseTo((trade!.entryPriceJpy - trade!.exitPriceJpy) * 0.0005, 2);
    expect(trade?.pnlJpy).toBeCloseTo(
      (trade?.exchangeProfitLossJpy ?? 0) - entryFee - exitFee - (trade?.interestJpy ?? 0),
      2,
    );
    expect(trade?.exitPriceJpy).toBeGreaterThanOrEqual(Number(plan.stopPriceJpy));
  });
});
