import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFirestoreEmulator, type RunningEmulator } from '../../tools/lib/firestore-emulator.js';
import type { Delivery } from '../../tools/replay/deliver.js';
import { orders } from '../../shared/store/tick-collections.js';
import { describeWithEmulator } from '../support/emulator.js';
import { startHarness, type Harness } from './replay-harness.js';

/**
 * Firestore stops in the middle of a live tick, while an order is on its way to the exchange: this
 * file's own emulator is frozen (SIGSTOP to its process group) once the bot has recorded the
 * order's intent and the (slowed) order request has reached the fake, and resumed (SIGCONT) after the tick
 * answered. The tick fails with STORE.UNAVAILABLE; no order exists on the exchange without its
 * recorded intent; the next bar resolves the intent and runs ok, positions equal to the exchange's.
 */
function emulatorGroup(port: number): number {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes('cloud_firestore_emulator') && cmd.includes(`--port=${port}`)) return Number(pid);
    } catch {
      // gone
    }
  }
  throw new Error(`no emulator process on port ${port}`);
}

describeWithEmulator('store fault: Firestore stopped mid-tick (own emulator)', () => {
  let emulator: RunningEmulator;
  let h: Harness;
  let group = 0;
  let frozen = false;
  const freeze = (on: boolean): void => {
    process.kill(-group, on ? 'SIGSTOP' : 'SIGCONT');
    frozen = on;
  };
  let k = 0;
  let faulted: Delivery | undefined;
  let exchangeOrdersAfterFault: Array<{ order_id: number; side: string; start_amount: string; ordered_at: number }> =
    [];
  let intentsAfterFault: Array<{ status: string; orderId?: string; side: string; amountBtc: string }> = [];
  const admin = async (path: string, init?: RequestInit): Promise<unknown> =>
    (await fetch(`${h.session.fakeUrl}${path}`, init)).json();

  beforeAll(async () => {
    emulator = await startFirestoreEmulator();
    group = emulatorGroup(emulator.port);
    process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
    h = await startHarness({ bars: 400, mode: 'live', env: { TICK_DEADLINE_MS: '25000' } });
    expect((await h.session.bar(k++))[0]?.outcome).toBe('ok');
    await admin('/__admin/faults', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        path: '/v1/user/spot/order',
        method: 'POST',
        kind: 'latency',
        latencyMs: 2_500,
        count: 1_000,
      }),
    });
    for (let tries = 0; tries < 40 && !faulted; tries += 1) {
      const seen = new Set((await h.session.store.list(orders)).map((d) => d.id));
      const orderRequests = async (): Promise<number> =>
        ((await admin('/__admin/requests')) as { count: Record<string, number> }).count['/v1/user/spot/order'] ?? 0;
      const before = await orderRequests();
      let done = false;
      const delivery = h.session.bar(k++).then((answers) => ((done = true), answers[0] as Delivery));
      let countBeforeIntent = before;
      while (!done && !frozen) {
        // a new intent is recorded and its (slowed) order request has reached the exchange since: stop the store now
        const count = await orderRequests();
        const pending = (await h.session.store.list(orders)).filter(
          (d) => !seen.has(d.id) && d.data.status === 'pending',
        );
        if (pending.length === 0) countBeforeIntent = count;
        else if ((await orderRequests()) > countBeforeIntent) freeze(true);
        if (!frozen) await new Promise((r) => setTimeout(r, 25));
      }
      const answer = await delivery;
      if (frozen) {
        faulted = answer;
        freeze(false);
      }
    }
    exchangeOrdersAfterFault = ((await admin('/__admin/orders')) as { orders: typeof exchangeOrdersAfterFault }).orders;
    intentsAfterFault = (await h.session.store.list(orders)).map((d) => ({
      status: d.data.status,
      side: d.data.request.side,
      amountBtc: d.data.request.amountBtc,
      ...(d.data.orderId ? { orderId: d.data.orderId } : {}),
    }));
  }, 400_000);
  afterAll(async () => {
    if (frozen) freeze(false);
    await h?.close();
    await emulator?.stop();
  });

  it('the tick whose store stopped mid-order failed with STORE.UNAVAILABLE', () => {
    expect(faulted, 'no bar decided to trade within 40 bars').toBeDefined();
    expect(faulted).toMatchObject({ outcome: 'failed', code: 'STORE.UNAVAILABLE' });
    expect(faulted?.status).toBe(503);
  });

  it('no order on the exchange without a recorded intent', () => {
    // the order sent while the store was stopped reached the exchange ...
    const barOpenMs = Date.parse(String(faulted?.body.bar));
    expect(exchangeOrdersAfterFault.filter((o) => o.ordered_at >= barOpenMs).length).toBeGreaterThanOrEqual(1);
    // ... and every order there has its intent: with the order id (a write that timed out for the bot
    // may still land when the store comes back), or pending with the same side and amount
    const byId = new Set(intentsAfterFault.map((i) => i.orderId).filter(Boolean));
    const pending = intentsAfterFault.filter((i) => i.status === 'pending');
    for (const o of exchangeOrdersAfterFault.filter((x) => !byId.has(String(x.order_id)))) {
      expect(
        pending.some((i) => i.side === o.side && Number(i.amountBtc) === Number(o.start_amount)),
        `order ${o.order_id} has no intent`,
      ).toBe(true);
    }
  });

  it('the next bar after the restart resolves the intent and runs ok; positions equal the exchange', async () => {
    const next = (await h.session.bar(k++))[0] as Delivery;
    expect(next.outcome, JSON.stringify(next.body).slice(0, 300)).toBe('ok');
    const summary = await h.session.summary();
    expect(summary.positionMatchesExchange).toBe(true);
    const intents = (await h.session.store.list(orders)).map((d) => d.data);
    expect(intents.filter((i) => i.status === 'pending')).toEqual([]);
    const { orders: onExchange } = (await admin('/__admin/orders')) as { orders: Array<{ order_id: number }> };
    const recorded = new Set(intents.map((i) => i.orderId));
    expect(onExchange.filter((o) => !recorded.has(String(o.order_id)))).toEqual([]);
  }, 60_000);
});
