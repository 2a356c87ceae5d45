import { createHash } from 'node:crypto';
import { OUTCOME_CODES, type OutcomeCode } from '../codes.js';

/**
 * The tick's outcome and its HTTP answer. 2xx when the bot did what it is configured to do for the
 * bar (traded, held, or the bar was already finished); 409 while another run of the bar holds its
 * lease; other non-2xx when it could not, so that Cloud Scheduler retries and the alerts see it.
 */
export type TickOutcome = 'ok' | 'duplicate' | 'too-late' | 'running' | 'failed';

export interface StepTiming {
  readonly step: string;
  readonly ms: number;
}

export function httpStatusFor(outcome: TickOutcome, code: OutcomeCode | undefined): number {
  // Another run holds the bar's lease: 409, so Cloud Scheduler retries and takes a dead run's bar over.
  if (outcome === 'running') return 409;
  if (outcome !== 'failed') return 200;
  if (code === undefined) return 500;
  if (code === 'TICK.BAD_REQUEST') return 400;
  if (code === 'EXCHANGE.AUTH') return 503;
  return OUTCOME_CODES[code].retryable ? 503 : 500;
}

/** A short stable digest of a feature vector (names sorted; NaN and missing distinguishable). */
export function featuresDigest(features: Readonly<Record<string, number>>): string {
  const canonical = Object.keys(features)
    .sort()
    .map((k) => `${k}=${Number.isNaN(features[k]) ? 'NaN' : String(features[k])}`)
    .join(';');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
