import { describe, expect, it } from 'vitest';
import { BotError } from '../../core/errors.js';
import { FakeClock } from '../../testing/fake-clock.js';
import { JsonLogger } from '../json-logger.js';
import { createCaller } from './call.js';
import { BitbankApiError } from './errors.js';
import { RateLimiter } from './rate-limiter.js';

function setup() {
  const clock = new FakeClock(0);
  const lines: string[] = [];
  const call = createCaller({
    clock,
    random: () => 0.5,
    logger: new JsonLogger({ write: (l) => lines.push(l) }),
    limiter: new RateLimiter(clock),
    callTimeoutMs: 1_000,
    retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000, deadlineMs: 10_000 },
  });
  return { clock, call, lines };
}

describe('createCaller', () => {
  it('abandons a call that never answers at its deadline', async () => {
    const { clock, call } = setup();
    let settled: unknown;
    void call({ what: 'hang', kind: 'update', retry: false }, () => new Promise(() => undefined)).catch(
      (e: unknown) => (settled = e),
    );
    await clock.advance(999);
    expect(settled).toBeUndefined();
    await clock.advance(1);
    expect(settled).toBeInstanceOf(BotError);
    expect((settled as BotError).code).toBe('EXCHANGE.TIMEOUT');
  });

  it('never sends a write whose tick deadline has already passed', async () => {
    const { call } = setup();
    const tick = new AbortController();
    tick.abort(new BotError('TICK.DEADLINE', 'tick deadline passed'));
    let sent = 0;
    const error = await call({ what: 'place order', kind: 'update', retry: false, signal: tick.signal }, async () => {
      sent += 1;
      return 'accepted';
    }).catch((e: unknown) => e);
    expect(sent).toBe(0);
    expect((error as BotError).code).toBe('TICK.DEADLINE');
  });

  it('retries a read on a retryable bitbank code and logs each retry', async () => {
    const { clock, call, lines } = setup();
    let attempts = 0;
    const result = call({ what: 'assets', kind: 'query', retry: true }, async () => {
      attempts += 1;
      if (attempts < 3) throw new BitbankApiError(10008, 503, '/v1/user/assets');
      return 'ok';
    });
    await clock.advance(2_000);
    expect(await result).toBe('ok');
    expect(attempts).toBe(3);
    expect(lines.map((l) => JSON.parse(l).code)).toEqual(['EXCHANGE.MAINTENANCE', 'EXCHANGE.MAINTENANCE']);
  });

  it('never retries an order, nor a non-retryable read', async () => {
    const { call } = setup();
    let orders = 0;
    await expect(
      call(
        { what: 'place order', kind: 'update', retry: false },
        async () => ((orders += 1), Promise.reject(new BitbankApiError(10008, 503, '/v1/user/spot/order'))),
      ),
    ).rejects.toMatchObject({ code: 'EXCHANGE.MAINTENANCE' });
    expect(orders).toBe(1);
    let reads = 0;
    await expect(
      call(
        { what: 'assets', kind: 'query', retry: true },
        async () => ((reads += 1), Promise.reject(new BitbankApiError(20036, 200, '/v1/user/assets'))),
      ),
    ).rejects.toMatchObject({ code: 'EXCHANGE.NONCE' });
    expect(reads).toBe(1);
  });
});
