import { describe, expect, it } from 'vitest';
import { bookClosingFills } from './booking.js';
import type { ExchangeTrade } from '../../ports/exchange.port.js';
import type { MirroredPosition } from './position.js';

const position: MirroredPosition = { pair: 'btc_jpy', side: 'short', amountBtc: '0.001', entryPriceJpy: 10_000_000, entryTimeMs: 1_000, entryFeePerBtcJpy: 12_000, adopted: false, updatedAtMs: 1_000 };
const fill = (over: Partial<ExchangeTrade>): ExchangeTrade => ({
  tradeId: 't1', orderId: 'o1', pair: 'btc_jpy', side: 'buy', positionSide: 'short', type: 'stop', amountBtc: '0.001', priceJpy: '10100000',
  feeJpy: '12.12', makerTaker: 'taker', interestJpy: '3', executedAtMs: 5_000, ...over,
});

describe('bookClosingFills', () => {
  it('a stopped short: loss = price move + entry fee + exit fee + interest', () => {
    const [trade] = bookClosingFills(position, [fill({}), fill({ tradeId: 'x', side: 'sell', executedAtMs: 900 })]);
    // gross = (10,000,000 - 10,100,000) * 0.001 = -100; fees = 12.12 + 12 ; interest 3
    expect(trade).toMatchObject({ side: 'short', exitReason: 'stop', exitPriceJpy: 10_100_000, feesJpy: 24.12, interestJpy: 3, closingOrderId: 'o1' });
    expect(trade?.pnlJpy).toBeCloseTo(-100 - 24.12 - 3, 9);
  });
  it('groups partial fills of one closing order at their average price; ignores fills before entry and opening fills', () => {
    const trades = bookClosingFills(position, [
      fill({ tradeId: 'a', amountBtc: '0.0004', priceJpy: '9900000', type: 'limit', feeJpy: '-0.79', interestJpy: '0' }),
      fill({ tradeId: 'b', amountBtc: '0.0006', priceJpy: '9800000', type: 'limit', feeJpy: '-1.18', interestJpy: '0', executedAtMs: 6_000 }),
      fill({ tradeId: 'c', orderId: 'old', executedAtMs: 10 }),
    ]);
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({ exitReason: 'take-profit', amountBtc: '0.001', exitPriceJpy: 9_840_000, tradeIds: ['a', 'b'], exitTimeMs: 6_000 });
    expect(trades[0]?.pnlJpy).toBeCloseTo(160 - (12 - 1.97), 9);
  });
  it('the bot\'s own exit keeps the reason it gave', () => {
    const [trade] = bookClosingFills(position, [fill({ type: 'market' })], new Map([['o1', 'kill-switch' as const]]));
    expect(trade?.exitReason).toBe('kill-switch');
  });
});
