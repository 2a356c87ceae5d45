import { describe, expect, it } from 'vitest';
import { featuresDigest, httpStatusFor } from './outcome.js';

describe('httpStatusFor', () => {
  it('2xx for what the bot was configured to do, non-2xx otherwise', () => {
    expect(httpStatusFor('ok', 'TICK.OK')).toBe(200);
    expect(httpStatusFor('duplicate', 'TICK.DUPLICATE')).toBe(200);
    expect(httpStatusFor('too-late', 'TICK.TOO_LATE')).toBe(200);
    expect(httpStatusFor('failed', 'EXCHANGE.AUTH')).toBe(503);
    expect(httpStatusFor('failed', 'EXCHANGE.TIMEOUT')).toBe(503);
    expect(httpStatusFor('failed', 'MODEL.MISSING')).toBe(500);
    expect(httpStatusFor('failed', 'TICK.BAD_REQUEST')).toBe(400);
  });
});

describe('featuresDigest', () => {
  it('ignores key order and tells values (and NaN) apart', () => {
    expect(featuresDigest({ a: 1, b: 2 })).toBe(featuresDigest({ b: 2, a: 1 }));
    expect(featuresDigest({ a: 1, b: 2 })).not.toBe(featuresDigest({ a: 1, b: 3 }));
    expect(featuresDigest({ a: Number.NaN })).not.toBe(featuresDigest({ a: 0 }));
    expect(featuresDigest({ a: 1 })).toMatch(/^[0-9a-f]{16}$/);
  });
});
