import { randomBytes } from 'node:crypto';
import { StoreError } from '../../core/errors.js';
import type { Store, StoreTransaction } from '../../ports/store.port.js';
import { audit, auditRecordSchema, type AuditRecord } from '../../store/audit-collections.js';

/**
 * Appends one audit record and returns its id. Ids sort by time (`<atMs, 13 digits>-<kind>-<random>`)
 * and the write is a `create`, so an existing record is never overwritten. The record is
 * validated first: a bad record is refused, not half-written.
 */
export async function appendAudit(
  store: Store,
  record: AuditRecord,
  random: () => string = randomSuffix,
): Promise<string> {
  const valid = validAudit(record);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const id = auditId(valid, random);
    if (await store.create(audit, id, valid)) return id;
  }
  throw new StoreError('STORE.CONFLICT', 'audit record id collided three times', { retryable: true });
}

/** appendAudit inside a transaction (with the writes it records): the same checks and ids; a collision fails it. */
export function appendAuditInTransaction(
  tx: StoreTransaction,
  record: AuditRecord,
  random: () => string = randomSuffix,
): string {
  const valid = validAudit(record);
  const id = auditId(valid, random);
  tx.create(audit, id, valid);
  return id;
}

const randomSuffix = (): string => randomBytes(6).toString('hex');
const auditId = (record: AuditRecord, random: () => string): string =>
  `${String(record.atMs).padStart(13, '0')}-${record.kind}-${random()}`;

function validAudit(record: AuditRecord): AuditRecord {
  const parsed = auditRecordSchema.safeParse(record);
  if (!parsed.success) {
    throw new StoreError(
      'STORE.BAD_RECORD',
      `audit record refused: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      { retryable: false },
    );
  }
  return JSON.parse(JSON.stringify(parsed.data)) as AuditRecord;
}

/** The newest audit records first (for health pages and the runbook). */
export async function recentAudit(store: Store, limit = 50): Promise<Array<{ id: string; record: AuditRecord }>> {
  const docs = await store.list(audit, { orderBy: { field: 'atMs', direction: 'desc' }, limit });
  return docs.map((d) => ({ id: d.id, record: d.data }));
}
