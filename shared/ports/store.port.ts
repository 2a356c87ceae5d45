import type { z } from 'zod';
import { BotError } from '../core/errors.js';

/**
 * A typed collection: its name, the zod schema every stored record is re-validated with on read,
 * and an optional retention (the adapter writes an `expireAt` timestamp that a Firestore TTL
 * policy deletes on).
 */
export interface CollectionDef<T> {
  readonly name: string;
  readonly schema: z.ZodType<T>;
  readonly ttl?: { readonly days: number; readonly fromField: string };
  /** Trading state kept apart per mode: stored under `modes/{mode}/{name}` by a store scoped to that mode. */
  readonly perMode?: true;
}

export function collection<T>(name: string, schema: z.ZodType<T>, ttl?: CollectionDef<T>['ttl']): CollectionDef<T> {
  return ttl === undefined ? { name, schema } : { name, schema, ttl };
}

/** The trading mode whose state a store reads and writes. */
export type StateMode = 'paper' | 'live';

/**
 * A collection of trading state (positions, order intents, trades): paper and live never share
 * it. Each mode's documents live in a subcollection of `modes/{mode}`, so the collection group (and
 * with it the TTL policy and the indexes) keeps its name.
 */
export function modeCollection<T>(name: string, schema: z.ZodType<T>, ttl?: CollectionDef<T>['ttl']): CollectionDef<T> {
  return { ...collection(name, schema, ttl), perMode: true };
}

/**
 * Where a collection's documents are, for a store scoped to `mode`: `modes/{mode}/{name}` for
 * trading state, `{name}` otherwise. A store that is not scoped to a mode cannot reach trading
 * state (thrown, never a guess).
 */
export function collectionPath(
  c: Pick<CollectionDef<unknown>, 'name' | 'perMode'>,
  mode: StateMode | undefined,
): string {
  if (!c.perMode) return c.name;
  if (mode === undefined)
    throw new BotError(
      'INTERNAL',
      `${c.name} is trading state, kept per mode: this store is not scoped to a mode (paper or live)`,
    );
  return `modes/${mode}/${c.name}`;
}

export interface StoredDoc<T> {
  id: string;
  data: T;
}

export type WhereOp = '==' | '<' | '<=' | '>' | '>=' | '!=' | 'in';

export interface ListQuery {
  where?: ReadonlyArray<readonly [field: string, op: WhereOp, value: unknown]>;
  orderBy?: { field: string; direction?: 'asc' | 'desc' };
  limit?: number;
}

/** Reads and writes inside one transaction: all reads must come before any write. */
export interface StoreTransaction {
  get<T>(c: CollectionDef<T>, id: string): Promise<T | undefined>;
  set<T>(c: CollectionDef<T>, id: string, value: T): void;
  /** Fails the transaction if the document exists. */
  create<T>(c: CollectionDef<T>, id: string, value: T): void;
  delete(c: CollectionDef<unknown>, id: string): void;
}

export interface Store {
  /** The mode whose trading state (`perMode` collections) this store reads and writes; none: it cannot reach them. */
  readonly mode?: StateMode;
  get<T>(c: CollectionDef<T>, id: string): Promise<T | undefined>;
  set<T>(c: CollectionDef<T>, id: string, value: T): Promise<void>;
  /** Writes only if absent; returns false when the document already existed. */
  create<T>(c: CollectionDef<T>, id: string, value: T): Promise<boolean>;
  delete(c: CollectionDef<unknown>, id: string): Promise<void>;
  list<T>(c: CollectionDef<T>, query?: ListQuery): Promise<Array<StoredDoc<T>>>;
  /** Runs `work` in a serializable transaction, retried by the store on contention. */
  runTransaction<R>(work: (tx: StoreTransaction) => Promise<R>): Promise<R>;
}
