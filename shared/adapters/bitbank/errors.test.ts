import { describe, expect, it } from 'vitest';
import { BotError } from '../../core/errors.js';
import {
  BitbankApiError,
  BitbankHttpError,
  errorForBitbankCode,
  errorForHttpStatus,
  translateBitbankError,
} from './errors.js';

describe('errorForBitbankCode', () => {
  const cases: Array<[number, string, boolean]> = [
    [10001, 'EXCHANGE.UNAVAILABLE', true],
    [10003, 'EXCHANGE.UNAVAILABLE', true],
    [10005, 'EXCHANGE.TIMEOUT', true],
    [10007, 'EXCHANGE.MAINTENANCE', true],
    [10008, 'EXCHANGE.MAINTENANCE', true],
    [10009, 'EXCHANGE.RATE_LIMIT', true],
    [70011, 'EXCHANGE.MAINTENANCE', true],
    [70001, 'EXCHANGE.UNAVAILABLE', true],
    [20001, 'EXCHANGE.AUTH', false],
    [20002, 'EXCHANGE.AUTH', false],
    [20003, 'EXCHANGE.AUTH', false],
    [20005, 'EXCHANGE.AUTH', false],
    [20004, 'EXCHANGE.NONCE', false],
    [20033, 'EXCHANGE.NONCE', false],
    [20039, 'EXCHANGE.NONCE', false],
    [30001, 'EXCHANGE.ORDER_REJECTED', false],
    [40001, 'EXCHANGE.ORDER_REJECTED', false],
    [40164, 'EXCHANGE.ORDER_REJECTED', false],
    [40165, 'EXCHANGE.ORDER_REJECTED', false],
    [50009, 'EXCHANGE.ORDER_NOT_FOUND', false],
    [50010, 'EXCHANGE.ORDER_REJECTED', false],
    [50026, 'EXCHANGE.ORDER_REJECTED', false],
    [50027, 'EXCHANGE.ORDER_REJECTED', false],
    [50061, 'EXCHANGE.ORDER_REJECTED', false],
    [60001, 'EXCHANGE.INSUFFICIENT_FUNDS', false],
    [60003, 'EXCHANGE.ORDER_REJECTED', false],
    [60004, 'EXCHANGE.ORDER_REJECTED', false],
    [60011, 'EXCHANGE.ORDER_REJECTED', false],
    [70009, 'EXCHANGE.ORDER_REJECTED', false],
    [70020, 'EXCHANGE.CIRCUIT_BREAK', false],
    [70004, 'EXCHANGE.CIRCUIT_BREAK', false],
    [70024, 'EXCHANGE.ORDER_REJECTED', false],
    [70025, 'EXCHANGE.ORDER_REJECTED', false],
    [10000, 'EXCHANGE.BAD_RESPONSE', false],
    [99999, 'EXCHANGE.BAD_RESPONSE', false],
  ];
  it.each(cases)('code %i -> %s (retryable %s)', (code, expected, retryable) => {
    const error = errorForBitbankCode(code, 200, 'test call');
    expect(error).toBeInstanceOf(BotError);
    expect(error.code).toBe(expected);
    expect(error.retryable).toBe(retryable);
    expect(error.details).toMatchObject({ bitbankCode: code });
  });

  it('asks a rate-limited caller to wait at least a second', () => {
    expect(errorForBitbankCode(10009, 429, 'x').retryAfterMs).toBeGreaterThanOrEqual(1000);
  });
});

describe('errorForHttpStatus', () => {
  it.each([
    [429, 'EXCHANGE.RATE_LIMIT', true],
    [500, 'EXCHANGE.UNAVAILABLE', true],
    [502, 'EXCHANGE.UNAVAILABLE', true],
    [503, 'EXCHANGE.UNAVAILABLE', true],
    [504, 'EXCHANGE.TIMEOUT', true],
    [401, 'EXCHANGE.AUTH', false],
    [404, 'EXCHANGE.BAD_RESPONSE', false],
  ])('HTTP %i -> %s', (status, expected, retryable) => {
    const error = errorForHttpStatus(status, 'x');
    expect([error.code, error.retryable]).toEqual([expected, retryable]);
  });

  it('honours Retry-After on 429', () => {
    expect(errorForHttpStatus(429, 'x', 7_000).retryAfterMs).toBe(7_000);
  });
});

describe('translateBitbankError', () => {
  it('classifies by the code in the body before the HTTP status', () => {
    expect(translateBitbankError(new BitbankApiError(10007, 503, '/v1/user/assets'), 'assets').code).toBe(
      'EXCHANGE.MAINTENANCE',
    );
    expect(translateBitbankError(new BitbankApiError(60001, 400, '/v1/user/spot/order'), 'order').code).toBe(
      'EXCHANGE.INSUFFICIENT_FUNDS',
    );
  });

  it('keeps the raw error as the cause and BotErrors as they are', () => {
    const raw = new BitbankHttpError(502, '/btc_jpy/ticker');
    expect(translateBitbankError(raw, 'ticker').cause).toBe(raw);
    const own = new BotError('EXCHANGE.TIMEOUT', 'deadline');
    expect(translateBitbankError(own, 'x')).toBe(own);
  });

  it('maps ccxt transport failures by class name', () => {
    class RequestTimeout extends Error {}
    class NetworkError extends Error {}
    expect(translateBitbankError(new RequestTimeout('timed out'), 'x').code).toBe('EXCHANGE.TIMEOUT');
    expect(translateBitbankError(new NetworkError('reset'), 'x').code).toBe('EXCHANGE.UNAVAILABLE');
    expect(translateBitbankError(new TypeError('fetch failed'), 'x').code).toBe('EXCHANGE.UNAVAILABLE');
    class AuthenticationError extends Error {}
    expect(translateBitbankError(new AuthenticationError('bitbank requires "apiKey" credential'), 'x').code).toBe(
      'EXCHANGE.AUTH',
    );
    expect(translateBitbankError(new RangeError('bug'), 'x').code).toBe('INTERNAL');
  });
});
