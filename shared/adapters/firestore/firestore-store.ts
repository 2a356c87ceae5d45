import {
  Firestore,
  Timestamp,
  type CollectionReference,
  type DocumentData,
  type Query,
  type Transaction,
} from '@google-cloud/firestore';
import { StoreError, BotError } from '../../core/errors.js';
import { withDeadline } from '../../core/retry.js';
import { systemClock } from '../system-clock.js';
import {
  collectionPath,
  type CollectionDef,
  type ListQuery,
  type StateMode,
  type Store,
  type StoreTransaction,
  type StoredDoc,
} from '../../ports/store.port.js';

const EXPIRE_FIELD = 'expireAt';
const DAY_MS = 86_400_000;

export interface FirestoreStoreOptions {
  projectId: string;
  databaseId?: string;
}

/** Creates the Firestore client once per instance; FIRESTORE_EMULATOR_HOST points it at the emulator. */
export function createFirestore(options: FirestoreStoreOptions): Firestore {
  return new Firestore({
    projectId: options.projectId,
    databaseId: options.databaseId ?? '(default)',
    ignoreUndefinedProperties: true,
  });
}

/**
 * The Store port over Cloud Firestore: records validated with zod on read, TTL field on write.
 * Scoped to a mode (`mode`), it keeps that mode's trading state under `modes/{mode}/`.
 */
export class FirestoreStore implements Store {
  constructor(
    private readonly db: Firestore,
    /** Deadline of one Firestore call, ms. */
    private readonly timeoutMs = 10_000,
    /** Whose trading state this store reads and writes (`modes/{mode}/...`); none: it cannot reach it. */
    readonly mode?: StateMode,
  ) {}

  private ref(c: CollectionDef<unknown>): CollectionReference {
    return this.db.collection(collectionPath(c, this.mode));
  }

  async get<T>(c: CollectionDef<T>, id: string): Promise<T | undefined> {
    const snap = await this.call(() => this.ref(c).doc(id).get(), c.name);
    return snap.exists ? toDomain(c, id, snap.data()) : undefined;
  }

  async set<T>(c: CollectionDef<T>, id: string, value: T): Promise<void> {
    await this.call(() => this.ref(c).doc(id).set(toPersistence(c, value)), c.name);
  }

  async create<T>(c: CollectionDef<T>, id: string, value: T): Promise<boolean> {
    try {
      await this.call(() => this.ref(c).doc(id).create(toPersistence(c, value)), c.name);
      return true;
    } catch (error) {
      if (grpcCode(error) === ALREADY_EXISTS || grpcCode((error as BotError).cause) === ALREADY_EXISTS) return false;
      throw error;
    }
  }

  async delete(c: CollectionDef<unknown>, id: string): Promise<void> {
    await this.call(() => this.ref(c).doc(id).delete(), c.name);
  }

  async list<T>(c: CollectionDef<T>, query: ListQuery = {}): Promise<Array<StoredDoc<T>>> {
    let q: Query = this.ref(c);
    for (const [field, op, value] of query.where ?? []) q = q.where(field, op, value);
    if (query.orderBy) q = q.orderBy(query.orderBy.field, query.orderBy.direction ?? 'asc');
    if (query.limit !== undefined) q = q.limit(query.limit);
    const snap = await this.call(() => q.get(), c.name);
    return snap.docs.map((d) => ({ id: d.id, data: toDomain(c, d.id, d.data()) }));
  }

  async runTransaction<R>(work: (tx: StoreTransaction) => Promise<R>): Promise<R> {
    return this.call(
      () =>
        this.db.runTransaction(async (t) => work(new FirestoreTransaction(this.db, t, this.mode)), { maxAttempts: 5 }),
      'transaction',
    );
  }

  /** One deadline per call (the shared `withDeadline`); Firestore's gRPC errors become the bot's STORE.* errors. */
  private async call<R>(op: () => Promise<R>, what: string): Promise<R> {
    try {
      return await withDeadline(() => op(), {
        clock: systemClock,
        timeoutMs: this.timeoutMs,
        code: 'STORE.UNAVAILABLE',
        what: `Firestore ${what}`,
      });
    } catch (error) {
      throw translateFirestoreError(error, what);
    }
  }
}

class FirestoreTransaction implements StoreTransaction {
  constructor(
    private readonly db: Firestore,
    private readonly t: Transaction,
    private readonly mode: StateMode | undefined,
  ) {}

  private ref(c: CollectionDef<unknown>): CollectionReference {
    return this.db.collection(collectionPath(c, this.mode));
  }

  async get<T>(c: CollectionDef<T>, id: string): Promise<T | undefined> {
    const snap = await this.t.get(this.ref(c).doc(id));
    return snap.exists ? toDomain(c, id, snap.data()) : undefined;
  }

  set<T>(c: CollectionDef<T>, id: string, value: T): void {
    this.t.set(this.ref(c).doc(id), toPersistence(c, value));
  }

  create<T>(c: CollectionDef<T>, id: string, value: T): void {
    this.t.create(this.ref(c).doc(id), toPersistence(c, value));
  }

  delete(c: CollectionDef<unknown>, id: string): void {
    this.t.delete(this.ref(c).doc(id));
  }
}

/** Mapper: domain record -> Firestore document (adds the TTL timestamp). */
function toPersistence<T>(c: CollectionDef<T>, value: T): DocumentData {
  const doc = { ...(value as DocumentData) };
  if (c.ttl) {
    const fromMs = doc[c.ttl.fromField];
    if (typeof fromMs !== 'number')
      throw new StoreError('STORE.BAD_RECORD', `${c.name}: TTL field ${c.ttl.fromField} must be a number of ms`);
    doc[EXPIRE_FIELD] = Timestamp.fromMillis(fromMs + c.ttl.days * DAY_MS);
  }
  return doc;
}

/** Mapper: Firestore document -> domain record, re-validated with the collection's schema. */
function toDomain<T>(c: CollectionDef<T>, id: string, data: DocumentData | undefined): T {
  const { [EXPIRE_FIELD]: _expireAt, ...rest } = data ?? {};
  const parsed = c.schema.safeParse(rest);
  if (!parsed.success) {
    throw new StoreError(
      'STORE.BAD_RECORD',
      `${c.name}/${id} does not match its schema: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

const ALREADY_EXISTS = 6;
const RETRYABLE_UNAVAILABLE = new Set([
  4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */, 13 /* INTERNAL */, 14 /* UNAVAILABLE */,
]);
const CONFLICT = new Set([10 /* ABORTED */, 9 /* FAILED_PRECONDITION */]);

function grpcCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

export function translateFirestoreError(error: unknown, what: string): BotError {
  if (error instanceof BotError) return error;
  const code = grpcCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code !== undefined && CONFLICT.has(code))
    return new StoreError('STORE.CONFLICT', `Firestore ${what}: ${message}`, { cause: error });
  if (code === ALREADY_EXISTS)
    return new StoreError('STORE.CONFLICT', `Firestore ${what}: already exists`, { cause: error, retryable: false });
  if (code === undefined || RETRYABLE_UNAVAILABLE.has(code))
    return new StoreError('STORE.UNAVAILABLE', `Firestore ${what}: ${message}`, { cause: error });
  return new StoreError('STORE.UNAVAILABLE', `Firestore ${what}: ${message}`, { cause: error, retryable: false });
}
