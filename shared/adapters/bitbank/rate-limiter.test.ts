import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../testing/fake-clock.js';
import { RateLimiter } from './rate-limiter.js';

async function startTimes(
  limiter: RateLimiter,
  clock: FakeClock,
  kind: 'query' | 'update',
  count: number,
  stepMs = 10,
  untilMs = 5_000,
): Promise<number[]> {
  const started: number[] = [];
  for (let i = 0; i < count; i += 1) void limiter.acquire(kind).then(() => started.push(clock.nowMs()));
  for (let t = 0; t < untilMs && started.length < count; t += stepMs) await clock.advance(stepMs);
  return started;
}

function maxInAnySecond(times: number[]): number {
  return Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
}

describe('RateLimiter', () => {
  it('lets no more than 10 queries start in any second, in call order', async () => {
    const clock = new FakeClock(1_000_000);
    const started = await startTimes(new RateLimiter(clock), clock, 'query', 25);
    expect(started).toHaveLength(25);
    expect(maxInAnySecond(started)).toBeLessThanOrEqual(10);
    expect([...started].sort((a, b) => a - b)).toEqual(started);
    // and it does not over-throttle: 25 requests take about 2.4 s, not much more
    expect(started[24]! - started[0]!).toBeLessThanOrEqual(2_500);
  });

  it('lets no more than 6 updates start in any second, independently of queries', async () => {
    const clock = new FakeClock(0);
    const limiter = new RateLimiter(clock);
    for (let i = 0; i < 10; i += 1) void limiter.acquire('query');
    const started = await startTimes(limiter, clock, 'update', 13);
    expect(started).toHaveLength(13);
    expect(maxInAnySecond(started)).toBeLessThanOrEqual(6);
    // the ten queries before did not delay the first update
    expect(started[0]).toBeLessThan(1_000);
  });

  it('a free slot costs no wait', async () => {
    const clock = new FakeClock(0);
    const limiter = new RateLimiter(clock);
    expect(await limiter.acquire('query')).toBe(0);
    await clock.advance(200);
    expect(await limiter.acquire('query')).toBe(0);
  });

  it('stops waiting when the signal aborts', async () => {
    const clock = new FakeClock(0);
    const limiter = new RateLimiter(clock, { query: 1, update: 1 });
    await limiter.acquire('query');
    const controller = new AbortController();
    const waiting = limiter.acquire('query', controller.signal);
    controller.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
  });
});
