import { describe, expect, it } from 'vitest';
import type { BotError } from '../core/errors.js';
import type { CollectionDef, ListQuery, StateMode, Store } from '../ports/store.port.js';
import { assertStateSeparated, MIGRATE_COMMAND } from './state-gate.js';

/** A store that answers list queries from a table of top-level documents and counts them (only what the gate calls). */
function tableStore(
  mode: StateMode | undefined,
  docs: Record<string, Array<Record<string, unknown>>>,
): Store & { lists: string[] } {
  const lists: string[] = [];
  const unused = () => Promise.reject(new Error('not used by the gate'));
  const field = (doc: Record<string, unknown>, path: string): unknown =>
    path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], doc);
  return {
    mode,
    lists,
    get: unused,
    set: unused,
    create: unused,
    delete: unused,
    runTransaction: unused,
    async list<T>(c: CollectionDef<T>, query: ListQuery = {}) {
      lists.push(c.name);
      const hits = (docs[c.name] ?? [])
        .filter((d) => (query.where ?? []).every(([f, , v]) => field(d, f) === v))
        .slice(0, query.limit);
      return hits.map((d, i) => ({ id: String(i), data: d as T }));
    },
  } as Store & { lists: string[] };
}

describe('assertStateSeparated', () => {
  const settings = { pair: 'btc_jpy', mode: 'live' } as const;

  it('passes a store without pre-separation state, and reads it once per store (3 queries), not per tick', async () => {
    const store = tableStore('live', { positions: [{ pair: 'eth_jpy' }] });
    await assertStateSeparated(store, settings);
    await assertStateSeparated(store, settings);
    expect(store.lists.sort()).toEqual(['orders', 'positions', 'trades']);
  });

  it('refuses pre-separation state of the pair, naming the collections and the command, and checks again next time', async () => {
    const store = tableStore('live', { positions: [{ pair: 'btc_jpy' }], orders: [{ request: { pair: 'btc_jpy' } }] });
    const refused = await assertStateSeparated(store, settings).then(
      () => undefined,
      (e: unknown) => e as BotError,
    );
    expect(refused).toMatchObject({
      code: 'STORE.MIXED_MODES',
      retryable: false,
      details: { collections: ['positions', 'orders'], pair: 'btc_jpy', mode: 'live' },
    });
    expect(refused?.message).toContain(MIGRATE_COMMAND);
    expect(refused?.message.length).toBeLessThanOrEqual(300); // the tick record keeps 300 characters
    await expect(assertStateSeparated(store, settings)).rejects.toMatchObject({ code: 'STORE.MIXED_MODES' });
  });

  it('a store scoped to the other mode (or none) is a wiring bug: INTERNAL, before any read', async () => {
    for (const mode of ['paper', undefined] as const) {
      const store = tableStore(mode, {});
      await expect(assertStateSeparated(store, settings)).rejects.toMatchObject({ code: 'INTERNAL' });
      expect(store.lists).toEqual([]);
    }
  });
});
