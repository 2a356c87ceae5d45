import { describe, expect, it } from 'vitest';
import { Faults, faultResponse, lateAcceptTiming } from './faults.js';

describe('Faults', () => {
  it('matches by exact path or prefix and method, and is consumed after count uses', () => {
    const faults = new Faults();
    faults.add({ path: '/v1/user/spot', method: 'POST', kind: 'bitbank-error', code: 70011, count: 2 });
    expect(faults.take('GET', '/v1/user/spot/order')).toBeUndefined();
    expect(faults.take('POST', '/v1/user/assets')).toBeUndefined();
    expect(faults.take('POST', '/v1/user/spot/order')?.code).toBe(70011);
    expect(faults.take('post', '/v1/user/spot/cancel_order')?.code).toBe(70011);
    expect(faults.take('POST', '/v1/user/spot/order')).toBeUndefined();
  });

  it('takes faults in the order they were added, clears them, and rejects bad specs', () => {
    const faults = new Faults();
    faults.add({ path: '/btc_jpy', kind: 'latency', latencyMs: 5 });
    faults.add({ path: '/btc_jpy/ticker', kind: 'hang' });
    expect(faults.take('GET', '/btc_jpy/ticker')?.kind).toBe('latency');
    expect(faults.take('GET', '/btc_jpy/ticker')?.kind).toBe('hang');
    faults.add({ path: '/x', kind: 'hang' });
    faults.clear();
    expect(faults.size).toBe(0);
    expect(() => faults.add({ path: 'no-slash', kind: 'hang' })).toThrow();
    expect(() => faults.add({ path: '/x', kind: 'explode' })).toThrow();
  });

  it('late-accept needs its answer time (or noAnswer), never before the request takes effect', () => {
    const faults = new Faults();
    expect(lateAcceptTiming(faults.add({ path: '/v1/user/spot/order', kind: 'late-accept', delayMs: 3_000 }))).toEqual({
      acceptAfterMs: 0,
      answerAfterMs: 3_000,
    });
    expect(
      lateAcceptTiming(
        faults.add({ path: '/v1/user/spot/order', kind: 'late-accept', acceptDelayMs: 20_000, delayMs: 25_000 }),
      ),
    ).toEqual({ acceptAfterMs: 20_000, answerAfterMs: 25_000 });
    expect(
      lateAcceptTiming(
        faults.add({ path: '/v1/user/spot/order', kind: 'late-accept', acceptDelayMs: 500, noAnswer: true }),
      ),
    ).toEqual({ acceptAfterMs: 500, answerAfterMs: undefined });
    expect(() => faults.add({ path: '/v1/user/spot/order', kind: 'late-accept' })).toThrow(/delayMs/);
    expect(() =>
      faults.add({ path: '/v1/user/spot/order', kind: 'late-accept', acceptDelayMs: 2_000, delayMs: 1_000 }),
    ).toThrow(/cannot come before/);
    expect(() =>
      faults.add({ path: '/v1/user/spot/order', kind: 'late-accept', delayMs: 1_000, noAnswer: true }),
    ).toThrow(/not both/);
    expect(faults.size).toBe(3);
  });

  it('answers with the bitbank envelope: 429 -> 10009, maintenance -> 503/10007, a chosen code', () => {
    expect(faultResponse({ path: '/', kind: 'http-status', status: 429, count: 1 })).toEqual({
      status: 429,
      body: { success: 0, data: { code: 10009 } },
    });
    expect(faultResponse({ path: '/', kind: 'maintenance', count: 1 })).toEqual({
      status: 503,
      body: { success: 0, data: { code: 10007 } },
    });
    expect(faultResponse({ path: '/', kind: 'bitbank-error', code: 60001, count: 1 })).toEqual({
      status: 200,
      body: { success: 0, data: { code: 60001 } },
    });
  });
});
