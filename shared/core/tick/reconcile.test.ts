import { describe, expect, it } from 'vitest';
import { ENTRY_HINT_MAX_AGE_MS, reconcileDiff, type EntryHint, type ReconcileInput } from './reconcile.js';
import type { ExchangeOrder, MarginPosition } from '../../ports/exchange.port.js';
import type { MirroredPosition } from './position.js';

const pair = 'btc_jpy';
const base: ReconcileInput = {
  pair,
  nowMs: 1_000,
  exchangePositions: [],
  openOrders: [],
  stored: [],
  entryHints: [],
  takerFeeRate: 0.0012,
};
const exLong = (amountBtc = '0.0005'): MarginPosition => ({
  pair,
  side: 'long',
  amountBtc,
  averagePriceJpy: '10000000',
  unrealizedFeeJpy: '0',
  unrealizedInterestJpy: '0',
});
const stored = (over: Partial<MirroredPosition> = {}): MirroredPosition => ({
  pair,
  side: 'long',
  amountBtc: '0.0005',
  entryPriceJpy: 10_000_000,
  entryTimeMs: 500,
  entryFeePerBtcJpy: 12_000,
  stopPriceJpy: '9900000',
  takeProfitPriceJpy: '10200000',
  adopted: false,
  updatedAtMs: 500,
  ...over,
});
const order = (over: Partial<ExchangeOrder>): ExchangeOrder => ({
  orderId: '1',
  pair,
  side: 'sell',
  positionSide: 'long',
  type: 'stop',
  amountBtc: '0.0005',
  remainingBtc: '0.0005',
  executedBtc: '0',
  triggerPriceJpy: '9900000',
  status: 'UNFILLED',
  orderedAtMs: 600,
  ...over,
});
const kinds = (input: ReconcileInput) =>
  reconcileDiff(input).map((f) =>
    f.kind === 'cancel-order'
      ? `cancel:${f.orderId}:${f.reason}`
      : f.kind === 'place-protective'
        ? `place:${f.purpose}`
        : f.kind,
  );

