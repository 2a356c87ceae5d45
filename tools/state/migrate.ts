/**
 * Moves trading state from before paper and live were kept apart (top-level `positions`, `orders`,
 * `trades`, shared by both modes) to the mode it belongs to (`modes/{mode}/...`), keeping ids and
 * fields (TTL timestamp included). The operator names the mode; what the store knows of the modes
 * that ran (successful tick records of the last 30 days, a paper account) is checked against it, and a contradiction refuses
 * unless forced. A document already present at its destination refuses the whole move. Each
 * document is created at its destination and deleted at its source in one batch, so a re-run
 * after a failure moves what is left and never copies twice.
 */
import type { DocumentData, Firestore, QueryDocumentSnapshot } from '@google-cloud/firestore';
import { StoreError } from '../../shared/core/errors.js';
import { collectionPath, type StateMode } from '../../shared/ports/store.port.js';
import { LEGACY_TRADING_COLLECTIONS } from '../../shared/store/legacy-collections.js';
import { positions, orders, trades, ticks } from '../../shared/store/tick-collections.js';
import { paperAccounts } from '../../shared/adapters/paper/paper-state.js';

export type LegacyName = 'positions' | 'orders' | 'trades';

export interface MigrateOptions {
  /** The mode the legacy state belongs to. */
  readonly to: StateMode;
  /** False: report only (a dry run). */
  readonly apply: boolean;
  /** Move even when the store's evidence says another mode ran. */
  readonly force?: boolean;
}

export interface MigrateReport {
  readonly to: StateMode;
  readonly applied: boolean;
  /** Documents moved (a dry run: that would be moved), per collection. */
  readonly moved: Record<LegacyName, number>;
  /** Successful ticks by mode among the tick records still stored (30 days; a refused tick does not count), and whether a paper account exists. */
  readonly evidence: { readonly tickModes: Partial<Record<StateMode, number>>; readonly paperAccount: boolean };
}

const TARGETS = { positions, orders, trades } as const;
/** Documents per batch: two writes each (create + delete), under Firestore's 500. */
const BATCH_DOCS = 200;

export async function migrateLegacyState(db: Firestore, options: MigrateOptions): Promise<MigrateReport> {
  const evidence = await gatherEvidence(db);
  const other: StateMode = options.to === 'live' ? 'paper' : 'live';
  const contradicted = (evidence.tickModes[other] ?? 0) > 0 || (options.to === 'live' && evidence.paperAccount);
  const legacy = await Promise.all(
    LEGACY_TRADING_COLLECTIONS.map(async ({ def }) => ({
      name: def.name as LegacyName,
      docs: (await db.collection(def.name).get()).docs,
    })),
  );
  const moved = Object.fromEntries(legacy.map((l) => [l.name, l.docs.length])) as Record<LegacyName, number>;
  const total = legacy.reduce((s, l) => s + l.docs.length, 0);
  if (total > 0 && contradicted && !options.force) {
    throw new StoreError(
      'STORE.MIXED_MODES',
      `the store shows ${other} mode ran here (successful ticks by mode: ${JSON.stringify(evidence.tickModes)}, paper account: ${evidence.paperAccount ? 'yes' : 'no'}): the legacy state may be ${other}'s. Check, then re-run with --force to move it to ${options.to} anyway`,
      { retryable: false },
    );
  }
  const conflicts: string[] = [];
  for (const { name, docs } of legacy) {
    const target = collectionPath(TARGETS[name], options.to);
    const existing = new Set((await db.collection(target).listDocuments()).map((r) => r.id));
    conflicts.push(...docs.filter((d) => existing.has(d.id)).map((d) => `${target}/${d.id}`));
  }
  if (conflicts.length > 0) {
    throw new StoreError(
      'STORE.MIXED_MODES',
      `already present in ${options.to}'s state, nothing moved: ${conflicts.slice(0, 5).join(', ')}${conflicts.length > 5 ? ` and ${conflicts.length - 5} more` : ''}`,
      { retryable: false },
    );
  }
  if (options.apply) {
    for (const { name, docs } of legacy) await move(db, docs, collectionPath(TARGETS[name], options.to));
  }
  return { to: options.to, applied: options.apply, moved, evidence };
}

async function move(
  db: Firestore,
  docs: readonly QueryDocumentSnapshot<DocumentData>[],
  target: string,
): Promise<void> {
  for (let i = 0; i < docs.length; i += BATCH_DOCS) {
    const batch = db.batch();
    for (const doc of docs.slice(i, i + BATCH_DOCS)) {
      batch.create(db.collection(target).doc(doc.id), doc.data());
      batch.delete(doc.ref);
    }
    await batch.commit();
  }
}

async function gatherEvidence(db: Firestore): Promise<MigrateReport['evidence']> {
  const [tickDocs, accounts] = await Promise.all([
    db.collection(ticks.name).where('outcome', '==', 'ok').select('mode').get(),
    db.collection(paperAccounts.name).limit(1).get(),
  ]);
  const tickModes: Partial<Record<StateMode, number>> = {};
  for (const d of tickDocs.docs) {
    const mode = d.get('mode') as unknown;
    if (mode === 'paper' || mode === 'live') tickModes[mode] = (tickModes[mode] ?? 0) + 1;
  }
  return { tickModes, paperAccount: !accounts.empty };
}
