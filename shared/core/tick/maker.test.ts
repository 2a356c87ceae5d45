import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../candle.js';
import { BITBANK_BTC_JPY } from '../market-rules.js';
import {
  barsResting,
  exitFallbackAmount,
  fallbackAmount,
  fallbackInRange,
  isWorking,
  makerEntryRequest,
  makerExitRequest,
  restingVerdict,
  type RestingInput,
} from './maker.js';

const B = 1_700_000_000_000 - (1_700_000_000_000 % HOUR_MS);
const base: RestingInput = {
  resting: { execution: 'maker-then-taker', waitBars: 1 },
  placedBarOpenMs: B,
  barOpenMs: B,
  orderStatus: 'UNFILLED',
};

describe('maker-first entries: what a tick does with a resting post-only entry', () => {
  it('waits inside MAKER_WAIT_BARS: in its own bar and, with a wait of 2, one bar later', () => {
    expect(restingVerdict(base)).toEqual({ kind: 'wait' });
    expect(restingVerdict({ ...base, resting: { ...base.resting, waitBars: 2 }, barOpenMs: B + HOUR_MS })).toEqual({
      kind: 'wait',
    });
    expect(restingVerdict({ ...base, orderStatus: 'PARTIALLY_FILLED' })).toEqual({ kind: 'wait' });
  });
  it('after the wait: cancels and falls back to market (maker-then-taker) or gives up (maker-only), filled in part or not', () => {
    const later = { ...base, barOpenMs: B + HOUR_MS };
    expect(restingVerdict(later)).toEqual({ kind: 'cancel', reason: 'expired', fallback: true });
    expect(restingVerdict({ ...later, orderStatus: 'PARTIALLY_FILLED' })).toEqual({
      kind: 'cancel',
      reason: 'expired',
      fallback: true,
    });
    expect(restingVerdict({ ...later, resting: { execution: 'maker-only', waitBars: 1 } })).toEqual({
      kind: 'cancel',
      reason: 'expired',
      fallback: false,
    });
    expect(
      restingVerdict({ ...base, resting: { ...base.resting, waitBars: 2 }, barOpenMs: B + 2 * HOUR_MS }),
    ).toMatchObject({ kind: 'cancel', fallback: true });
  });
  it('a filled order is done, whatever its age or the reasons to stop it', () => {
    expect(restingVerdict({ ...base, orderStatus: 'FULLY_FILLED' })).toEqual({ kind: 'filled' });
    expect(
      restingVerdict({ ...base, orderStatus: 'FULLY_FILLED', barOpenMs: B + 5 * HOUR_MS, stopReason: 'kill-switch' }),
    ).toEqual({ kind: 'filled' });
  });
  it('a kill switch, an exit or a strategy flip cancels it at once, never with a fallback', () => {
    for (const stopReason of ['kill-switch', 'exit', 'flip'] as const) {
      expect(restingVerdict({ ...base, stopReason })).toEqual({ kind: 'cancel', reason: stopReason, fallback: false });
      expect(restingVerdict({ ...base, stopReason, barOpenMs: B + HOUR_MS })).toEqual({
        kind: 'cancel',
        reason: stopReason,
        fallback: false,
      });
    }
  });
  it('a decision once written sticks: a retry after a crash finishes the same one', () => {
    const decided = {
      ...base,
      resting: { ...base.resting, cancelReason: 'kill-switch' as const },
      orderStatus: 'CANCELED_UNFILLED' as const,
    };
    expect(restingVerdict({ ...decided, barOpenMs: B + HOUR_MS })).toEqual({
      kind: 'cancel',
      reason: 'kill-switch',
      fallback: false,
    });
    const expired = {
      ...base,
      resting: { ...base.resting, cancelReason: 'expired' as const },
      orderStatus: 'CANCELED_PARTIALLY_FILLED' as const,
    };
    expect(restingVerdict({ ...expired, stopReason: 'exit' })).toEqual({
      kind: 'cancel',
      reason: 'expired',
      fallback: true,
    });
  });
  it('an order the exchange cancelled (a post-only that would have taken) waits out its bars, then falls back', () => {
    expect(restingVerdict({ ...base, orderStatus: 'CANCELED_UNFILLED' })).toEqual({ kind: 'wait' });
    expect(restingVerdict({ ...base, orderStatus: 'CANCELED_UNFILLED', barOpenMs: B + HOUR_MS })).toEqual({
      kind: 'cancel',
      reason: 'expired',
      fallback: true,
    });
  });
  it('counts whole bars; knows which statuses still work on the exchange', () => {
    expect(barsResting(B, B + HOUR_MS - 1)).toBe(0);
    expect(barsResting(B, B + 3 * HOUR_MS)).toBe(3);
    expect(['INACTIVE', 'UNFILLED', 'PARTIALLY_FILLED'].map(isWorking)).toEqual([true, true, true]);
    expect(
      ['FULLY_FILLED', 'CANCELED_UNFILLED', 'CANCELED_PARTIALLY_FILLED', 'REJECTED', undefined].map(isWorking),
    ).toEqual([false, false, false, false, false]);
  });
  it('the fallback sends exactly the unfilled remainder on the lot grid, nothing below the minimum', () => {
    expect(fallbackAmount('0.0005', '0', BITBANK_BTC_JPY)).toBe('0.0005');
    expect(fallbackAmount('0.0005', '0.0002', BITBANK_BTC_JPY)).toBe('0.0003');
    expect(fallbackAmount('0.0005', '0.0005', BITBANK_BTC_JPY)).toBeUndefined();
    expect(fallbackAmount('0.0005', '0.00045', BITBANK_BTC_JPY)).toBeUndefined();
  });
  it('a post-only limit at the best bid (buy) or ask (sell), with its position side', () => {
    const ticker = { bidJpy: '15000000', askJpy: '15001500' };
    expect(makerEntryRequest('btc_jpy', 'long', '0.001', ticker, BITBANK_BTC_JPY)).toEqual({
      pair: 'btc_jpy',
      side: 'buy',
      positionSide: 'long',
      type: 'limit',
      amountBtc: '0.001',
      priceJpy: '15000000',
      postOnly: true,
    });
    expect(makerEntryRequest('btc_jpy', 'short', '0.001', ticker, BITBANK_BTC_JPY)).toMatchObject({
      side: 'sell',
      positionSide: 'short',
      priceJpy: '15001500',
      postOnly: true,
    });
  });
  it("a fallback only while the market is still between the plan's stop and take-profit", () => {
    const at = (bidJpy: number) => ({ bidJpy: String(bidJpy), askJpy: String(bidJpy + 100) });
    expect(fallbackInRange('long', at(10_000_000), '9500000', '10500000')).toBe(true);
    expect(fallbackInRange('long', at(9_400_000), '9500000', '10500000')).toBe(false);
    expect(fallbackInRange('long', at(10_499_950), '9500000', '10500000')).toBe(false);
    expect(fallbackInRange('short', at(10_000_000), '10500000', '9500000')).toBe(true);
    expect(fallbackInRange('short', at(10_500_000), '10500000', '9500000')).toBe(false);
    expect(fallbackInRange('short', at(9_500_000), '10500000', '9500000')).toBe(false);
    expect(fallbackInRange('long', at(1), undefined, undefined)).toBe(true);
  });
});

