import { z } from 'zod';
import { collection } from '../ports/store.port.js';

const metrics = z.object({
  auc: z.number().finite().optional(),
  logLoss: z.number().finite().optional(),
  accuracy: z.number().finite().optional(),
  brier: z.number().finite().optional(),
  rows: z.number().int().min(0),
});

/**
 * One model version (document id = artifact version). The artifact is kept as its JSON text:
 * Firestore cannot hold arrays of arrays, and the text keeps the checksummed bytes exact. The
 * other fields repeat the artifact's header for listing without parsing it.
 */
export const modelVersionSchema = z.object({
  version: z.string().min(1),
  createdAtMs: z.number().int(),
  storedAtMs: z.number().int(),
  checksum: z.string().regex(/^[0-9a-f]{64}$/),
  usesMacro: z.boolean(),
  featureCount: z.number().int().min(1),
  trainWindow: z.object({ fromMs: z.number(), toMs: z.number(), rows: z.number().int().min(0) }),
  validation: metrics,
  /** Why it was stored (e.g. the retrain decision). */
  note: z.string().max(2000),
  artifactJson: z.string().min(2),
});
export type ModelVersionRecord = z.infer<typeof modelVersionSchema>;
export const modelVersions = collection('modelVersions', modelVersionSchema);

/**
 * The pointer (document id `current`): the version the tick loads, and the versions that were
 * current before it, oldest first; `rollback` makes the last of them current again.
 */
export const modelPointerSchema = z.object({
  version: z.string().min(1),
  history: z.array(z.string().min(1)),
  updatedAtMs: z.number().int(),
  reason: z.string().max(2000),
});
export type ModelPointerRecord = z.infer<typeof modelPointerSchema>;
export const modelPointers = collection('modelPointers', modelPointerSchema);
export const CURRENT_POINTER_ID = 'current';