describe('reconcileDiff', () => {
  it('nothing to do when the mirror, the stop and the take-profit match the exchange', () => {
    expect(
      kinds({
        ...base,
        exchangePositions: [exLong()],
        stored: [stored()],
        openOrders: [order({}), order({ orderId: '2', type: 'limit', priceJpy: '10200000' })],
      }),
    ).toEqual([]);
  });
  it('a stored position gone from the exchange is closed (fills to book); its leftover take-profit is an orphan', () => {
    expect(
      kinds({
        ...base,
        stored: [stored()],
        openOrders: [order({ orderId: '2', type: 'limit', priceJpy: '10200000' })],
      }),
    ).toEqual(['position-closed', 'cancel:2:orphan']);
  });
  it("an unknown exchange position is adopted with its entry intent's protective prices, and protected", () => {
    const fixes = reconcileDiff({
      ...base,
      exchangePositions: [exLong()],
      entryHints: [
        {
          side: 'long',
          intentId: 'i1',
          createdAtMs: 700,
          amountsBtc: ['0.0005'],
          stopPriceJpy: '9800000',
          takeProfitPriceJpy: '10300000',
        },
      ],
    });
    expect(fixes.map((f) => f.kind)).toEqual(['position-adopted', 'place-protective', 'place-protective']);
    const adopted = fixes[0];
    expect(adopted?.kind === 'position-adopted' && adopted.position).toMatchObject({
      entryTimeMs: 700,
      stopPriceJpy: '9800000',
      adopted: false,
      entryIntentId: 'i1',
    });
    const stop = fixes[1];
    expect(stop?.kind === 'place-protective' && stop.request).toEqual({
      pair,
      side: 'sell',
      positionSide: 'long',
      type: 'stop',
      amountBtc: '0.0005',
      triggerPriceJpy: '9800000',
    });
  });
  it('an entry hint must match the position in size and time, else the position is unprotected', () => {
    const hint: EntryHint = {
      side: 'long',
      intentId: 'i1',
      createdAtMs: 700,
      amountsBtc: ['0.0005'],
      stopPriceJpy: '9800000',
    };
    expect(kinds({ ...base, exchangePositions: [exLong('0.0010')], entryHints: [hint] })).toEqual([
      'position-adopted',
      'unprotected',
    ]);
    expect(
      kinds({ ...base, nowMs: 700 + ENTRY_HINT_MAX_AGE_MS + 1, exchangePositions: [exLong()], entryHints: [hint] }),
    ).toEqual(['position-adopted', 'unprotected']);
    expect(kinds({ ...base, exchangePositions: [exLong()], entryHints: [{ ...hint, side: 'short' }] })).toEqual([
      'position-adopted',
      'unprotected',
    ]);
    // Only the side's newest entry may explain it: an older entry of the same size never lends its (stale) stop.
    const newer: EntryHint = {
      ...hint,
      intentId: 'i2',
      createdAtMs: 900,
      amountsBtc: ['0.0010'],
      stopPriceJpy: '9700000',
    };
    expect(kinds({ ...base, exchangePositions: [exLong()], entryHints: [hint, newer] })).toEqual([
      'position-adopted',
      'unprotected',
    ]);
    expect(
      kinds({
        ...base,
        exchangePositions: [exLong()],
        entryHints: [hint, { ...newer, amountsBtc: ['0.0005'], sent: false }],
      }),
    ).toEqual(['position-adopted', 'unprotected']);
    const fixes = reconcileDiff({ ...base, exchangePositions: [exLong('0.0010')], entryHints: [hint, newer] });
    const adopted = fixes[0];
    expect(adopted?.kind === 'position-adopted' && adopted.position).toMatchObject({
      entryIntentId: 'i2',
      stopPriceJpy: '9700000',
    });
  });
  it('a maker-first entry filled in part (or with its fallback) explains any position of its side up to its whole size', () => {
    const maker: EntryHint = {
      side: 'long',
      intentId: 'm1',
      createdAtMs: 700,
      amountsBtc: ['0.0010', '0'],
      upToBtc: '0.0010',
      stopPriceJpy: '9800000',
    };
    const fixes = reconcileDiff({ ...base, exchangePositions: [exLong('0.0003')], entryHints: [maker] });
    expect(fixes.map((f) => f.kind)).toEqual(['position-adopted', 'place-protective']);
    const stop = fixes[1];
    expect(stop?.kind === 'place-protective' && stop.request).toMatchObject({
      type: 'stop',
      amountBtc: '0.0003',
      triggerPriceJpy: '9800000',
    });
    expect(kinds({ ...base, exchangePositions: [exLong('0.0011')], entryHints: [maker] })).toEqual([
      'position-adopted',
      'unprotected',
    ]);
    // A position already mirrored that grows while the entry rests: resized, protective orders resized with it.
    expect(
      kinds({
        ...base,
        exchangePositions: [exLong('0.0008')],
        stored: [stored({ amountBtc: '0.0003' })],
        openOrders: [order({ amountBtc: '0.0003', remainingBtc: '0.0003' })],
      }),
    ).toEqual(['position-resized', 'place:stop', 'place:take-profit', 'cancel:1:size-mismatch']);
  });
  it('a position of unknown origin without a stop is reported unprotected', () => {
    expect(kinds({ ...base, exchangePositions: [exLong()] })).toEqual(['position-adopted', 'unprotected']);
  });
  it('a partial fill resizes the mirror and replaces protective orders of the old size', () => {
    expect(
      kinds({ ...base, exchangePositions: [exLong('0.0003')], stored: [stored()], openOrders: [order({})] }),
    ).toEqual(['position-resized', 'place:stop', 'place:take-profit', 'cancel:1:size-mismatch']);
  });
  it('a second stop for the same position is cancelled as a duplicate; entry orders are left alone', () => {
    const entry = order({ orderId: '9', side: 'buy', type: 'limit', priceJpy: '9000000' });
    expect(
      kinds({
        ...base,
        exchangePositions: [exLong()],
        stored: [stored({ takeProfitPriceJpy: undefined })],
        openOrders: [order({}), order({ orderId: '3' }), entry],
      }),
    ).toEqual(['cancel:3:duplicate']);
  });
  it('a resting maker exit is neither a take-profit nor an orphan while its position lives; cancelled once the position is gone', () => {
    const exit = order({ orderId: '3', type: 'limit', priceJpy: '10005000' });
    const tp = order({ orderId: '2', type: 'limit', priceJpy: '10200000' });
    const restingExitOrderIds = new Set(['3']);
    expect(
      kinds({
        ...base,
        exchangePositions: [exLong()],
        stored: [stored()],
        openOrders: [order({}), tp, exit],
        restingExitOrderIds,
      }),
    ).toEqual([]);
    // Without knowing it, the same order is a second take-profit (cancelled as a duplicate).
    expect(
      kinds({ ...base, exchangePositions: [exLong()], stored: [stored()], openOrders: [order({}), tp, exit] }),
    ).toEqual(['cancel:3:duplicate']);
    // While it rests the take-profit is not placed again (on spot the exit holds the BTC it would lock).
    expect(
      kinds({
        ...base,
        exchangePositions: [exLong()],
        stored: [stored()],
        openOrders: [order({}), exit],
        restingExitOrderIds,
      }),
    ).toEqual([]);
    // A partial fill of the exit: the stop and take-profit follow the smaller position, the exit stays.
    const smaller = kinds({
      ...base,
      exchangePositions: [exLong('0.0003')],
      stored: [stored()],
      openOrders: [order({}), tp, exit],
      restingExitOrderIds,
    });
    expect(smaller).toEqual([
      'position-resized',
      'place:stop',
      'place:take-profit',
      'cancel:1:size-mismatch',
      'cancel:2:size-mismatch',
    ]);
    // The stop filled while it rested: the exit is cancelled with the take-profit, so it never opens the other side.
    expect(kinds({ ...base, stored: [stored()], openOrders: [tp, exit], restingExitOrderIds })).toEqual([
      'position-closed',
      'cancel:2:orphan',
      'cancel:3:orphan',
    ]);
  });
});
