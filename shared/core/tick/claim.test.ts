import { describe, expect, it } from 'vitest';
import { MAX_TICK_ATTEMPTS, decideClaim, leaseUntilMs } from './claim.js';

describe('decideClaim', () => {
  const running = { status: 'running' as const, owner: 'a', attempt: 1, leaseUntilMs: 1_000 };
  it('claims a fresh bar', () => expect(decideClaim(undefined, 0)).toEqual({ action: 'claim', attempt: 1 }));
  it('a finished bar is a duplicate; a live lease is "running" whatever the status', () => {
    expect(decideClaim({ ...running, status: 'done' }, 10_000)).toEqual({ action: 'duplicate', reason: 'done' });
    expect(decideClaim(running, 999)).toEqual({ action: 'running', owner: 'a', leaseUntilMs: 1_000 });
    // A run that recorded "failed" while its abandoned work may still be going keeps its lease.
    expect(decideClaim({ ...running, status: 'failed' }, 0)).toEqual({
      action: 'running',
      owner: 'a',
      leaseUntilMs: 1_000,
    });
  });
  it('an expired (or released) lease is taken over with the next attempt number', () => {
    expect(decideClaim(running, 1_000)).toEqual({
      action: 'takeover',
      attempt: 2,
      previousOwner: 'a',
      reason: 'lease-expired',
    });
    expect(decideClaim({ ...running, status: 'failed' }, 1_000)).toEqual({
      action: 'takeover',
      attempt: 2,
      previousOwner: 'a',
      reason: 'failed',
    });
  });
  it('stops retrying a bar after the attempt cap', () => {
    expect(decideClaim({ ...running, status: 'failed', attempt: MAX_TICK_ATTEMPTS }, 5_000)).toEqual({
      action: 'duplicate',
      reason: 'attempts-exhausted',
    });
  });
  it('the lease outlives the tick deadline', () => {
    expect(leaseUntilMs(0, 60_000)).toBeGreaterThan(60_000);
    expect(leaseUntilMs(0, 1_000)).toBeGreaterThanOrEqual(16_000);
  });
});
