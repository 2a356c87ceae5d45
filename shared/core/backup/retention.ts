import type { BackupKind } from './layout.js';

/** How many complete backups of each kind to keep (7 daily, 4 weekly, 12 monthly). */
export type RetentionPolicy = Readonly<Record<BackupKind, number>>;
export const DEFAULT_RETENTION: RetentionPolicy = { daily: 7, weekly: 4, monthly: 12 };

/** An unfinished backup (no manifest) younger than this may still be running: left alone. */
export const INCOMPLETE_GRACE_MS = 24 * 3_600_000;

export interface BackupRef {
  kind: BackupKind;
  createdAtMs: number;
  prefix: string;
  /** Its manifest exists. */
  complete: boolean;
}

/**
 * Which backups to keep and which to delete: per kind, the newest `policy[kind]` complete ones
 * stay; older complete ones go; unfinished ones go once older than the grace period. Pure.
 */
export function planRetention(
  backups: readonly BackupRef[],
  options: { nowMs: number; policy?: RetentionPolicy; incompleteGraceMs?: number },
): { keep: BackupRef[]; remove: BackupRef[] } {
  const policy = options.policy ?? DEFAULT_RETENTION;
  const graceMs = options.incompleteGraceMs ?? INCOMPLETE_GRACE_MS;
  const keep: BackupRef[] = [];
  const remove: BackupRef[] = [];
  const newestFirst = [...backups].sort((a, b) => b.createdAtMs - a.createdAtMs || (a.prefix < b.prefix ? -1 : 1));
  const keptPerKind: Record<BackupKind, number> = { daily: 0, weekly: 0, monthly: 0 };
  for (const b of newestFirst) {
    if (!b.complete) {
      (options.nowMs - b.createdAtMs > graceMs ? remove : keep).push(b);
      continue;
    }
    if (keptPerKind[b.kind] < policy[b.kind]) {
      keptPerKind[b.kind] += 1;
      keep.push(b);
    } else {
      remove.push(b);
    }
  }
  return { keep, remove };
}
