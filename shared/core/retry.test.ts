import { describe, expect, it } from 'vitest';
import { withDeadline, withRetry, type RetryPolicy } from './retry.js';
import { BotError, RateLimitError, TemporaryExchangeError, AuthenticationError } from './errors.js';
import { FakeClock } from '../testing/fake-clock.js';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, deadlineMs: 10_000 };

describe('withDeadline', () => {
  it('abandons a call that never resolves exactly at its deadline and aborts its signal', async () => {
    const clock = new FakeClock(0);
    let seenSignal: AbortSignal | undefined;
    const settled: { at?: number; error?: BotError } = {};
    const running = withDeadline(
      (signal) => {
        seenSignal = signal;
        return new Promise<never>(() => undefined);
      },
      { clock, timeoutMs: 5_000, code: 'EXCHANGE.TIMEOUT', what: 'fetch ticker' },
    ).catch((error: BotError) => {
      settled.at = clock.nowMs();
      settled.error = error;
    });
    await clock.advance(4_999);
    expect(settled.at).toBeUndefined();
    expect(seenSignal?.aborted).toBe(false);
    await clock.advance(1);
    await running;
    expect(settled.at).toBe(5_000);
    expect(settled.error?.code).toBe('EXCHANGE.TIMEOUT');
    expect(settled.error?.retryable).toBe(true);
    expect(seenSignal?.aborted).toBe(true);
  });

  it('returns the value of a call that finishes first and cancels its timer', async () => {
    const clock = new FakeClock(0);
    const value = await withDeadline(async () => 42, { clock, timeoutMs: 1_000, code: 'TICK.DEADLINE', what: 'x' });
    expect(value).toBe(42);
    expect(clock.pendingSleeps).toBe(0);
  });

  it('passes through the error of a call that fails first', async () => {
    const clock = new FakeClock(0);
    await expect(
      withDeadline(async () => Promise.reject(new AuthenticationError('bad key')), {
        clock,
        timeoutMs: 1_000,
        code: 'TICK.DEADLINE',
        what: 'x',
      }),
    ).rejects.toMatchObject({ code: 'EXCHANGE.AUTH' });
  });

  it('rejects at once, without starting the work, when the outer signal is already aborted', async () => {
    const clock = new FakeClock(0);
    const outer = new AbortController();
    outer.abort(new BotError('TICK.DEADLINE', 'the tick deadline has passed'));
    let started = false;
    const outcome = await withDeadline(
      async () => {
        started = true;
        return 'written';
      },
      { clock, timeoutMs: 1_000, code: 'EXCHANGE.TIMEOUT', what: 'place order', signal: outer.signal },
    ).then(
      (value) => ({ value }),
      (error: BotError) => ({ error }),
    );
    expect(started).toBe(false);
    expect('error' in outcome && outcome.error.code).toBe('TICK.DEADLINE');
    expect(clock.pendingSleeps).toBe(0);
  });

  it('stops when an outer signal aborts', async () => {
    const clock = new FakeClock(0);
    const outer = new AbortController();
    const running = withDeadline(() => new Promise<never>(() => undefined), {
      clock,
      timeoutMs: 10_000,
      code: 'TICK.DEADLINE',
      what: 'x',
      signal: outer.signal,
    });
    outer.abort(new TemporaryExchangeError('EXCHANGE.TIMEOUT', 'tick deadline'));
    await expect(running).rejects.toMatchObject({ code: 'EXCHANGE.TIMEOUT' });
  });
});

describe('withRetry', () => {
  it('retries a retryable error with full-jitter exponential backoff and then succeeds', async () => {
    const clock = new FakeClock(0);
    const delays: number[] = [];
    let calls = 0;
    const running = withRetry(
      async () => {
        calls += 1;
        if (calls < 3) throw new TemporaryExchangeError('EXCHANGE.UNAVAILABLE', '503');
        return 'ok';
      },
      policy,
      { clock, random: () => 0.5, onRetry: ({ delayMs }) => delays.push(delayMs) },
    );
    await clock.advance(10_000);
    await expect(running).resolves.toBe('ok');
    expect(calls).toBe(3);
    expect(delays).toEqual([50, 100]); // 0.5 * 100, 0.5 * 200
  });

  it('never retries an error that is not retryable', async () => {
    const clock = new FakeClock(0);
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls += 1;
          throw new AuthenticationError('20001');
        },
        policy,
        { clock, random: () => 0 },
      ),
    ).rejects.toMatchObject({ code: 'EXCHANGE.AUTH' });
    expect(calls).toBe(1);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const clock = new FakeClock(0);
    let calls = 0;
    const running = withRetry(
      async () => {
        calls += 1;
        throw new TemporaryExchangeError('EXCHANGE.TIMEOUT', `try ${calls}`);
      },
      policy,
      { clock, random: () => 1 },
    );
    const outcome = running.catch((e: BotError) => e);
    await clock.advance(10_000);
    expect(((await outcome) as BotError).message).toBe('try 4');
    expect(calls).toBe(4);
  });

  it('caps the backoff at maxDelayMs and stops before the overall deadline', async () => {
    const clock = new FakeClock(0);
    const delays: number[] = [];
    const running = withRetry(
      async () => {
        throw new TemporaryExchangeError('EXCHANGE.UNAVAILABLE', '503');
      },
      { maxAttempts: 50, baseDelayMs: 400, maxDelayMs: 1_000, deadlineMs: 3_000 },
      { clock, random: () => 0.999, onRetry: ({ delayMs }) => delays.push(delayMs) },
    );
    const outcome = running.catch((e: BotError) => e);
    await clock.advance(10_000);
    await outcome;
    expect(Math.max(...delays)).toBeLessThanOrEqual(1_000);
    expect(delays.reduce((a, b) => a + b, 0)).toBeLessThan(3_000);
  });

  it('waits at least a rate limit retry-after', async () => {
    const clock = new FakeClock(0);
    const delays: number[] = [];
    let calls = 0;
    const running = withRetry(
      async () => {
        calls += 1;
        if (calls === 1) throw new RateLimitError('429', { retryAfterMs: 2_000 });
        return calls;
      },
      policy,
      { clock, random: () => 0, onRetry: ({ delayMs }) => delays.push(delayMs) },
    );
    await clock.advance(5_000);
    await expect(running).resolves.toBe(2);
    expect(delays).toEqual([2_000]);
  });
});
