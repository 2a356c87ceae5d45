import { appendAuditInTransaction } from '../adapters/audit/audit-log.js';
import type { Config } from '../config.js';
import { decisionChanges, decisionSettings } from '../config-rules.js';
import type { Store } from '../ports/store.port.js';
import { LAST_DECISION_SETTINGS_ID, decisionSettingsDocs } from '../store/decision-settings-collections.js';

/**
 * At cold start: when the decision settings (mode, market, strategy, size caps, limits and breakers)
 * differ from the previous instance's, one `config-change` audit record says what changed, written in
 * the same transaction as the new fingerprint, so two instances starting together record it once.
 * Returns the audit id, or undefined when nothing changed.
 */
export async function recordDecisionSettings(
  store: Store,
  config: Config,
  nowMs: number,
  actor: string,
): Promise<string | undefined> {
  const { values, fingerprint } = decisionSettings(config);
  return store.runTransaction(async (tx) => {
    const last = await tx.get(decisionSettingsDocs, LAST_DECISION_SETTINGS_ID);
    if (last?.fingerprint === fingerprint) return undefined;
    tx.set(decisionSettingsDocs, LAST_DECISION_SETTINGS_ID, { fingerprint, values, atMs: nowMs, actor });
    const changes = decisionChanges(last?.values, values);
    const details = {
      action: 'decision-settings',
      first: last === undefined,
      from: last?.fingerprint ?? null,
      to: fingerprint,
      changes,
    };
    return appendAuditInTransaction(tx, { kind: 'config-change', atMs: nowMs, actor, details });
  });
}
