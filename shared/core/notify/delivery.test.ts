import { describe, expect, it } from 'vitest';
import { classifyAnswer, networkFailure, retryAfterMs } from './delivery.js';

const NOW = Date.UTC(2026, 0, 1, 12);

describe('reading a channel answer', () => {
  it('2xx is sent; Telegram ok:false is a failure even with 200', () => {
    expect(classifyAnswer({ status: 204, retryAfterHeader: null, body: null }, 1, NOW)).toEqual({ kind: 'sent' });
    expect(classifyAnswer({ status: 200, retryAfterHeader: null, body: { ok: true } }, 1, NOW)).toEqual({
      kind: 'sent',
    });
    expect(
      classifyAnswer(
        { status: 200, retryAfterHeader: null, body: { ok: false, description: 'Bad Request: chat not found' } },
        1,
        NOW,
      ),
    ).toEqual({ kind: 'failed', error: 'HTTP 200: Bad Request: chat not found' });
  });

  it('429 waits what the channel asks: Retry-After seconds or date, Discord retry_after, Telegram parameters.retry_after', () => {
    expect(classifyAnswer({ status: 429, retryAfterHeader: '7', body: null }, 1, NOW)).toMatchObject({
      kind: 'retry',
      afterMs: 7_000,
    });
    expect(
      classifyAnswer({ status: 429, retryAfterHeader: new Date(NOW + 12_000).toUTCString(), body: null }, 1, NOW),
    ).toMatchObject({ kind: 'retry', afterMs: 12_000 });
    expect(
      classifyAnswer({ status: 429, retryAfterHeader: null, body: { retry_after: 0.345, global: false } }, 1, NOW),
    ).toMatchObject({ kind: 'retry', afterMs: 345 });
    expect(
      classifyAnswer(
        { status: 429, retryAfterHeader: '1', body: { ok: false, parameters: { retry_after: 31 } } },
        1,
        NOW,
      ),
    ).toMatchObject({ kind: 'retry', afterMs: 31_000 });
    expect(classifyAnswer({ status: 429, retryAfterHeader: 'soon', body: null }, 3, NOW)).toMatchObject({
      kind: 'retry',
      afterMs: 4_000,
    });
  });

  it('5xx and 408 retry with a doubling backoff; other 4xx fail (a deleted webhook does not get better)', () => {
    expect(classifyAnswer({ status: 503, retryAfterHeader: null, body: null }, 1, NOW)).toMatchObject({
      kind: 'retry',
      afterMs: 1_000,
    });
    expect(classifyAnswer({ status: 500, retryAfterHeader: null, body: null }, 2, NOW)).toMatchObject({
      kind: 'retry',
      afterMs: 2_000,
    });
    expect(classifyAnswer({ status: 408, retryAfterHeader: null, body: null }, 1, NOW)).toMatchObject({
      kind: 'retry',
    });
    expect(
      classifyAnswer(
        { status: 404, retryAfterHeader: null, body: { message: 'Unknown Webhook', code: 10015 } },
        1,
        NOW,
      ),
    ).toEqual({ kind: 'failed', error: 'HTTP 404: Unknown Webhook' });
    expect(networkFailure('slack: network error ECONNRESET', 2)).toEqual({
      kind: 'retry',
      afterMs: 2_000,
      error: 'slack: network error ECONNRESET',
    });
  });

  it('a negative or absent retry_after falls back to the header', () => {
    expect(retryAfterMs({ retryAfterHeader: '3', body: { retry_after: -1 } }, NOW)).toBe(3_000);
    expect(retryAfterMs({ retryAfterHeader: null, body: null }, NOW)).toBeUndefined();
  });
});
