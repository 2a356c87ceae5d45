import { describe, expect, it } from 'vitest';
import {
  INTENT_MATCH_SKEW_MS,
  ORDER_SETTLE_MS,
  afterLookUp,
  intentId,
  protectiveKind,
  stepForExisting,
  stopRequest,
  takeProfitRequest,
  toIntentMatch,
  withAnswer,
  type OrderIntent,
} from './intent.js';

const intent: OrderIntent = {
  intentId: intentId('btc_jpy_1h_0', 'stop', 'short', '0.0005'),
  tickId: 'btc_jpy_1h_0',
  barOpenMs: 0,
  purpose: 'stop',
  request: stopRequest('btc_jpy', 'short', '0.0005', '10100000'),
  status: 'pending',
  attempt: 1,
  createdAtMs: 1_000_000,
  updatedAtMs: 1_000_000,
  sendAtMs: 1_000_000,
};
const entry: OrderIntent = {
  ...intent,
  intentId: intentId('btc_jpy_1h_0', 'entry', 'long'),
  purpose: 'entry',
  request: { pair: 'btc_jpy', side: 'buy', positionSide: 'long', type: 'market', amountBtc: '0.0005' },
};

describe('order intents', () => {
  it('one id per tick, purpose and side (protective orders also by size), so a retried tick finds its own intent', () => {
    expect(intent.intentId).toBe('btc_jpy_1h_0_stop_short_0.0005');
    expect(entry.intentId).toBe('btc_jpy_1h_0_entry_long');
    expect(intentId('t', 'stop', 'long', '0.0005')).not.toBe(intentId('t', 'stop', 'short', '0.0005'));
  });
  it('never sends again what reached the exchange; looks up one whose answer is not known first', () => {
    expect(stepForExisting({ ...intent, status: 'sent' })).toBe('done');
    expect(stepForExisting(intent)).toBe('resolve');
    expect(stepForExisting({ ...intent, status: 'unknown' })).toBe('resolve');
  });
  it('a protective order proven absent or refused is attempted again; an entry whose answer was lost never in its bar', () => {
    expect(stepForExisting({ ...intent, status: 'not-sent' })).toBe('resend');
    expect(stepForExisting({ ...intent, status: 'rejected' })).toBe('resend');
    expect(stepForExisting({ ...entry, status: 'not-sent' })).toBe('done');
    expect(stepForExisting({ ...entry, status: 'rejected' })).toBe('done');
  });
  it('an order not found is "unknown" until the settle window after its send has passed, then "not-sent"', () => {
    const lost = { ...entry, status: 'unknown' as const, updatedAtMs: 1_010_000 };
    expect(afterLookUp(lost, undefined, 1_000_000 + ORDER_SETTLE_MS - 1)).toMatchObject({
      status: 'unknown',
      sendAtMs: 1_000_000,
    });
    expect(afterLookUp(lost, undefined, 1_000_000 + ORDER_SETTLE_MS)).toMatchObject({
      status: 'not-sent',
      updatedAtMs: 1_000_000 + ORDER_SETTLE_MS,
    });
    const order = {
      orderId: '7',
      pair: 'btc_jpy',
      side: 'buy' as const,
      type: 'market' as const,
      amountBtc: '0.0005',
      remainingBtc: '0',
      executedBtc: '0.0005',
      status: 'FULLY_FILLED' as const,
      orderedAtMs: 1,
    };
    expect(afterLookUp(lost, order, 1_000_001)).toMatchObject({ status: 'sent', orderId: '7' });
  });
  it('matches on the request and a time no earlier than the intent less the skew', () => {
    expect(toIntentMatch(intent)).toEqual({
      pair: 'btc_jpy',
      side: 'buy',
      positionSide: 'short',
      type: 'stop',
      amountBtc: '0.0005',
      triggerPriceJpy: '10100000',
      notBeforeMs: 1_000_000 - INTENT_MATCH_SKEW_MS,
    });
  });
  it('records the answer', () => {
    const order = {
      orderId: '42',
      pair: 'btc_jpy',
      side: 'buy' as const,
      type: 'stop' as const,
      amountBtc: '0.0005',
      remainingBtc: '0.0005',
      executedBtc: '0',
      status: 'UNFILLED' as const,
      orderedAtMs: 1,
    };
    expect(withAnswer(intent, order, 5)).toMatchObject({
      status: 'sent',
      orderId: '42',
      orderStatus: 'UNFILLED',
      updatedAtMs: 5,
    });
  });
  it('tells protective orders by direction and type', () => {
    expect(protectiveKind(stopRequest('btc_jpy', 'long', '1', '1'))).toEqual({ positionSide: 'long', kind: 'stop' });
    expect(protectiveKind(takeProfitRequest('btc_jpy', 'short', '1', '1'))).toEqual({
      positionSide: 'short',
      kind: 'take-profit',
    });
    expect(protectiveKind({ side: 'buy', positionSide: 'long', type: 'limit' })).toBeUndefined(); // an entry
    expect(protectiveKind({ side: 'sell', type: 'stop' })).toBeUndefined(); // spot
  });
});
