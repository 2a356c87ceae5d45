import { describe, expect, it } from 'vitest';
import { describeWithEmulator, emulatorStore } from './support/emulator.js';
import { appendAudit, recentAudit } from '../shared/adapters/audit/audit-log.js';
import { audit } from '../shared/store/audit-collections.js';
import { BotError } from '../shared/core/errors.js';
import { createFirestore } from '../shared/adapters/firestore/firestore-store.js';
import { EMULATOR_PROJECT_ID } from '../tools/lib/firestore-emulator.js';
import { Timestamp } from '@google-cloud/firestore';

describeWithEmulator('append-only audit log (Firestore emulator)', () => {
  const store = emulatorStore();
  const T = Date.UTC(2026, 10, 26, 18);

  it('appends records with time-ordered ids and a 365-day expiry, newest first on read', async () => {
    const a = await appendAudit(store, {
      kind: 'order',
      atMs: T,
      actor: 'tick',
      details: { intentId: 'i1', side: 'buy', amountBtc: '0.0001' },
    });
    const b = await appendAudit(store, {
      kind: 'kill-switch',
      atMs: T + 1000,
      actor: 'operator',
      details: { on: true, reason: 'test' },
    });
    const c = await appendAudit(store, {
      kind: 'model-promotion',
      atMs: T + 2000,
      actor: 'retrain',
      details: { version: 'm2' },
    });
    expect(a < b && b < c).toBe(true);
    expect(a).toMatch(/^\d{13}-order-[0-9a-f]{12}$/);
    const recent = await recentAudit(store, 2);
    expect(recent.map((r) => r.id)).toEqual([c, b]);
    expect(recent[1]?.record).toEqual({
      kind: 'kill-switch',
      atMs: T + 1000,
      actor: 'operator',
      details: { on: true, reason: 'test' },
    });
    const raw = await createFirestore({ projectId: EMULATOR_PROJECT_ID }).collection(audit.name).doc(a).get();
    expect((raw.get('expireAt') as Timestamp).toMillis()).toBe(T + 365 * 86_400_000);
  });

  it('never overwrites: an id collision retries with a new id, and three collisions fail', async () => {
    const first = await appendAudit(
      store,
      { kind: 'restore', atMs: T, actor: 'cli', details: {} },
      () => 'aaaaaaaaaaaa',
    );
    let n = 0;
    const second = await appendAudit(store, { kind: 'restore', atMs: T, actor: 'cli2', details: {} }, () =>
      n++ === 0 ? 'aaaaaaaaaaaa' : 'bbbbbbbbbbbb',
    );
    expect(second).not.toBe(first);
    expect((await store.get(audit, first))?.actor).toBe('cli');
    const error = await appendAudit(
      store,
      { kind: 'restore', atMs: T, actor: 'cli3', details: {} },
      () => 'aaaaaaaaaaaa',
    ).catch((e: unknown) => e);
    expect((error as BotError).code).toBe('STORE.CONFLICT');
    expect((await store.get(audit, first))?.actor).toBe('cli');
  });

  it('refuses a record that does not match the schema, writing nothing', async () => {
    const before = (await store.list(audit)).length;
    const error = await appendAudit(store, { kind: 'coffee' as never, atMs: T, actor: '', details: {} }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BotError);
    expect((error as BotError).code).toBe('STORE.BAD_RECORD');
    expect((await store.list(audit)).length).toBe(before);
  });
});

describe('audit record details', () => {
  it('are plain JSON: the schema rejects a non-object', () => {
    expect(audit.schema.safeParse({ kind: 'order', atMs: 1, actor: 'x', details: 'text' }).success).toBe(false);
  });
});
