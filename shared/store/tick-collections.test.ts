import { describe, expect, it } from 'vitest';
import {
  orderIntentSchema,
  positionSchema,
  tickRecordSchema,
  ticks,
  trades,
  equity,
  orders,
} from './tick-collections.js';

describe('tick collections', () => {
  it('retention: raw tick records 30 days from their bar; orders, trades and equity 365 days', () => {
    expect(ticks.ttl).toEqual({ days: 30, fromField: 'barOpenMs' });
    expect(orders.ttl?.days).toBe(365);
    expect(trades.ttl?.days).toBe(365);
    expect(equity.ttl?.days).toBe(365);
  });

  it('a tick record needs its claim fields and a known code', () => {
    const claim = {
      tickId: 't',
      pair: 'btc_jpy',
      timeframe: '1h',
      barOpenMs: 0,
      status: 'running',
      owner: 'o',
      attempt: 1,
      leaseUntilMs: 1,
      claimedAtMs: 0,
      mode: 'paper',
    };
    expect(tickRecordSchema.safeParse(claim).success).toBe(true);
    expect(
      tickRecordSchema.safeParse({ ...claim, status: 'done', outcome: 'ok', code: 'TICK.OK', latencyMs: 12 }).success,
    ).toBe(true);
    expect(tickRecordSchema.safeParse({ ...claim, code: 'NOT.A_CODE' }).success).toBe(false);
    expect(tickRecordSchema.safeParse({ ...claim, attempt: 0 }).success).toBe(false);
  });

  it('amounts and prices are decimal strings, never floats', () => {
    const position = {
      pair: 'btc_jpy',
      side: 'long',
      amountBtc: '0.0005',
      entryPriceJpy: 1,
      entryTimeMs: 0,
      entryFeePerBtcJpy: 0,
      adopted: false,
      updatedAtMs: 0,
    };
    expect(positionSchema.safeParse(position).success).toBe(true);
    expect(positionSchema.safeParse({ ...position, amountBtc: 0.0005 }).success).toBe(false);
    const intent = {
      intentId: 'i',
      tickId: 't',
      barOpenMs: 0,
      purpose: 'stop',
      request: {
        pair: 'btc_jpy',
        side: 'sell',
        positionSide: 'long',
        type: 'stop',
        amountBtc: '0.0005',
        triggerPriceJpy: '9900000',
      },
      status: 'pending',
      attempt: 1,
      createdAtMs: 0,
      updatedAtMs: 0,
    };
    expect(orderIntentSchema.safeParse(intent).success).toBe(true);
    expect(
      orderIntentSchema.safeParse({ ...intent, request: { ...intent.request, triggerPriceJpy: '9.9e6' } }).success,
    ).toBe(false);
  });
});
