import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.js';

describe('RateLimiter', () => {
  it('allows 6 updates and 10 queries per second per key, then refuses until the window slides', () => {
    const limiter = new RateLimiter({ queryPerSecond: 10, updatePerSecond: 6 });
    const updates = Array.from({ length: 7 }, (_, i) => limiter.allow('k', 'POST', '/v1/user/spot/order', 1000 + i));
    expect(updates).toEqual([true, true, true, true, true, true, false]);
    const queries = Array.from({ length: 11 }, (_, i) => limiter.allow('k', 'GET', '/v1/user/assets', 1000 + i));
    expect(queries.filter(Boolean)).toHaveLength(10);
    expect(limiter.allow('other', 'POST', '/v1/user/spot/order', 1010)).toBe(true);
    expect(limiter.allow('k', 'POST', '/v1/user/spot/order', 2001)).toBe(true);
  });
});
