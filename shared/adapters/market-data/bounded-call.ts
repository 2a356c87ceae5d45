import { BotError, DataQualityError, toBotError } from '../../core/errors.js';
import { withDeadline, withRetry, type RetryPolicy } from '../../core/retry.js';
import type { Clock, RandomSource } from '../../ports/clock.port.js';

/** Deadline per attempt and bounded retries for one external data request. */
export interface ExternalCallPolicy {
  /** Deadline of one attempt, ms. */
  attemptTimeoutMs: number;
  retry: RetryPolicy;
}

export const DEFAULT_EXTERNAL_CALL_POLICY: ExternalCallPolicy = {
  attemptTimeoutMs: 5_000,
  retry: { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 4_000, deadlineMs: 15_000 },
};

/**
 * Runs `work` with a deadline per attempt, retries only retryable failures, and bounds the whole
 * (attempts and waits) by `retry.deadlineMs`. Anything that is not already a BotError becomes
 * EXTERNAL.FETCH_FAILED (retryable).
 */
export async function externalCall<T>(
  work: (signal: AbortSignal) => Promise<T>,
  options: { what: string; clock: Clock; random: RandomSource; policy: ExternalCallPolicy; signal?: AbortSignal },
): Promise<T> {
  const { clock, policy, what } = options;
  const attempt = (signal: AbortSignal): Promise<T> =>
    withDeadline(
      async (attemptSignal) => {
        try {
          return await work(attemptSignal);
        } catch (error) {
          throw asFetchFailed(error, what);
        }
      },
      { clock, timeoutMs: policy.attemptTimeoutMs, code: 'EXTERNAL.FETCH_FAILED', what, signal },
    );
  return withDeadline((signal) => withRetry(() => attempt(signal), policy.retry, { clock, random: options.random }), {
    clock,
    timeoutMs: policy.retry.deadlineMs,
    code: 'EXTERNAL.FETCH_FAILED',
    what: `${what} (all attempts)`,
    signal: options.signal,
  });
}

export function fetchFailed(
  message: string,
  options: { retryable: boolean; cause?: unknown; status?: number },
): BotError {
  return new DataQualityError('EXTERNAL.FETCH_FAILED', message, {
    retryable: options.retryable,
    cause: options.cause,
    details: options.status === undefined ? {} : { status: options.status },
  });
}

/** HTTP status -> retryable? 5xx, 408 and 429 may pass; other 4xx will not. */
export function statusIsRetryable(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

function asFetchFailed(error: unknown, what: string): BotError {
  if (error instanceof BotError && error.code === 'EXTERNAL.FETCH_FAILED') return error;
  const bot = toBotError(error);
  const message = error instanceof Error ? error.message : String(error);
  return fetchFailed(`${what}: ${message.slice(0, 300)}`, {
    retryable: bot.code === 'INTERNAL' ? true : bot.retryable,
    cause: error,
  });
}
