import type { z } from 'zod';

/**
 * A typed collection: its name, the zod schema every stored record is re-validated with on read,
 * and an optional retention (the adapter writes an `expireAt` timestamp that a Firestore TTL
 * policy deletes on).
 */
export interface CollectionDef<T> {
  readonly name: string;
  readonly schema: z.ZodType<T>;
  readonly ttl?: { readonly days: number; readonly fromField: string };
}

export function collection<T>(name: string, schema: z.ZodType<T>, ttl?: CollectionDef<T>['ttl']): CollectionDef<T> {
  return ttl === undefined ? { name, schema } : { name, schema, ttl };
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
  get<T>(c: CollectionDef<T>, id: string): Promise<T | undefined>;
  set<T>(c: CollectionDef<T>, id: string, value: T): Promise<void>;
  /** Writes only if absent; returns false when the document already existed. */
  create<T>(c: CollectionDef<T>, id: string, value: T): Promise<boolean>;
  delete(c: CollectionDef<unknown>, id: string): Promise<void>;
  list<T>(c: CollectionDef<T>, query?: ListQuery): Promise<Array<StoredDoc<T>>>;
  /** Runs `work` in a serializable transaction, retried by the store on contention. */
  runTransaction<R>(work: (tx: StoreTransaction) => Promise<R>): Promise<R>;
}
