import { createHash } from 'node:crypto';
import { z } from 'zod';
import { BACKUP_KINDS } from './layout.js';

export const BACKUP_SCHEMA_VERSION = 1;
/** The per-value encoding of the JSON lines (see shared/adapters/backup/value-codec.ts). */
export const BACKUP_ENCODING = 'firestore-typed-json-v1';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const manifestSchema = z.strictObject({
  schemaVersion: z.literal(BACKUP_SCHEMA_VERSION),
  encoding: z.literal(BACKUP_ENCODING),
  kind: z.enum(BACKUP_KINDS),
  createdAtMs: z.number().int().nonnegative(),
  createdAt: z.string(),
  source: z.strictObject({ projectId: z.string(), databaseId: z.string() }),
  collections: z.array(
    z.strictObject({
      /** Collection path: `ticks`, or `trades/abc/fills` for a subcollection. */
      path: z.string().min(1),
      /** Object name relative to the backup prefix. */
      object: z.string().min(1),
      count: z.number().int().nonnegative(),
      bytes: z.number().int().nonnegative(),
      sha256: sha256Hex,
    }),
  ),
  totals: z.strictObject({ documents: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() }),
});

export type BackupManifest = z.infer<typeof manifestSchema>;
export type ManifestEntry = BackupManifest['collections'][number];

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Documents in a JSON-lines file: one per '\n'-terminated line. */
export function countLines(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) if (b === 10) n += 1;
  return n;
}

export function buildManifest(input: {
  kind: BackupManifest['kind'];
  createdAtMs: number;
  source: BackupManifest['source'];
  files: ReadonlyArray<{ path: string; object: string; content: Uint8Array }>;
}): BackupManifest {
  const collections = [...input.files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => ({
      path: f.path,
      object: f.object,
      count: countLines(f.content),
      bytes: f.content.byteLength,
      sha256: sha256(f.content),
    }));
  return {
    schemaVersion: BACKUP_SCHEMA_VERSION,
    encoding: BACKUP_ENCODING,
    kind: input.kind,
    createdAtMs: input.createdAtMs,
    createdAt: new Date(input.createdAtMs).toISOString(),
    source: input.source,
    collections,
    totals: {
      documents: collections.reduce((s, c) => s + c.count, 0),
      bytes: collections.reduce((s, c) => s + c.bytes, 0),
    },
  };
}

/** Parses a stored manifest; a list of problems instead of a throw so callers can report them all. */
export function parseManifest(bytes: Uint8Array): { manifest: BackupManifest } | { problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    return { problems: [`manifest is not JSON: ${(error as Error).message}`] };
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success)
    return { problems: parsed.error.issues.map((i) => `manifest ${i.path.join('.')}: ${i.message}`) };
  const m = parsed.data;
  const problems: string[] = [];
  if (m.totals.documents !== m.collections.reduce((s, c) => s + c.count, 0))
    problems.push('manifest totals.documents differs from the sum of counts');
  if (new Set(m.collections.map((c) => c.path)).size !== m.collections.length)
    problems.push('manifest lists a collection twice');
  return problems.length > 0 ? { problems } : { manifest: m };
}

/** Problems of one collection file against its manifest entry (empty when it is intact). */
export function verifyFile(entry: ManifestEntry, content: Uint8Array | undefined): string[] {
  if (content === undefined) return [`${entry.path}: ${entry.object} is missing`];
  const problems: string[] = [];
  if (content.byteLength !== entry.bytes)
    problems.push(`${entry.path}: ${content.byteLength} bytes, manifest says ${entry.bytes}`);
  const digest = sha256(content);
  if (digest !== entry.sha256)
    problems.push(`${entry.path}: sha-256 ${digest} differs from the manifest's ${entry.sha256}`);
  const count = countLines(content);
  if (count !== entry.count) problems.push(`${entry.path}: ${count} documents, manifest says ${entry.count}`);
  return problems;
}
