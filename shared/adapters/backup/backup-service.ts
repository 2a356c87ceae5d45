/**
 * Backup and restore between Firestore and a BlobStore: export every collection as JSON lines,
 * write the manifest last, apply retention; restore verifies every checksum and count before it
 * writes anything, refuses a database that is not empty, and checks what it wrote.
 */
import type { Firestore } from '@google-cloud/firestore';
import { BotError, StoreError } from '../../core/errors.js';
import {
  backupPrefix,
  collectionObjectName,
  MANIFEST_FILE,
  parseBackupObject,
  BACKUP_ROOT,
  type BackupKind,
} from '../../core/backup/layout.js';
import { buildManifest, parseManifest, verifyFile, type BackupManifest } from '../../core/backup/manifest.js';
import { planRetention, type BackupRef, type RetentionPolicy } from '../../core/backup/retention.js';
import type { BlobStore } from '../../ports/blob-store.port.js';
import {
  dumpDatabase,
  listCollectionPaths,
  parseLines,
  projectIdOf,
  writeCollection,
  type DumpOptions,
} from './firestore-dump.js';

export interface BackupResult {
  prefix: string;
  manifest: BackupManifest;
  removedPrefixes: string[];
}

export async function runBackup(input: {
  db: Firestore;
  blobs: BlobStore;
  kind: BackupKind;
  nowMs: number;
  policy?: RetentionPolicy;
  root?: string;
  dump?: DumpOptions;
}): Promise<BackupResult> {
  const prefix = backupPrefix(input.kind, input.nowMs, input.root);
  const dumps = await dumpDatabase(input.db, input.dump);
  const files = dumps.map((d) => ({ path: d.path, object: collectionObjectName(d.path), content: d.content }));
  for (const f of files)
    await input.blobs.put(prefix + f.object, f.content, { contentType: 'application/x-ndjson', ifAbsent: true });
  const manifest = buildManifest({
    kind: input.kind,
    createdAtMs: input.nowMs,
    source: { projectId: projectIdOf(input.db), databaseId: input.db.databaseId },
    files,
  });
  await input.blobs.put(prefix + MANIFEST_FILE, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), {
    contentType: 'application/json',
    ifAbsent: true,
  });
  const removedPrefixes = await applyRetention({
    blobs: input.blobs,
    nowMs: input.nowMs,
    policy: input.policy,
    root: input.root,
  });
  return { prefix, manifest, removedPrefixes };
}

/** Deletes every object of the backups the policy no longer keeps; returns their prefixes. */
export async function applyRetention(input: {
  blobs: BlobStore;
  nowMs: number;
  policy?: RetentionPolicy;
  root?: string;
}): Promise<string[]> {
  const root = input.root ?? BACKUP_ROOT;
  const objects = await input.blobs.list(`${root}/`);
  const byPrefix = new Map<string, { ref: BackupRef; names: string[] }>();
  for (const o of objects) {
    const parsed = parseBackupObject(o.name, root);
    if (!parsed) continue;
    const entry = byPrefix.get(parsed.prefix) ?? {
      ref: { kind: parsed.kind, createdAtMs: parsed.createdAtMs, prefix: parsed.prefix, complete: false },
      names: [],
    };
    entry.names.push(o.name);
    if (parsed.rest === MANIFEST_FILE) entry.ref.complete = true;
    byPrefix.set(parsed.prefix, entry);
  }
  const { remove } = planRetention(
    [...byPrefix.values()].map((e) => e.ref),
    { nowMs: input.nowMs, ...(input.policy ? { policy: input.policy } : {}) },
  );
  for (const r of remove) {
    // The manifest goes first: a half-deleted backup then reads as unfinished, never as complete.
    const names = byPrefix.get(r.prefix)?.names ?? [];
    for (const name of [...names].sort((a, b) => Number(b.endsWith(MANIFEST_FILE)) - Number(a.endsWith(MANIFEST_FILE))))
      await input.blobs.delete(name);
  }
  return remove.map((r) => r.prefix);
}

export interface RestoreReport {
  prefix: string;
  manifest: BackupManifest;
  dryRun: boolean;
  collections: Array<{ path: string; count: number }>;
  documents: number;
}

/** The backup's manifest and every file, checked against each other; throws naming every problem. */
export async function loadVerifiedBackup(
  blobs: BlobStore,
  prefix: string,
): Promise<{ manifest: BackupManifest; files: Map<string, Buffer> }> {
  const raw = await blobs.get(prefix + MANIFEST_FILE);
  if (raw === undefined)
    throw new StoreError(
      'STORE.BAD_RECORD',
      `no ${MANIFEST_FILE} under gs://${blobs.bucket}/${prefix}: not a complete backup`,
      { retryable: false },
    );
  const parsed = parseManifest(raw);
  if ('problems' in parsed)
    throw new StoreError('STORE.BAD_RECORD', `bad manifest: ${parsed.problems.join('; ')}`, { retryable: false });
  const files = new Map<string, Buffer>();
  const problems: string[] = [];
  for (const entry of parsed.manifest.collections) {
    const content = await blobs.get(prefix + entry.object);
    problems.push(...verifyFile(entry, content));
    if (content) files.set(entry.path, content);
  }
  if (problems.length > 0)
    throw new StoreError('STORE.BAD_RECORD', `backup does not match its manifest: ${problems.join('; ')}`, {
      retryable: false,
      details: { problems },
    });
  return { manifest: parsed.manifest, files };
}

/**
 * Restores a verified backup into an EMPTY database, then re-reads the database and checks that
 * every collection gives back the manifest's exact bytes (counts and sha-256). `dryRun` verifies
 * the backup and the emptiness and writes nothing.
 */
export async function restoreBackup(input: {
  db: Firestore;
  blobs: BlobStore;
  prefix: string;
  dryRun: boolean;
  dump?: DumpOptions;
}): Promise<RestoreReport> {
  const existing = await listCollectionPaths(input.db, input.dump);
  if (existing.length > 0) {
    throw new StoreError('STORE.CONFLICT', `restore needs an empty database; this one has ${existing.join(', ')}`, {
      retryable: false,
      details: { collections: existing },
    });
  }
  const { manifest, files } = await loadVerifiedBackup(input.blobs, input.prefix);
  const parsed = manifest.collections.map((c) => ({
    path: c.path,
    docs: parseLines(c.path, files.get(c.path) as Buffer),
  }));
  const report: RestoreReport = {
    prefix: input.prefix,
    manifest,
    dryRun: input.dryRun,
    collections: parsed.map((c) => ({ path: c.path, count: c.docs.length })),
    documents: manifest.totals.documents,
  };
  if (input.dryRun) return report;
  // Parents before their subcollections (a shorter path sorts first within its tree).
  for (const c of [...parsed].sort((a, b) => a.path.split('/').length - b.path.split('/').length))
    await writeCollection(input.db, c.path, c.docs, input.dump);
  await verifyRestored(input.db, manifest, input.dump);
  return report;
}

async function verifyRestored(db: Firestore, manifest: BackupManifest, dump?: DumpOptions): Promise<void> {
  const after = new Map((await dumpDatabase(db, dump)).map((d) => [d.path, d.content]));
  const problems = manifest.collections.flatMap((entry) =>
    verifyFile(entry, after.get(entry.path) ?? (entry.count === 0 ? Buffer.alloc(0) : undefined)),
  );
  if (problems.length > 0) {
    throw new BotError('STORE.BAD_RECORD', `restored data differs from the backup: ${problems.join('; ')}`, {
      retryable: false,
      details: { problems },
    });
  }
}
