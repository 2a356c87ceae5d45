import { createHash } from 'node:crypto';
import { z } from 'zod';
import { StrategyError } from '../errors.js';
import type { ModelArtifact } from './types.js';

/**
 * Canonical JSON: object keys sorted at every level, no whitespace, numbers as JavaScript prints
 * them (the shortest round-trip form). The same artifact always gives the same bytes.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new RangeError(`canonical JSON cannot hold ${value}`);
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The checksum an artifact must carry: sha-256 of the canonical JSON of all fields but `checksum`. */
export function artifactChecksum(artifact: Omit<ModelArtifact, 'checksum'> & { checksum?: string }): string {
  const { checksum: _ignored, ...rest } = artifact;
  return sha256Hex(canonicalJson(rest));
}

/** Adds the checksum; `version` is `<created-at, compact UTC>-<8 hex of the content hash>`. */
export function sealArtifact(unsealed: Omit<ModelArtifact, 'checksum' | 'version'>): ModelArtifact {
  const contentHash = sha256Hex(canonicalJson(unsealed)).slice(0, 8);
  const stamp = new Date(unsealed.createdAtMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const withVersion = { version: `${stamp}-${contentHash}`, ...unsealed };
  return { ...withVersion, checksum: artifactChecksum(withVersion) };
}

const finite = z.number().finite();
const metricsSchema = z.object({
  auc: finite.optional(),
  logLoss: finite.optional(),
  accuracy: finite.optional(),
  brier: finite.optional(),
  rows: z.number().int().min(0),
});

/** Strict: an unknown top-level key is refused (the checksum covers every key there is). */
export const artifactSchema = z.strictObject({
  version: z.string().min(1).max(100),
  createdAtMs: z.number().int(),
  featureNames: z.array(z.string().min(1)).min(1),
  usesMacro: z.boolean(),
  horizonBars: z.number().int().min(1),
  costThreshold: finite.min(0),
  scaler: z.object({ mean: z.array(finite), std: z.array(finite.positive()) }),
  models: z.unknown(),
  trainWindow: z.object({ fromMs: z.number(), toMs: z.number(), rows: z.number().int().min(0) }),
  /** Optional only so that artifacts from before it was recorded still load; see ModelArtifact.baseRate. */
  baseRate: finite.gt(0).lt(1).optional(),
  validation: metricsSchema,
  checksum: z.string().regex(/^[0-9a-f]{64}$/),
});

/** Shape and checksum; any failure is MODEL.MISSING (there is no usable artifact). */
export function parseArtifact(raw: unknown): ModelArtifact {
  const parsed = artifactSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new StrategyError('MODEL.MISSING', `model artifact does not parse: ${problems.join('; ')}`, {
      details: { problems },
    });
  }
  const artifact = parsed.data as ModelArtifact;
  const expected = artifactChecksum(artifact);
  if (expected !== artifact.checksum) {
    throw new StrategyError(
      'MODEL.MISSING',
      `model artifact ${artifact.version} fails its checksum (altered or corrupt)`,
      {
        details: { version: artifact.version },
      },
    );
  }
  const width = artifact.featureNames.length;
  if (
    artifact.scaler.mean.length !== width ||
    artifact.scaler.std.length !== width ||
    new Set(artifact.featureNames).size !== width
  ) {
    throw new StrategyError(
      'MODEL.MISSING',
      `model artifact ${artifact.version}: scaler width or feature names inconsistent`,
    );
  }
  return artifact;
}
