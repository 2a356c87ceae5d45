import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { Firestore } from '@google-cloud/firestore';
import { collection } from '../shared/ports/store.port.js';
import { describeWithEmulator, emulatorStore } from './support/emulator.js';
import type { FirestoreStore } from '../shared/adapters/firestore/firestore-store.js';
import { EMULATOR_PROJECT_ID } from '../tools/lib/firestore-emulator.js';

const counters = collection('testCounters', z.object({ value: z.number().int(), updatedAtMs: z.number() }));
const records = collection('testRecords', z.object({ name: z.string(), createdAtMs: z.number() }), {
  days: 30,
  fromField: 'createdAtMs',
});

describeWithEmulator('FirestoreStore against the emulator', () => {
  let store: FirestoreStore;
  let raw: Firestore;
  beforeAll(() => {
    store = emulatorStore();
    raw = new Firestore({ projectId: EMULATOR_PROJECT_ID });
  });
  afterAll(async () => {
    await raw.terminate();
  });

  it('round-trips a record and lists with a query', async () => {
    await store.set(counters, 'a', { value: 1, updatedAtMs: 10 });
    await store.set(counters, 'b', { value: 2, updatedAtMs: 20 });
    expect(await store.get(counters, 'a')).toEqual({ value: 1, updatedAtMs: 10 });
    expect(await store.get(counters, 'missing')).toBeUndefined();
    const listed = await store.list(counters, { where: [['value', '>=', 2]], orderBy: { field: 'value' } });
    expect(listed).toEqual([{ id: 'b', data: { value: 2, updatedAtMs: 20 } }]);
    await store.delete(counters, 'a');
    expect(await store.get(counters, 'a')).toBeUndefined();
  });

  it('writes the TTL timestamp on write and hides it on read', async () => {
    await store.set(records, 'r1', { name: 'x', createdAtMs: Date.UTC(2026, 0, 1) });
    const doc = await raw.collection('testRecords').doc('r1').get();
    expect(doc.get('expireAt').toMillis()).toBe(Date.UTC(2026, 0, 31));
    expect(await store.get(records, 'r1')).toEqual({ name: 'x', createdAtMs: Date.UTC(2026, 0, 1) });
  });

  it('re-validates records on read: a corrupt document is STORE.BAD_RECORD, not bad data', async () => {
    await raw.collection('testCounters').doc('corrupt').set({ value: 'not a number', updatedAtMs: 1 });
    await expect(store.get(counters, 'corrupt')).rejects.toMatchObject({ code: 'STORE.BAD_RECORD' });
  });

  it('create() succeeds once and reports false after', async () => {
    expect(await store.create(counters, 'once', { value: 1, updatedAtMs: 1 })).toBe(true);
    expect(await store.create(counters, 'once', { value: 2, updatedAtMs: 2 })).toBe(false);
    expect((await store.get(counters, 'once'))?.value).toBe(1);
  });

  it('two concurrent transactions creating one document: exactly one wins', async () => {
    const claim = (owner: number) =>
      store
        .runTransaction(async (tx) => {
          const existing = await tx.get(counters, 'claim');
          if (existing) return false;
          tx.create(counters, 'claim', { value: owner, updatedAtMs: owner });
          return true;
        })
        .catch(() => false);
    const results = await Promise.all([claim(1), claim(2)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true) + 1;
    expect((await store.get(counters, 'claim'))?.value).toBe(winner);
  });

  it('concurrent read-modify-write transactions lose no update', async () => {
    await store.set(counters, 'sum', { value: 0, updatedAtMs: 0 });
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        store.runTransaction(async (tx) => {
          const current = await tx.get(counters, 'sum');
          tx.set(counters, 'sum', { value: (current?.value ?? 0) + 1, updatedAtMs: i });
        }),
      ),
    );
    expect((await store.get(counters, 'sum'))?.value).toBe(5);
  });

  it('an unreachable Firestore is STORE.UNAVAILABLE within the call deadline', async () => {
    const { FirestoreStore: Store } = await import('../shared/adapters/firestore/firestore-store.js');
    const emulator = process.env.FIRESTORE_EMULATOR_HOST;
    process.env.FIRESTORE_EMULATOR_HOST = '127.0.0.1:1'; // nothing listens on port 1
    const dead = new Firestore({ projectId: EMULATOR_PROJECT_ID });
    process.env.FIRESTORE_EMULATOR_HOST = emulator;
    const unreachable = new Store(dead, 1_500);
    const started = Date.now();
    await expect(unreachable.get(counters, 'a')).rejects.toMatchObject({ code: 'STORE.UNAVAILABLE', retryable: true });
    expect(Date.now() - started).toBeLessThan(5_000);
    await dead.terminate();
  });
});
