import { describe, expect, it } from 'vitest';
import { BotError } from '../../core/errors.js';
import { toOrderAmount, toOrderPrice } from '../../core/money.js';
import type { MarketRules, OrderRequest } from '../../ports/exchange.port.js';
import { toOrderBody } from './order-request.js';
import { TEST_RULES } from '../../core/strategy/test-fixtures.js';

const rules: MarketRules = TEST_RULES;
const limit = (over: Partial<OrderRequest>): OrderRequest => ({
  pair: 'btc_jpy',
  side: 'buy',
  type: 'limit',
  amountBtc: '0.0001',
  priceJpy: '15000000',
  ...over,
});

function rejection(request: OrderRequest, r: MarketRules = rules): string {
  try {
    toOrderBody(request, r);
  } catch (error) {
    expect(error).toBeInstanceOf(BotError);
    expect((error as BotError).code).toBe('EXCHANGE.ORDER_REJECTED');
    return (error as BotError).message;
  }
  throw new Error('expected a rejection');
}

describe('toOrderBody: the lot and tick grid', () => {
  it('accepts amounts exactly on the lot, at the minimum and at the maxima', () => {
    expect(toOrderBody(limit({ amountBtc: '0.0001' }), rules).amount).toBe('0.0001');
    expect(toOrderBody(limit({ amountBtc: '0.1230' }), rules).amount).toBe('0.1230');
    expect(toOrderBody(limit({ amountBtc: '1000' }), rules).amount).toBe('1000');
    expect(toOrderBody({ pair: 'btc_jpy', side: 'sell', type: 'market', amountBtc: '10' }, rules).amount).toBe('10');
  });

  it('rejects amounts one digit off the lot, below the minimum, or above the maxima', () => {
    expect(rejection(limit({ amountBtc: '0.00015' }))).toMatch(/not on the 0.0001 BTC lot/);
    expect(rejection(limit({ amountBtc: '0.00009' }))).toMatch(/lot|below/);
    expect(rejection(limit({ amountBtc: '0' }))).toMatch(/below the minimum/);
    expect(rejection(limit({ amountBtc: '0.0002' }), { ...rules, minAmountBtc: '0.0005' })).toMatch(
      /below the minimum 0.0005/,
    );
    expect(rejection(limit({ amountBtc: '1000.0001' }))).toMatch(/above the maximum 1000/);
    expect(rejection({ pair: 'btc_jpy', side: 'buy', type: 'market', amountBtc: '10.0001' })).toMatch(
      /above the maximum 10/,
    );
  });

  it('rejects prices off the 1 JPY tick and anything that is not a decimal string', () => {
    expect(rejection(limit({ priceJpy: '15000000.5' }))).toMatch(/tick/);
    expect(rejection(limit({ priceJpy: '0' }))).toMatch(/positive/);
    expect(rejection(limit({ amountBtc: 0.0001 as unknown as string }))).toMatch(/decimal string/);
    expect(rejection(limit({ amountBtc: '1e-4' }))).toMatch(/decimal string/);
    expect(rejection(limit({ priceJpy: '-1' }))).toMatch(/decimal string/);
  });

  it('sends amounts that are not representable as floats exactly as the money helpers rounded them', () => {
    // 0.1 + 0.2 = 0.30000000000000004 as a float: floored onto the lot it is exactly "0.3000".
    const amount = toOrderAmount(0.1 + 0.2, rules);
    expect(amount).toBe('0.3000');
    const body = toOrderBody(
      limit({ amountBtc: amount as string, priceJpy: toOrderPrice('14999999.999999999999', rules, 'down') }),
      rules,
    );
    expect(body).toMatchObject({ amount: '0.3000', price: '14999999' });
    expect(JSON.stringify(body)).toContain('"amount":"0.3000"');
    // 1.0001 - 1 = 0.00009999999999998899: below one lot once floored, so no order at all.
    expect(toOrderAmount(1.0001 - 1, rules)).toBeUndefined();
  });
});

describe('toOrderBody: order types', () => {
  it('margin orders carry position_side; post-only only on limits', () => {
    expect(toOrderBody(limit({ side: 'sell', positionSide: 'short', postOnly: true }), rules)).toEqual({
      pair: 'btc_jpy',
      amount: '0.0001',
      side: 'sell',
      type: 'limit',
      price: '15000000',
      position_side: 'short',
      post_only: true,
    });
    expect(rejection({ pair: 'btc_jpy', side: 'buy', type: 'market', amountBtc: '0.0001', postOnly: true })).toMatch(
      /post-only/,
    );
  });

  it('stop types need a trigger price; only limit and stop_limit take a price', () => {
    const stop = { pair: 'btc_jpy', side: 'sell', positionSide: 'long', amountBtc: '0.0001' } as const;
    expect(toOrderBody({ ...stop, type: 'stop', triggerPriceJpy: '14000000' }, rules)).toMatchObject({
      type: 'stop',
      trigger_price: '14000000',
    });
    expect(
      toOrderBody({ ...stop, type: 'stop_limit', triggerPriceJpy: '14000000', priceJpy: '13990000' }, rules),
    ).toMatchObject({ price: '13990000' });
    expect(toOrderBody({ ...stop, type: 'take_profit', triggerPriceJpy: '16000000' }, rules)).toMatchObject({
      type: 'take_profit',
      position_side: 'long',
    });
    expect(toOrderBody({ ...stop, type: 'stop_loss', triggerPriceJpy: '14000000' }, rules)).toMatchObject({
      type: 'stop_loss',
    });
    expect(rejection({ ...stop, type: 'stop' })).toMatch(/trigger price/);
    expect(rejection({ ...stop, type: 'stop_limit', triggerPriceJpy: '14000000' })).toMatch(/needs a price/);
    expect(rejection({ ...stop, type: 'stop', triggerPriceJpy: '14000000.1' })).toMatch(/tick/);
    expect(rejection({ ...stop, type: 'market', priceJpy: '1' })).toMatch(/takes no price/);
    expect(rejection(limit({ pair: 'eth_jpy' }))).toMatch(/pair/);
  });
});
