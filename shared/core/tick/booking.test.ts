import { describe, expect, it } from 'vitest';
import { bookClosingFills, bookOrderFills } from './booking.js';
import type { ExchangeTrade } from '../../ports/exchange.port.js';
import type { MirroredPosition } from './position.js';

const position: MirroredPosition = {
  pair: 'btc_jpy',
  side: 'short',
  amountBtc: '0.001',
  entryPriceJpy: 10_000_000,
  entryTimeMs: 1_000,
  entryFeePerBtcJpy: 12_000,
  adopted: false,
  updatedAtMs: 1_000,
};
const fill = (over: Partial<ExchangeTrade>): ExchangeTrade => ({
  tradeId: 't1',
  orderId: 'o1',
  pair: 'btc_jpy',
  side: 'buy',
  positionSide: 'short',
  type: 'stop',
  amountBtc: '0.001',
  priceJpy: '10100000',
  feeJpy: '12.12',
  makerTaker: 'taker',
  interestJpy: '3',
  executedAtMs: 5_000,
  ...over,
});

describe('bookClosingFills', () => {
  it('a stopped short: loss = price move + entry fee + exit fee + interest', () => {
    const [trade] = bookClosingFills(position, [fill({}), fill({ tradeId: 'x', side: 'sell', executedAtMs: 900 })]);
    // gross = (10,000,000 - 10,100,000) * 0.001 = -100; fees = 12.12 + 12 ; interest 3
    expect(trade).toMatchObject({
      side: 'short',
      exitReason: 'stop',
      exitPriceJpy: 10_100_000,
      feesJpy: 24.12,
      interestJpy: 3,
      closingOrderId: 'o1',
    });
    expect(trade?.pnlJpy).toBeCloseTo(-100 - 24.12 - 3, 9);
  });
  it('groups partial fills of one closing order at their average price; ignores fills before entry and opening fills', () => {
    const trades = bookClosingFills(position, [
      fill({
        tradeId: 'a',
        amountBtc: '0.0004',
        priceJpy: '9900000',
        type: 'limit',
        feeJpy: '-0.79',
        interestJpy: '0',
      }),
      fill({
        tradeId: 'b',
        amountBtc: '0.0006',
        priceJpy: '9800000',
        type: 'limit',
        feeJpy: '-1.18',
        interestJpy: '0',
        executedAtMs: 6_000,
      }),
      fill({ tradeId: 'c', orderId: 'old', executedAtMs: 10 }),
    ]);
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({
      exitReason: 'take-profit',
      amountBtc: '0.001',
      exitPriceJpy: 9_840_000,
      tradeIds: ['a', 'b'],
      exitTimeMs: 6_000,
    });
    expect(trades[0]?.pnlJpy).toBeCloseTo(160 - (12 - 1.97), 9);
  });
  it("the bot's own exit keeps the reason it gave", () => {
    const [trade] = bookClosingFills(position, [fill({ type: 'market' })], new Map([['o1', 'kill-switch' as const]]));
    expect(trade?.exitReason).toBe('kill-switch');
  });

  describe('a closing order filled in parts across ticks (issue 12, item 6)', () => {
    const tp = (over: Partial<ExchangeTrade>) => fill({ orderId: 'tp', type: 'limit', interestJpy: '0', ...over });
    const first = tp({
      tradeId: 'a',
      amountBtc: '0.0004',
      priceJpy: '9900000',
      feeJpy: '-0.79',
      interestJpy: '1',
      executedAtMs: 5_000,
    });
    const second = tp({
      tradeId: 'b',
      amountBtc: '0.0006',
      priceJpy: '9800000',
      feeJpy: '-1.18',
      interestJpy: '2',
      executedAtMs: 9_000,
    });
    const oneShot = bookOrderFills(position, undefined, [first, second]);

    it('the second part is added to the trade booked for the first: the sum equals booking both at once', () => {
      const partOne = bookOrderFills(position, undefined, [first]);
      expect(partOne).toMatchObject({ amountBtc: '0.0004', tradeIds: ['a'], closingOrderId: 'tp' });
      // Later the exchange reports both fills of the order (the remaining position is 0.0006).
      const both = bookOrderFills({ ...position, amountBtc: '0.0006' }, partOne, [first, second]);
      expect(both).toMatchObject({
        amountBtc: '0.001',
        tradeIds: ['a', 'b'],
        exitTimeMs: 9_000,
        exitReason: 'take-profit',
        closingOrderId: 'tp',
      });
      expect(both?.pnlJpy).toBeCloseTo(oneShot?.pnlJpy as number, 9);
      expect(both?.feesJpy).toBeCloseTo(oneShot?.feesJpy as number, 9);
      expect(both?.interestJpy).toBe(3);
      expect(both?.exitPriceJpy).toBeCloseTo(9_840_000, 6);
      // gross (10,000,000 - 9,840,000) * 0.001 = 160; fees 12 entry - 1.97 rebates; interest 3
      expect(both?.pnlJpy).toBeCloseTo(160 - (12 - 1.97) - 3, 9);
    });

    it('a re-run books nothing new: every fill is counted once', () => {
      expect(bookOrderFills(position, oneShot, [first, second])).toBeUndefined();
      expect(bookOrderFills(position, oneShot, [second])).toBeUndefined();
    });

    it('fills the exchange no longer lists are kept: only the new fill is added', () => {
      const partOne = bookOrderFills(position, undefined, [first]);
      const both = bookOrderFills({ ...position, amountBtc: '0.0006' }, partOne, [second]);
      expect(both).toMatchObject({ amountBtc: '0.001', tradeIds: ['a', 'b'] });
      expect(both?.pnlJpy).toBeCloseTo(oneShot?.pnlJpy as number, 9);
    });

    it("the exchange's own P&L of the order adds up over its parts", () => {
      const partOne = bookOrderFills(position, undefined, [{ ...first, profitLossJpy: '40' }]);
      const both = bookOrderFills(position, partOne, [
        { ...first, profitLossJpy: '40' },
        { ...second, profitLossJpy: '120' },
      ]);
      expect(both?.exchangeProfitLossJpy).toBe(160);
    });
  });
});
