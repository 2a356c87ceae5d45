import { describe, expect, it } from 'vitest';
import { INTENT_MATCH_SKEW_MS, intentId, protectiveKind, stepForExisting, stopRequest, takeProfitRequest, toIntentMatch, withAnswer, type OrderIntent } from './intent.js';

const intent: OrderIntent = {
  intentId: intentId('btc_jpy_1h_0', 'stop'), tickId: 'btc_jpy_1h_0', barOpenMs: 0, purpose: 'stop',
  request: stopRequest('btc_jpy', 'short', '0.0005', '10100000'), status: 'pending', attempt: 1, createdAtMs: 1_000_000, updatedAtMs: 1_000_000,
};

describe('order intents', () => {
  it('one id per tick and purpose, so a retried tick finds its own intent', () => {
    expect(intent.intentId).toBe('btc_jpy_1h_0_stop');
  });
  it('never sends again what reached the exchange or was refused; looks up a pending one first', () => {
    expect(stepForExisting({ ...intent, status: 'sent' })).toBe('done');
    expect(stepForExisting({ ...intent, status: 'rejected' })).toBe('done');
    expect(stepForExisting(intent)).toBe('resolve');
    expect(stepForExisting({ ...intent, status: 'not-sent' })).toBe('resend');
  });
  it('matches on the request and a time no earlier than the intent less the skew', () => {
    expect(toIntentMatch(intent)).toEqual({ pair: 'btc_jpy', side: 'buy', positionSide: 'short', type: 'stop', amountBtc: '0.0005', triggerPriceJpy: '10100000', notBeforeMs: 1_000_000 - INTENT_MATCH_SKEW_MS });
  });
  it('records the answer', () => {
    const order = { orderId: '42', pair: 'btc_jpy', side: 'buy' as const, type: 'stop' as const, amountBtc: '0.0005', remainingBtc: '0.0005', executedBtc: '0', status: 'UNFILLED' as const, orderedAtMs: 1 };
    expect(withAnswer(intent, order, 5)).toMatchObject({ status: 'sent', orderId: '42', orderStatus: 'UNFILLED', updatedAtMs: 5 });
  });
  it('tells protective orders by direction and type', () => {
    expect(protectiveKind(stopRequest('btc_jpy', 'long', '1', '1'))).toEqual({ positionSide: 'long', kind: 'stop' });
    expect(protectiveKind(takeProfitRequest('btc_jpy', 'short', '1', '1'))).toEqual({ positionSide: 'short', kind: 'take-profit' });
    expect(protectiveKind({ side: 'buy', positionSide: 'long', type: 'limit' })).toBeUndefined(); // an entry
    expect(protectiveKind({ side: 'sell', type: 'stop' })).toBeUndefined(); // spot
  });
});
