import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FakeBitbank } from '../../tools/fake-bitbank/server.js';
import { describeWithEmulator } from '../support/emulator.js';
import {
  barMs,
  entryDeliveries,
  startWarmFake,
  entryIntents,
  fakeAdmin,
  restingBtc,
  retryLikeScheduler,
  sharedReplayClock,
  shortOrders,
  sleep,
  story,
  tickIdOf,
} from '../support/live-tick.js';

/**
 * Issue 12, item 3: bitbank accepts an entry after the bot's call deadline. The fake judges the
 * order as it arrived and puts it in the book ACCEPT_AFTER_MS later, although the bot gave up at
 * CALL_TIMEOUT_MS. Then Cloud Scheduler's retries of the bar (every 2 s here) until a 2xx answer,
 * and two more deliveries of the same bar once the order is in the book.
 *
 * Expected: exactly one entry on the fake, its stop and take-profit for the whole position. The
 * first delivery answers 503 with the entry intent `unknown` (an order whose answer was lost is
 * never concluded absent before the settle window, never re-sent in the bar); until a look-up
 * finds the order every retry answers non-2xx: 409 `running` (TICK.RUNNING) while a run holds the
 * lease, or 503 RECONCILE.ORDER_UNKNOWN from a run that found the intent still unknown; the run
 * that finds it answers 200 `ok` with the intent `sent` (the fake's order id); later deliveries
 * answer 200 `duplicate`.
 */
const CALL_TIMEOUT_MS = 2_000;
const TICK_DEADLINE_MS = 5_000;
const ACCEPT_AFTER_MS = 10_000;
const K = 2;

describeWithEmulator(
  'late accept: an entry the exchange takes after the call deadline (live, fake bitbank over HTTP)',
  () => {
    let fake: FakeBitbank;
    beforeAll(async () => {
      let warmUp;
      ({ fake, warmUp } = await startWarmFake(K));
      expect(warmUp.body).toMatchObject({ outcome: 'ok' });
    });
    afterAll(async () => fake?.close());

    it('one entry order, stop and take-profit for the whole position, whatever the retries', async () => {
      const admin = fakeAdmin(fake.url);
      const clock = sharedReplayClock(barMs(K) + 5_000, Date.now());
      const tickId = tickIdOf(barMs(K));
      const deliver = entryDeliveries({
        fakeUrl: fake.url,
        clock,
        k: K,
        callTimeoutMs: CALL_TIMEOUT_MS,
        tickDeadlineMs: TICK_DEADLINE_MS,
      });
      await admin.arm({
        path: '/v1/user/spot/order',
        method: 'POST',
        kind: 'late-accept',
        acceptDelayMs: ACCEPT_AFTER_MS,
        delayMs: ACCEPT_AFTER_MS + 1_000,
      });

      const first = await deliver();
      const firstEndMs = Date.now();
      const posts = (await (await fetch(`${fake.url}/__admin/requests`)).json()) as { count: Record<string, number> };
      expect(posts.count['/v1/user/spot/order'], 'the first delivery sent its entry once').toBe(1);
      const intentsAfterFirst = await entryIntents(tickId);
      const entriesAfterFirst = shortOrders(await admin.orders()).entries.length;
      const retries =
        first.status >= 200 && first.status < 300
          ? []
          : (await sleep(2_000), await retryLikeScheduler(deliver, { backoffMs: 2_000, budgetMs: 60_000 }));
      await sleep(Math.max(0, firstEndMs + ACCEPT_AFTER_MS + 1_500 - Date.now())); // the late order is in the book by now
      const more = [await deliver(), await deliver()];
      const all = [first, ...retries, ...more];
      const because = `deliveries: ${story(all)}`;

      // The money: what the exchange holds.
      const { entries, stops, takeProfits } = shortOrders(await admin.orders());
      const positions = await admin.positions();
      const heldBtc = positions[0]?.amountBtc ?? 0;
      expect.soft(entries.length, `entry orders on the fake; ${because}`).toBe(1);
      expect.soft(positions, because).toEqual([{ side: 'short', amountBtc: 0.0005 }]);
      expect.soft(restingBtc(stops), `BTC the resting stops close vs position ${heldBtc}; ${because}`).toBe(heldBtc);
      expect
        .soft(restingBtc(takeProfits), `BTC the resting take-profits close vs position ${heldBtc}; ${because}`)
        .toBe(heldBtc);
      expect.soft(stops.length + takeProfits.length, 'one stop and one take-profit').toBe(2);

      // The story Cloud Scheduler and Firestore see.
      expect.soft(entriesAfterFirst, 'the fake had not accepted the entry when the first delivery gave up').toBe(0);
      expect.soft([first.status, first.body.outcome], because).toEqual([503, 'failed']);
      expect
        .soft(
          intentsAfterFirst.map((i) => i.status),
          'entry intent after the lost answer',
        )
        .toEqual(['unknown']);
      const last = retries[retries.length - 1];
      for (const a of retries.slice(0, -1)) {
        const running = a.status === 409 && a.body.outcome === 'running' && a.body.code === 'TICK.RUNNING';
        const unknown = a.status === 503 && a.body.code === 'RECONCILE.ORDER_UNKNOWN';
        expect
          .soft(
            running || unknown,
            `retries before the order is found: 409 running or 503 RECONCILE.ORDER_UNKNOWN; ${because}`,
          )
          .toBe(true);
      }
      expect
        .soft(last && [last.status, last.body.outcome], `the takeover after the lease; ${because}`)
        .toEqual([200, 'ok']);
      expect
        .soft(
          more.map((a) => [a.status, a.body.outcome]),
          because,
        )
        .toEqual([
          [200, 'duplicate'],
          [200, 'duplicate'],
        ]);
      expect
        .soft(await entryIntents(tickId), 'entry intent at the end')
        .toEqual([expect.objectContaining({ status: 'sent', orderId: String(entries[0]?.order_id) })]);
    }, 120_000);
  },
);
