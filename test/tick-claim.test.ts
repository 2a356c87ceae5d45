import { beforeAll, expect, it } from 'vitest';
import { describeWithEmulator, emulatorStore } from './support/emulator.js';
import { claimBar, finishTick } from '../shared/app/claim-bar.js';
import { ticks } from '../shared/store/tick-collections.js';
import type { FirestoreStore } from '../shared/adapters/firestore/firestore-store.js';

const T = Date.UTC(2026, 10, 26, 10);
const request = (tickId: string, owner: string, nowMs = T) => ({
  tickId,
  pair: 'btc_jpy',
  barOpenMs: T,
  owner,
  nowMs,
  tickDeadlineMs: 60_000,
  mode: 'paper' as const,
});

describeWithEmulator('claiming a bar: atomic create, takeover in a transaction (emulator)', () => {
  let store: FirestoreStore;
  beforeAll(() => {
    store = emulatorStore();
  });

  it('50 concurrent deliveries of one bar: exactly one claim, 49 told it is running', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => claimBar(store, request('c50', `owner-${i}`))),
    );
    const winners = results.map((r, i) => ({ r, i })).filter(({ r }) => r.action === 'claim');
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.action === 'running')).toHaveLength(49);
    const record = await store.get(ticks, 'c50');
    expect(record).toMatchObject({ status: 'running', owner: `owner-${winners[0]?.i}`, attempt: 1 });
  });

  it('an expired lease is taken over once; the dead owner can no longer write the record', async () => {
    expect((await claimBar(store, request('lease', 'dead'))).action).toBe('claim');
    expect((await claimBar(store, request('lease', 'early', T + 60_000))).action).toBe('running');
    const late = T + 10 * 60_000;
    const takeovers = await Promise.all(['x', 'y', 'z'].map((o) => claimBar(store, request('lease', o, late))));
    expect(takeovers.filter((d) => d.action === 'takeover')).toHaveLength(1);
    expect(await finishTick(store, 'lease', 'dead', { status: 'done', outcome: 'ok' })).toBe(false);
    const record = await store.get(ticks, 'lease');
    expect(record?.attempt).toBe(2);
    expect(await finishTick(store, 'lease', record?.owner ?? '', { status: 'done', outcome: 'ok' })).toBe(true);
    expect((await claimBar(store, request('lease', 'after', late + 3_600_000))).action).toBe('duplicate');
  });

  it('a failed run keeps its lease (its abandoned work may still run) unless it released it', async () => {
    await claimBar(store, request('failed', 'a'));
    await finishTick(store, 'failed', 'a', { status: 'failed', outcome: 'failed', code: 'TICK.DEADLINE' });
    expect(await claimBar(store, request('failed', 'b', T + 1_000))).toMatchObject({ action: 'running', owner: 'a' });
    // A run whose work provably stopped releases the lease when it records the failure: the retry takes over at once.
    await claimBar(store, request('released', 'a'));
    await finishTick(store, 'released', 'a', {
      status: 'failed',
      outcome: 'failed',
      code: 'EXCHANGE.UNAVAILABLE',
      leaseUntilMs: T + 500,
    });
    expect(await claimBar(store, request('released', 'b', T + 1_000))).toEqual({
      action: 'takeover',
      attempt: 2,
      previousOwner: 'a',
      reason: 'failed',
    });
  });
});
