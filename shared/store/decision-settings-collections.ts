import { z } from 'zod';
import { collection } from '../ports/store.port.js';

/**
 * `decisionSettings/last`: the decision settings (shared/config-rules.ts) the last cold start ran with,
 * and their fingerprint. Current state, one document, no TTL; a change is recorded in the audit log.
 */
export const decisionSettingsSchema = z.strictObject({
  fingerprint: z.string().regex(/^[0-9a-f]{16}$/),
  values: z.record(z.string(), z.union([z.string(), z.number()])),
  atMs: z.number().int().nonnegative(),
  actor: z.string().min(1).max(200),
});
export type DecisionSettingsRecord = z.infer<typeof decisionSettingsSchema>;
export const decisionSettingsDocs = collection('decisionSettings', decisionSettingsSchema);
export const LAST_DECISION_SETTINGS_ID = 'last';
