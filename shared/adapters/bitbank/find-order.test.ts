import { describe, expect, it } from 'vitest';
import type { ExchangeOrder, OrderIntentMatch } from '../../ports/exchange.port.js';
import { matchesIntent, pickMatch } from './find-order.js';

const order = (over: Partial<ExchangeOrder>): ExchangeOrder => ({
  orderId: '1',
  pair: 'btc_jpy',
  side: 'sell',
  positionSide: 'short',
  type: 'limit',
  amountBtc: '0.0010',
  remainingBtc: '0.0010',
  executedBtc: '0',
  priceJpy: '15000000',
  status: 'UNFILLED',
  orderedAtMs: 10_000,
  ...over,
});
const intent: OrderIntentMatch = {
  pair: 'btc_jpy',
  side: 'sell',
  positionSide: 'short',
  type: 'limit',
  amountBtc: '0.001',
  priceJpy: '15000000.0',
  notBeforeMs: 9_000,
};

describe('matchesIntent', () => {
  it('matches on pair, sides, type, decimal-equal amount and price, and time', () => {
    expect(matchesIntent(order({}), intent, 0)).toBe(true);
    expect(matchesIntent(order({ positionSide: undefined }), intent, 0)).toBe(false);
    expect(matchesIntent(order({ side: 'buy' }), intent, 0)).toBe(false);
    expect(matchesIntent(order({ amountBtc: '0.0011' }), intent, 0)).toBe(false);
    expect(matchesIntent(order({ priceJpy: '15000001' }), intent, 0)).toBe(false);
    expect(matchesIntent(order({ type: 'market' }), intent, 0)).toBe(false);
    expect(matchesIntent(order({ orderedAtMs: 8_000 }), intent, 0)).toBe(false);
    expect(matchesIntent(order({ orderedAtMs: 8_000 }), intent, 1_000)).toBe(true);
  });

  it('picks the earliest match after the intent', () => {
    const found = pickMatch(
      [
        order({ orderId: '3', orderedAtMs: 12_000 }),
        order({ orderId: '2', orderedAtMs: 11_000 }),
        order({ orderId: '9', side: 'buy' }),
      ],
      intent,
      0,
    );
    expect(found?.orderId).toBe('2');
    expect(pickMatch([order({ side: 'buy' })], intent, 0)).toBeUndefined();
  });
});
