/**
 * Where a backup lives in the bucket and how its URI reads:
 *   gs://BUCKET/backups/<kind>/<YYYYMMDDTHHMMSSZ>/manifest.json
 *   gs://BUCKET/backups/<kind>/<YYYYMMDDTHHMMSSZ>/collections/<url-encoded collection path>.jsonl
 * The manifest is written last: a prefix without one is an unfinished (or failed) backup.
 */
export const BACKUP_KINDS = ['daily', 'weekly', 'monthly'] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];

export const BACKUP_ROOT = 'backups';
export const MANIFEST_FILE = 'manifest.json';

export function stampOf(createdAtMs: number): string {
  return new Date(createdAtMs)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** `backups/daily/20261126T180000Z/` */
export function backupPrefix(kind: BackupKind, createdAtMs: number, root = BACKUP_ROOT): string {
  return `${root}/${kind}/${stampOf(createdAtMs)}/`;
}

/** Object name (relative to the backup prefix) of one collection's JSON lines. */
export function collectionObjectName(collectionPath: string): string {
  return `collections/${encodeURIComponent(collectionPath)}.jsonl`;
}

/** The backup a stored object belongs to, or undefined for anything else under the root. */
export function parseBackupObject(
  name: string,
  root = BACKUP_ROOT,
): { kind: BackupKind; createdAtMs: number; prefix: string; rest: string } | undefined {
  const m = name.match(/^(.*?)\/(daily|weekly|monthly)\/(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\/(.+)$/);
  if (!m || m[1] !== root) return undefined;
  const createdAtMs = Date.parse(`${m[3]}-${m[4]}-${m[5]}T${m[6]}:${m[7]}:${m[8]}Z`);
  if (Number.isNaN(createdAtMs)) return undefined;
  const kind = m[2] as BackupKind;
  return { kind, createdAtMs, prefix: backupPrefix(kind, createdAtMs, root), rest: m[9] as string };
}

/** `gs://bucket/some/prefix` -> bucket and prefix (always ending in '/', or empty). */
export function parseGsUri(uri: string): { bucket: string; prefix: string } {
  const m = uri.match(/^gs:\/\/([a-z0-9][a-z0-9._-]{1,220}[a-z0-9])(?:\/(.*))?$/);
  if (!m) throw new RangeError(`not a gs://bucket/prefix URI: ${uri}`);
  const raw = (m[2] ?? '').replace(/\/+$/, '');
  const prefix = raw === '' ? '' : `${raw.replace(/\/manifest\.json$/, '')}/`;
  return { bucket: m[1] as string, prefix };
}
