import type { NotifyEvent } from './events.js';

/**
 * "Live credentials failing", once per incident, pure. The latch (one record per mode) is set by the
 * first tick that fails on its keys (EXCHANGE.AUTH, or EXCHANGE.NONCE: the request time or nonce
 * refused) and announces it; further failing ticks say nothing more; a tick that succeeds ends the
 * incident, so the next failure is announced again. Any other failure tells nothing about the keys.
 */
export const CREDENTIAL_CODES: ReadonlySet<string> = new Set(['EXCHANGE.AUTH', 'EXCHANGE.NONCE']);

export interface CredentialLatch {
  readonly failing: boolean;
  /** When the current incident started (null when not failing). */
  readonly sinceMs: number | null;
  readonly code: string | null;
  readonly updatedAtMs: number;
}

export interface TickResult {
  readonly ok: boolean;
  readonly code: string;
  readonly message: string;
}

/** The latch to write (undefined: leave it) and the event to enqueue with it. */
export function credentialAlertStep(
  before: CredentialLatch | undefined,
  tick: TickResult,
  nowMs: number,
): { latch?: CredentialLatch; event?: NotifyEvent } {
  if (CREDENTIAL_CODES.has(tick.code)) {
    if (before?.failing) return {};
    return {
      latch: { failing: true, sinceMs: nowMs, code: tick.code, updatedAtMs: nowMs },
      event: {
        eventId: `credentials-failed_${nowMs}`,
        kind: 'credentials-failed',
        atMs: nowMs,
        data: { code: tick.code, message: tick.message.slice(0, 300) },
      },
    };
  }
  if (tick.ok && before?.failing) return { latch: { failing: false, sinceMs: null, code: null, updatedAtMs: nowMs } };
  return {};
}
