/**
 * Reads every Firestore collection (subcollections of existing documents included) as JSON lines
 * of raw, typed values, and writes such lines back into a database. It uses the Firestore client
 * directly (this is an adapter): the raw protobuf fields of each snapshot on the way out, and a
 * value that hands the client its protobuf unchanged on the way in, so nothing is converted
 * through JavaScript numbers or Dates (see value-codec.ts).
 */
import {
  FieldPath,
  type CollectionReference,
  type Firestore,
  type QueryDocumentSnapshot,
} from '@google-cloud/firestore';
import { StoreError } from '../../core/errors.js';
import { withDeadline } from '../../core/retry.js';
import type { Clock } from '../../ports/clock.port.js';
import { translateFirestoreError } from '../firestore/firestore-store.js';
import { systemClock } from '../system-clock.js';
import { decodeFields, encodeFields, sortedKeys, type EncodedFields, type ProtoValue } from './value-codec.js';

const SUBCOLLECTION_CONCURRENCY = 25;

export interface DumpOptions {
  pageSize?: number;
  /** Deadline of one Firestore call, ms. */
  timeoutMs?: number;
  clock?: Clock;
}

export interface CollectionDump {
  /** `ticks`, or `trades/T1/fills` for a subcollection. */
  path: string;
  content: Buffer;
}

/** The document path prefix references are relative to. */
export function databasePathOf(db: Firestore): string {
  return `projects/${projectIdOf(db)}/databases/${db.databaseId}/documents`;
}

/** The client's project id (set explicitly by createFirestore; the getter is untyped in the client's d.ts). */
export function projectIdOf(db: Firestore): string {
  const id = (db as unknown as { projectId?: unknown }).projectId;
  if (typeof id !== 'string' || id === '')
    throw new StoreError('STORE.UNAVAILABLE', 'the Firestore client has no project id', { retryable: false });
  return id;
}

/** One line per document: `{"id":"...","fields":{...}}\n`, ids in order. */
export async function dumpDatabase(db: Firestore, options: DumpOptions = {}): Promise<CollectionDump[]> {
  const dbPath = databasePathOf(db);
  const out: CollectionDump[] = [];
  const pending: CollectionReference[] = await call(options, 'list collections', () => db.listCollections());
  while (pending.length > 0) {
    const col = pending.shift() as CollectionReference;
    const lines: string[] = [];
    for await (const page of pages(col, options)) {
      for (const doc of page)
        lines.push(`${JSON.stringify({ id: doc.id, fields: encodeFields(rawFields(doc), dbPath) })}\n`);
    }
    // Subcollections hang off every document reference, including "missing" parents that have no
    // fields of their own; one listing per reference, a bounded number in flight at a time.
    const refs = await call(options, `list documents of ${col.path}`, () => col.listDocuments());
    for (let i = 0; i < refs.length; i += SUBCOLLECTION_CONCURRENCY) {
      const found = await Promise.all(
        refs
          .slice(i, i + SUBCOLLECTION_CONCURRENCY)
          .map((ref) => call(options, `list subcollections of ${ref.path}`, () => ref.listCollections())),
      );
      pending.push(...found.flat());
    }
    if (lines.length > 0) out.push({ path: col.path, content: Buffer.from(lines.join(''), 'utf8') });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function* pages(col: CollectionReference, options: DumpOptions): AsyncGenerator<QueryDocumentSnapshot[]> {
  const pageSize = options.pageSize ?? 500;
  let last: QueryDocumentSnapshot | undefined;
  for (;;) {
    let q = col.orderBy(FieldPath.documentId()).limit(pageSize);
    if (last) q = q.startAfter(last);
    const snap = await call(options, `read ${col.path}`, () => q.get());
    if (snap.docs.length > 0) yield snap.docs;
    if (snap.docs.length < pageSize) return;
    last = snap.docs[snap.docs.length - 1];
  }
}

function rawFields(doc: QueryDocumentSnapshot): Record<string, ProtoValue> {
  const fields = (doc as unknown as { _fieldsProto?: Record<string, ProtoValue> })._fieldsProto;
  if (fields === undefined)
    throw new StoreError('STORE.BAD_RECORD', `backup could not read the raw fields of ${doc.ref.path}`, {
      retryable: false,
    });
  return fields;
}

/** A value the Firestore client serializes by asking it for its protobuf (as it does for its own types). */
export class RawValue {
  readonly _protoValueType = 'ProtoValue';
  constructor(private readonly proto: ProtoValue) {}
  _toProto(): ProtoValue {
    return this.proto;
  }
}

export interface ParsedLine {
  id: string;
  fields: EncodedFields;
}

export function parseLines(path: string, content: Buffer): ParsedLine[] {
  const text = content.toString('utf8');
  if (text === '') return [];
  return text
    .slice(0, -1)
    .split('\n')
    .map((line, i) => {
      const parsed = JSON.parse(line) as Partial<ParsedLine>;
      if (typeof parsed.id !== 'string' || typeof parsed.fields !== 'object' || parsed.fields === null) {
        throw new StoreError('STORE.BAD_RECORD', `${path} line ${i + 1} is not a backed-up document`);
      }
      return { id: parsed.id, fields: parsed.fields };
    });
}

/** Creates each document (fails if one exists) in batches of up to 500 writes. */
export async function writeCollection(
  db: Firestore,
  path: string,
  docs: readonly ParsedLine[],
  options: DumpOptions = {},
): Promise<void> {
  const dbPath = databasePathOf(db);
  const batchSize = Math.min(options.pageSize ?? 500, 500);
  for (let start = 0; start < docs.length; start += batchSize) {
    const batch = db.batch();
    for (const doc of docs.slice(start, start + batchSize)) {
      const proto = decodeFields(doc.fields, dbPath);
      const data: Record<string, RawValue> = {};
      for (const key of sortedKeys(proto)) data[key] = new RawValue(proto[key] as ProtoValue);
      batch.create(db.collection(path).doc(doc.id), data);
    }
    await call(options, `write ${path}`, () => batch.commit());
  }
}

/** Top-level collections that hold at least one document (empty database: []). */
export async function listCollectionPaths(db: Firestore, options: DumpOptions = {}): Promise<string[]> {
  return (await call(options, 'list collections', () => db.listCollections())).map((c) => c.path);
}

async function call<R>(options: DumpOptions, what: string, op: () => Promise<R>): Promise<R> {
  try {
    return await withDeadline(() => op(), {
      clock: options.clock ?? systemClock,
      timeoutMs: options.timeoutMs ?? 30_000,
      code: 'STORE.UNAVAILABLE',
      what: `Firestore ${what}`,
    });
  } catch (error) {
    throw translateFirestoreError(error, what);
  }
}
