import type { Clock, RandomSource } from '../../ports/clock.port.js';
import type { Logger } from '../../ports/logger.port.js';
import { withDeadline, withRetry, type RetryPolicy } from '../../core/retry.js';
import { translateBitbankError } from './errors.js';
import type { RateLimiter, RequestClass } from './rate-limiter.js';

export interface CallerOptions {
  clock: Clock;
  random: RandomSource;
  logger: Logger;
  limiter: RateLimiter;
  callTimeoutMs: number;
  retry: RetryPolicy;
}

export interface CallSpec {
  /** What the call does, for errors and logs ("fetch order", "candles 2024-01-02"). */
  what: string;
  kind: RequestClass;
  /** Reads are retried (retryable errors only); order placement and cancels never are. */
  retry: boolean;
  signal?: AbortSignal;
}

/**
 * Every exchange request goes through here: a rate-limit slot, a deadline (the call is abandoned
 * at `callTimeoutMs` even if ccxt never answers), one translation into BotErrors, and for reads
 * a bounded retry of retryable errors only.
 */
export function createCaller(options: CallerOptions) {
  const once = <T>(spec: CallSpec, work: () => Promise<T>): Promise<T> =>
    withDeadline(
      async (signal) => {
        await options.limiter.acquire(spec.kind, signal);
        // The slot may come after the deadline: a write never leaves once its signal has fired.
        signal.throwIfAborted();
        try {
          return await work();
        } catch (error) {
          throw translateBitbankError(error, spec.what);
        }
      },
      {
        clock: options.clock,
        timeoutMs: options.callTimeoutMs,
        code: 'EXCHANGE.TIMEOUT',
        what: `bitbank ${spec.what}`,
        ...(spec.signal ? { signal: spec.signal } : {}),
      },
    );

  return async function call<T>(spec: CallSpec, work: () => Promise<T>): Promise<T> {
    if (!spec.retry) return once(spec, work);
    return withRetry(() => once(spec, work), options.retry, {
      clock: options.clock,
      random: options.random,
      onRetry: ({ attempt, delayMs, error }) =>
        options.logger.warn(`bitbank ${spec.what} failed, retrying`, {
          code: error.code,
          attempt,
          delayMs,
          what: spec.what,
        }),
    });
  };
}

export type Caller = ReturnType<typeof createCaller>;
