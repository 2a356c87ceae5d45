import type { CollectionDef, ListQuery, Store, StoreTransaction } from '../../shared/ports/store.port.js';

export interface StoreCounts {
  /** Documents read, as Firestore bills them: one per get (found or not), one per listed document, at least one per query. */
  reads: number;
  /** Documents written: set, create (also when it finds the document: the attempt is billed as a read), delete. */
  writes: number;
  /** Reads and writes by collection, for the cost table. */
  byCollection: Record<string, { reads: number; writes: number }>;
}

/**
 * A Store decorator that counts document reads and writes the way Firestore bills them, so the
 * replay can say what one tick costs. Behaviour is the wrapped store's, unchanged.
 */
export class CountingStore implements Store {
  readonly counts: StoreCounts = { reads: 0, writes: 0, byCollection: {} };

  constructor(private readonly inner: Store) {}

  get mode(): Store['mode'] {
    return this.inner.mode;
  }

  private add(c: CollectionDef<unknown>, kind: 'reads' | 'writes', n: number): void {
    this.counts[kind] += n;
    const entry = (this.counts.byCollection[c.name] ??= { reads: 0, writes: 0 });
    entry[kind] += n;
  }

  snapshot(): { reads: number; writes: number } {
    return { reads: this.counts.reads, writes: this.counts.writes };
  }

  async get<T>(c: CollectionDef<T>, id: string): Promise<T | undefined> {
    this.add(c, 'reads', 1);
    return this.inner.get(c, id);
  }

  async set<T>(c: CollectionDef<T>, id: string, value: T): Promise<void> {
    this.add(c, 'writes', 1);
    return this.inner.set(c, id, value);
  }

  async create<T>(c: CollectionDef<T>, id: string, value: T): Promise<boolean> {
    const created = await this.inner.create(c, id, value);
    this.add(c, created ? 'writes' : 'reads', 1);
    return created;
  }

  async delete(c: CollectionDef<unknown>, id: string): Promise<void> {
    this.add(c, 'writes', 1);
    return this.inner.delete(c, id);
  }

  async list<T>(c: CollectionDef<T>, query?: ListQuery): Promise<Array<{ id: string; data: T }>> {
    const docs = await this.inner.list(c, query);
    this.add(c, 'reads', Math.max(1, docs.length));
    return docs;
  }

  async runTransaction<R>(work: (tx: StoreTransaction) => Promise<R>): Promise<R> {
    // Counted per attempt that reaches the callback (a retried transaction reads again).
    return this.inner.runTransaction(async (tx) => {
      const counted: StoreTransaction = {
        get: async (c, id) => {
          this.add(c, 'reads', 1);
          return tx.get(c, id);
        },
        set: (c, id, value) => {
          this.add(c, 'writes', 1);
          tx.set(c, id, value);
        },
        create: (c, id, value) => {
          this.add(c, 'writes', 1);
          tx.create(c, id, value);
        },
        delete: (c, id) => {
          this.add(c, 'writes', 1);
          tx.delete(c, id);
        },
      };
      return work(counted);
    });
  }
}
