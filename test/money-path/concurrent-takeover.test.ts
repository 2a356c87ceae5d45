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
 * Issue 12, item 2: two runs of one bar at once. Run 1 sends its entry, then its tick deadline
 * (3 s) passes while the order call (10 s call deadline) is still in flight: run 1 answers 503
 * and records the bar `failed`, but its abandoned work goes on (the fake books the order
 * ACCEPT_AFTER_MS after it arrived and answers a second later). A second delivery arrives while
 * run 1 still runs, and Cloud Scheduler retries run 1's 503 at once.
 *
 * Expected: one set of orders on the fake (one entry, one stop and one take-profit for the
 * position). Every delivery that meets run 1's claim while its lease holds answers 409
 * `running` / TICK.RUNNING, whatever the claim's status (running or failed); the delivery after the
 * lease takes the bar over and answers 200 `ok`; the next one 200 `duplicate`.
 */
const CALL_TIMEOUT_MS = 10_000;
const TICK_DEADLINE_MS = 3_000;
const ACCEPT_AFTER_MS = 6_000;
const K = 2;

describeWithEmulator(
  'concurrent takeover: a failed run whose work still goes on, and more deliveries of its bar (live)',
  () => {
    let fake: FakeBitbank;
    beforeAll(async () => {
      let warmUp;
      ({ fake, warmUp } = await startWarmFake(K));
      expect(warmUp.body).toMatchObject({ outcome: 'ok' });
    });
    afterAll(async () => fake?.close());

    it('one set of orders: a run that still holds its lease is never taken over', async () => {
      const admin = fakeAdmin(fake.url);
      const clock = sharedReplayClock(barMs(K) + 5_000, Date.now());
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

      const run1 = deliver();
      await sleep(1_500);
      const concurrent = await deliver(); // while run 1 waits for its order's answer
      const first = await run1;
      const firstEndMs = Date.now();
      const posts = (await (await fetch(`${fake.url}/__admin/requests`)).json()) as { count: Record<string, number> };
      expect(posts.count['/v1/user/spot/order'], 'run 1 sent its entry once before its deadline').toBe(1);
      expect([first.status, first.body.outcome, first.body.code], 'run 1 ends by its deadline').toEqual([
        503,
        'failed',
        'TICK.DEADLINE',
      ]);
      const retries = await retryLikeScheduler(deliver, { backoffMs: 2_000, budgetMs: 60_000 });
      await sleep(Math.max(0, firstEndMs + ACCEPT_AFTER_MS + 1_500 - Date.now())); // run 1's order is in the book by now
      const last = await deliver();
      const all = [concurrent, first, ...retries, last];
      const because = `deliveries (concurrent, run 1, retries, last): ${story(all)}`;

      const { entries, stops, takeProfits } = shortOrders(await admin.orders());
      const positions = await admin.positions();
      const heldBtc = positions[0]?.amountBtc ?? 0;
      expect.soft(entries.length, `entry orders on the fake; ${because}`).toBe(1);
      expect.soft(positions, because).toEqual([{ side: 'short', amountBtc: 0.0005 }]);
      expect
        .soft([stops.length, restingBtc(stops)], `resting stops (count, BTC) vs position ${heldBtc}; ${because}`)
        .toEqual([1, heldBtc]);
      expect
        .soft(
          [takeProfits.length, restingBtc(takeProfits)],
          `resting take-profits (count, BTC) vs position ${heldBtc}; ${because}`,
        )
        .toEqual([1, heldBtc]);

      expect
        .soft(
          [concurrent.status, concurrent.body.outcome, concurrent.body.code],
          `the delivery while run 1 runs; ${because}`,
        )
        .toEqual([409, 'running', 'TICK.RUNNING']);
      const firstRetry = retries[0];
      expect
        .soft(
          firstRetry && [firstRetry.status, firstRetry.body.outcome, firstRetry.body.code],
          `the retry of run 1's 503 within its lease; ${because}`,
        )
        .toEqual([409, 'running', 'TICK.RUNNING']);
      const takeover = retries[retries.length - 1];
      expect
        .soft(takeover && [takeover.status, takeover.body.outcome], `the delivery after the lease; ${because}`)
        .toEqual([200, 'ok']);
      expect.soft([last.status, last.body.outcome], because).toEqual([200, 'duplicate']);
      expect
        .soft(await entryIntents(tickIdOf(barMs(K))), 'entry intent at the end')
        .toEqual([expect.objectContaining({ status: 'sent', orderId: String(entries[0]?.order_id) })]);
    }, 120_000);
  },
);
