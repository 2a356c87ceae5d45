import { afterAll, beforeAll, expect, it } from 'vitest';
import { ticks } from '../../shared/store/tick-collections.js';
import { describeWithEmulator } from '../support/emulator.js';
import { startHarness, type Harness } from './replay-harness.js';

/**
 * Cloud Scheduler may deliver a bar more than once: 50 concurrent deliveries of each of 10 bars,
 * in live mode against the fake bitbank, make exactly 10 claims, and the fake's own order log holds
 * exactly the orders the bot recorded as sent (none twice).
 */
const BARS = 10;
const COPIES = 50;

describeWithEmulator(`duplicates: ${COPIES} concurrent deliveries of each of ${BARS} bars`, () => {
  let h: Harness;
  const perBar: Array<{ ok: number; duplicate: number; other: string[] }> = [];

  beforeAll(async () => {
    h = await startHarness({ bars: BARS, mode: 'live', duplicates: COPIES });
    for (let k = 0; k < BARS; k += 1) {
      const answers = await h.session.bar(k);
      perBar.push({
        ok: answers.filter((a) => a.outcome === 'ok').length,
        // While the first runs: 409 running (Scheduler would retry); after it finished: 200 duplicate.
        duplicate: answers.filter(
          (a) => (a.outcome === 'duplicate' && a.status === 200) || (a.outcome === 'running' && a.status === 409),
        ).length,
        other: answers
          .filter((a) => !['ok', 'duplicate', 'running'].includes(a.outcome))
          .map((a) => `${a.status}:${a.code}`),
      });
    }
  }, 400_000);
  afterAll(async () => h?.close());

  it('each bar: one delivery ran the tick, 49 answered running (409) or duplicate (200)', () => {
    expect(perBar).toEqual(Array.from({ length: BARS }, () => ({ ok: 1, duplicate: COPIES - 1, other: [] })));
  });

  it('10 claims in Firestore, one attempt each', async () => {
    const records = (await h.session.store.list(ticks)).map((d) => d.data);
    expect(records).toHaveLength(BARS);
    expect(records.map((r) => r.barOpenMs).sort((a, b) => a - b)).toEqual(
      Array.from({ length: BARS }, (_, k) => h.session.startMs + k * 3_600_000),
    );
    expect(records.every((r) => r.attempt === 1 && r.status === 'done')).toBe(true);
  });

  it("the fake exchange's order log equals the bot's sent orders; positions agree", async () => {
    const summary = await h.session.summary();
    expect(summary).toMatchObject({
      ticksOk: BARS,
      ticksFailed: 0,
      duplicatesIgnored: BARS * (COPIES - 1),
      positionMatchesExchange: true,
    });
    expect(summary.ordersSent, 'the bars include trading').toBeGreaterThan(0);
    expect(summary.ordersOnExchange).toBe(summary.ordersSent);
    const { orders } = (await (await fetch(`${h.session.fakeUrl}/__admin/orders`)).json()) as {
      orders: Array<{ order_id: number }>;
    };
    expect(new Set(orders.map((o) => o.order_id)).size).toBe(orders.length);
  });
});
