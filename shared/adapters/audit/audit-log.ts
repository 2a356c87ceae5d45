import { randomBytes } from 'node:crypto';
import { StoreError } from '../../core/errors.js';
import type { Store } from '../../ports/store.port.js';
import { audit, auditRecordSchema, type AuditRecord } from '../../store/audit-collections.js';

/**
 * Appends one audit record and returns its id. Ids sort by time (`<atMs, 13 digits>-<kind>-<random>`)
 * and the write is a `create`, so an existing record is never overwritten. The record is
 * validated first: a bad record is refused, not half-written.
 */
export async function appendAudit(store: Store, record: AuditRecord, random: () => string = () => randomBytes(6).toString('hex')): Promise<string> {
  const parsed = auditRecordSchema.safeParse(record);
  if (!parsed.success) {
    throw new StoreError('STORE.BAD_RECORD', `audit record refused: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { retryable: false });
  }
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const id = `${String(parsed.data.atMs).padStart(13, '0')}-${parsed.data.kind}-${random()}`;
    if (await store.create(audit, id, JSON.parse(JSON.stringify(parsed.data)) as AuditRecord)) return id;
  }
  throw new StoreError('STORE.CONFLICT', 'audit record id collided three times', { retryable: true });
}

/** The newest audit records first (for health pages and the runbook). */
export async function recentAudit(store: Store, limit = 50): Promise<Array<{ id: string; record: AuditRecord }>> {
  const docs = await store.list(audit, { orderBy: { field: 'atMs', direction: 'desc' }, limit });
  return docs.map((d) => ({ id: d.id, record: d.data }));
}
