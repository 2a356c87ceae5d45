import { z } from 'zod';
import { collection } from '../ports/store.port.js';

/**
 * The append-only audit log: every order, kill-switch change, model promotion and restore writes
 * one record, created once and never updated (appendAudit uses `create`). Kept 365 days (TTL on
 * `expireAt`, computed from `atMs`, applied by the deploy).
 */
export const AUDIT_KINDS = [
  'order',
  'kill-switch',
  'equity-peak-reset',
  'model-promotion',
  'restore',
  'backup',
  'config-change',
  'remote-command',
] as const; // remote-command: a Telegram command (actor telegram:<chatId>)
export type AuditKind = (typeof AUDIT_KINDS)[number];

export const auditRecordSchema = z.strictObject({
  kind: z.enum(AUDIT_KINDS),
  atMs: z.number().int().nonnegative(),
  /** Who acted: a function (`tick`, `retrain`), a tool (`restore`), or a person's name. */
  actor: z.string().min(1).max(200),
  /** What happened, as plain JSON data; never a secret. */
  details: z.record(z.string(), z.unknown()),
});
export type AuditRecord = z.infer<typeof auditRecordSchema>;

export const AUDIT_RETENTION_DAYS = 365;
export const audit = collection('audit', auditRecordSchema, { days: AUDIT_RETENTION_DAYS, fromField: 'atMs' });