describe('maker-first planned exits: the same verdict, a closing post-only order', () => {
  const ticker = { bidJpy: '9999999.4', askJpy: '10000000.6' };
  it('closes a long with a post-only sell at the ask, a short with a post-only buy at the bid, never crossing', () => {
    expect(makerExitRequest('btc_jpy', 'long', '0.0010', ticker, BITBANK_BTC_JPY)).toEqual({
      pair: 'btc_jpy',
      side: 'sell',
      positionSide: 'long',
      type: 'limit',
      amountBtc: '0.0010',
      priceJpy: '10000001',
      postOnly: true,
    });
    expect(makerExitRequest('btc_jpy', 'short', '0.0010', ticker, BITBANK_BTC_JPY)).toEqual({
      pair: 'btc_jpy',
      side: 'buy',
      positionSide: 'short',
      type: 'limit',
      amountBtc: '0.0010',
      priceJpy: '9999999',
      postOnly: true,
    });
  });
  it('its position gone (stop or take-profit filled first): cancelled at once, without fallback, even after the wait', () => {
    expect(restingVerdict({ ...base, stopReason: 'closed' })).toEqual({
      kind: 'cancel',
      reason: 'closed',
      fallback: false,
    });
    expect(restingVerdict({ ...base, stopReason: 'closed', barOpenMs: B + HOUR_MS })).toEqual({
      kind: 'cancel',
      reason: 'closed',
      fallback: false,
    });
    expect(restingVerdict({ ...base, stopReason: 'closed', orderStatus: 'FULLY_FILLED' })).toEqual({ kind: 'filled' });
  });
  it('the market fallback closes what the exchange still shows of the position, never more; nothing when it is gone', () => {
    expect(exitFallbackAmount('0.0007', BITBANK_BTC_JPY)).toBe('0.0007');
    expect(exitFallbackAmount(undefined, BITBANK_BTC_JPY)).toBeUndefined();
    expect(exitFallbackAmount('0', BITBANK_BTC_JPY)).toBeUndefined();
    expect(exitFallbackAmount('0.00001', BITBANK_BTC_JPY)).toBeUndefined();
  });
});
