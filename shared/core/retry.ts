import type { Clock, RandomSource } from '../ports/clock.port.js';
import { BotError, DeadlineError, toBotError } from './errors.js';
import type { OutcomeCode } from './codes.js';

/**
 * Runs `work` with an AbortSignal that fires at the deadline. The returned promise settles at the
 * deadline even if `work` ignores the signal and never resolves: the call is abandoned, not awaited.
 * An outer signal that is already aborted rejects at once with its reason; `work` is not started.
 */
export async function withDeadline<T>(
  work: (signal: AbortSignal) => Promise<T>,
  options: { clock: Clock; timeoutMs: number; code: OutcomeCode; what: string; signal?: AbortSignal },
): Promise<T> {
  // Work under a deadline that has already passed never starts (no exchange write after the deadline).
  if (options.signal?.aborted) throw toBotError(options.signal.reason);
  const controller = new AbortController();
  const timer = new AbortController();
  const deadlineError = new DeadlineError(
    options.code,
    `${options.what} did not finish within ${options.timeoutMs} ms`,
    {
      details: { timeoutMs: options.timeoutMs },
    },
  );
  const onOuterAbort = (): void => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const deadline = options.clock.sleep(options.timeoutMs, timer.signal).then(
    () => {
      controller.abort(deadlineError);
      throw deadlineError;
    },
    () => undefined as never, // the timer was cancelled because work settled first
  );
  const outerAborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(toBotError(controller.signal.reason)), { once: true });
  });
  try {
    return await Promise.race([work(controller.signal), deadline, outerAborted]);
  } finally {
    timer.abort();
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}

export interface RetryPolicy {
  /** Total attempts including the first (>= 1). */
  maxAttempts: number;
  /** Backoff cap before jitter for attempt n is min(maxDelayMs, baseDelayMs * 2^(n-1)). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Overall budget for all attempts and waits, from the first call. */
  deadlineMs: number;
}

export interface RetryHooks {
  clock: Clock;
  random: RandomSource;
  onRetry?: (info: { attempt: number; delayMs: number; error: BotError }) => void;
}

/**
 * Retries only errors whose `retryable` is true, with exponential backoff and full jitter
 * (delay uniform in [0, cap]), never more than `maxAttempts` times and never past `deadlineMs`.
 * A rate-limit error's `retryAfterMs` is honoured as a floor on the delay.
 */
export async function withRetry<T>(
  work: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  hooks: RetryHooks,
): Promise<T> {
  if (policy.maxAttempts < 1) throw new RangeError('maxAttempts must be at least 1');
  const startMs = hooks.clock.nowMs();
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work(attempt);
    } catch (thrown) {
      const error = toBotError(thrown);
      if (!error.retryable || attempt >= policy.maxAttempts) throw error;
      const capMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.max(Math.floor(hooks.random() * capMs), error.retryAfterMs ?? 0);
      const elapsedMs = hooks.clock.nowMs() - startMs;
      if (elapsedMs + delayMs >= policy.deadlineMs) throw error;
      hooks.onRetry?.({ attempt, delayMs, error });
      await hooks.clock.sleep(delayMs);
    }
  }
}
