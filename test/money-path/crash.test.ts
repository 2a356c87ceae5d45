import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FakeBitbank } from '../../tools/fake-bitbank/server.js';
import { describeWithEmulator } from '../support/emulator.js';
import {
  barMs,
  startWarmFake,
  entryIntents,
  fakeAdmin,
  restingBtc,
  retryLikeScheduler,
  shortOrders,
  sleep,
  story,
  tickIdOf,
  type Answer,
} from '../support/live-tick.js';

/**
 * Issue 12, item 4: a real crash. `tick` is served in a child process (test/support/tick-child.ts);
 * the fake bitbank books the entry on arrival and never answers (late-accept, noAnswer), and the
 * test SIGKILLs the child as soon as the entry shows in the fake's order log: after the entry,
 * before its stop. The bar is then delivered to a second instance (another child process) the way
 * Cloud Scheduler retries it: again after a back-off while the answer is not 2xx, then once more.
 *
 * Expected: while the dead run's lease holds (claim + TICK_DEADLINE_MS + max(15 s, deadline / 2)
 * = 20 s here) a delivery answers 409 `{"outcome":"running","code":"TICK.RUNNING"}`; a delivery
 * after it takes the bar over: the entry is found (never re-sent), its stop placed for the whole
 * position, 200 `ok` (a takeover that fails, e.g. by its own deadline on a busy machine, answers
 * 5xx and holds its own lease: 409 again until it ends); the next delivery answers 200 `duplicate`.
 * The position is without a stop on the fake for at most one tick deadline plus the lease (plus
 * slack for the back-off).
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const TICK_DEADLINE_MS = 15_000;
const CALL_TIMEOUT_MS = 8_000;
const LEASE_MS = TICK_DEADLINE_MS + Math.max(15_000, TICK_DEADLINE_MS / 2);
const BACKOFF_MS = 3_000;
const SLACK_MS = 10_000;
const K = 2;

describeWithEmulator('a real crash: tick SIGKILLed after the entry reached the exchange (child process, live)', () => {
  let fake: FakeBitbank;
  const children = new Set<ChildProcess>();
  beforeAll(async () => {
    let warmUp;
    ({ fake, warmUp } = await startWarmFake(K));
    expect(warmUp.body).toMatchObject({ outcome: 'ok' });
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await fake?.close();
  });

  /** Starts the function in a child process; resolves with its URL once it listens. */
  async function startFunction(
    env: Record<string, string>,
  ): Promise<{ url: string; child: ChildProcess; log: () => string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/tick-child.ts'], {
      cwd: root,
      env: { ...process.env, METADATA_SERVER_DETECTION: 'none', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    child.once('exit', () => children.delete(child));
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-20_000);
    });
    const url = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(
        () => reject(new Error(`tick-child did not start in 60 s: ${stderr.slice(-2_000)}`)),
        60_000,
      );
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /tick-child listening on (\S+)/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1] as string);
        }
      });
      child.once('exit', (code) =>
        reject(new Error(`tick-child exited (${code}) before listening: ${stderr.slice(-2_000)}`)),
      );
    });
    return { url, child, log: () => stderr };
  }

  const deliver = async (url: string): Promise<Omit<Answer, 'atWallMs'>> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'X-CloudScheduler-ScheduleTime': new Date(barMs(K)).toISOString(),
      },
      body: '{}',
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = { text: text.slice(0, 300) };
    }
    return { status: response.status, body };
  };

  it('409 while the dead run holds its lease, then the takeover places the stop; one entry; bounded time without a stop', async () => {
    const admin = fakeAdmin(fake.url);
    const env = {
      CHILD_FAKE_URL: fake.url,
      CHILD_REPLAY_MS: String(barMs(K) + 5_000),
      CHILD_WALL_MS: String(Date.now()),
      CHILD_ENTRY_BAR: String(K),
      EXCHANGE_CALL_TIMEOUT_MS: String(CALL_TIMEOUT_MS),
      TICK_DEADLINE_MS: String(TICK_DEADLINE_MS),
    };
    // Two instances, as the platform keeps: the first dies mid-tick, the retries reach the second.
    const [first, second] = await Promise.all([startFunction(env), startFunction(env)]);
    await admin.arm({ path: '/v1/user/spot/order', method: 'POST', kind: 'late-accept', noAnswer: true });
    const doomed = deliver(first.url).catch((error: unknown) => error);

    // Kill the process as soon as the exchange holds the entry (its answer never comes).
    const waitUntil = Date.now() + 30_000;
    let entryAtMs: number | undefined;
    while (entryAtMs === undefined && Date.now() < waitUntil) {
      if (shortOrders(await admin.orders()).entries.length > 0) entryAtMs = Date.now();
      else await sleep(50);
    }
    expect(entryAtMs, `the entry never reached the fake: ${first.log().slice(-2_000)}`).toBeDefined();
    first.child.kill('SIGKILL');
    await new Promise((resolve) =>
      first.child.exitCode !== null || first.child.signalCode !== null
        ? resolve(undefined)
        : first.child.once('exit', resolve),
    );
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(await doomed).toBeInstanceOf(Error); // the delivery died with the process
    const atKill = shortOrders(await admin.orders());
    expect([atKill.entries.length, atKill.stops.length], 'at the kill: one entry, no stop yet').toEqual([1, 0]);
    expect(await admin.positions()).toEqual([{ side: 'short', amountBtc: 0.0005 }]);

    // Watch the fake for the first stop that covers the position.
    let stopAtMs: number | undefined;
    let watching = true;
    const watcher = (async () => {
      while (watching && stopAtMs === undefined) {
        const { stops } = shortOrders(await admin.orders());
        if (restingBtc(stops) >= 0.0005) stopAtMs = Date.now();
        else await sleep(200);
      }
    })();

    const retries = await retryLikeScheduler(() => deliver(second.url), { backoffMs: BACKOFF_MS, budgetMs: 60_000 });
    const after = await deliver(second.url);
    // Nothing else will deliver this bar: judge the stop at the bound (at once when it is there).
    while (stopAtMs === undefined && Date.now() < (entryAtMs as number) + TICK_DEADLINE_MS + LEASE_MS + SLACK_MS)
      await sleep(200);
    watching = false;
    await watcher;
    second.child.kill('SIGKILL');
    const unprotectedMs = (stopAtMs ?? Date.now()) - (entryAtMs as number);
    const all = [...retries, after];
    const because = `deliveries after the restart: ${story(all)}; ${stopAtMs === undefined ? 'no stop yet after' : 'stop after'} ${(unprotectedMs / 1000).toFixed(1)} s`;
    console.log(
      `crash test: position without a stop for ${(unprotectedMs / 1000).toFixed(1)} s (bound ${((TICK_DEADLINE_MS + LEASE_MS + SLACK_MS) / 1000).toFixed(0)} s); ${because}`,
    );

    const { entries, stops } = shortOrders(await admin.orders());
    const positions = await admin.positions();
    expect.soft(entries.length, `entry orders on the fake; ${because}`).toBe(1);
    expect.soft(positions, because).toEqual([{ side: 'short', amountBtc: 0.0005 }]);
    expect.soft([stops.length, restingBtc(stops)], `resting stops (count, BTC); ${because}`).toEqual([1, 0.0005]);
    expect.soft(stopAtMs, `a stop was placed; ${because}`).toBeDefined();
    expect
      .soft(unprotectedMs, `ms without a stop; ${because}`)
      .toBeLessThanOrEqual(TICK_DEADLINE_MS + LEASE_MS + SLACK_MS);

    const firstRetry = retries[0];
    expect
      .soft(
        firstRetry && [firstRetry.status, firstRetry.body.outcome, firstRetry.body.code],
        `the first retry meets the dead run's live lease; ${because}`,
      )
      .toEqual([409, 'running', 'TICK.RUNNING']);
    // Until a run finishes the bar: 409 while a run holds the lease, or 5xx from a takeover that failed (e.g. its own deadline on a busy machine).
    for (const a of retries.slice(0, -1))
      expect
        .soft(
          a.status === 409 ? a.body.outcome : a.status >= 500 ? 'failed' : a.status,
          `retries before the takeover are non-2xx; ${because}`,
        )
        .toBe(a.status === 409 ? 'running' : 'failed');
    const takeover = retries[retries.length - 1];
    expect
      .soft(takeover && [takeover.status, takeover.body.outcome], `the delivery after the lease takes over; ${because}`)
      .toEqual([200, 'ok']);
    expect
      .soft([after.status, after.body.outcome, after.body.code], because)
      .toEqual([200, 'duplicate', 'TICK.DUPLICATE']);
    expect
      .soft(await entryIntents(tickIdOf(barMs(K))), 'entry intent at the end')
      .toEqual([expect.objectContaining({ status: 'sent', orderId: String(entries[0]?.order_id) })]);
  }, 150_000);
});
