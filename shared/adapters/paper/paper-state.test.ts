import { describe, expect, it } from 'vitest';
import { applyFill, restingFillPrice, type PaperAccount, type PaperOrder } from './paper-state.js';
import { BITBANK_BTC_JPY } from '../../core/market-rules.js';

const H = 3_600_000;
const rules = BITBANK_BTC_JPY;
const taker = rules.marginTakerFeeRate;
const order = (over: Partial<PaperOrder>): PaperOrder => ({
  orderId: '1',
  pair: 'btc_jpy',
  side: 'sell',
  positionSide: 'long',
  type: 'stop',
  amountBtc: '0.001',
  remainingBtc: '0.001',
  executedBtc: '0',
  triggerPriceJpy: '9900000',
  status: 'UNFILLED',
  orderedAtMs: 0,
  open: true,
  ...over,
});
const bar = (open: number, high: number, low: number, close: number) => ({
  openTimeMs: 10 * H,
  open,
  high,
  low,
  close,
  volume: 1,
});

describe("paper fill rules (the backtester's)", () => {
  it('a stop fills at its trigger when touched (stamped at the bar close), at the open when the bar gapped through it', () => {
    expect(restingFillPrice(order({}), bar(10_000_000, 10_100_000, 9_850_000, 9_950_000))).toEqual({
      priceJpy: 9_900_000,
      atMs: 11 * H - 1,
      liquidity: 'taker',
    });
    expect(restingFillPrice(order({}), bar(9_800_000, 9_850_000, 9_700_000, 9_750_000))).toEqual({
      priceJpy: 9_800_000,
      atMs: 10 * H,
      liquidity: 'taker',
    });
    expect(restingFillPrice(order({}), bar(10_000_000, 10_100_000, 9_900_001, 9_950_000))).toBeUndefined();
    expect(
      restingFillPrice(
        order({ side: 'buy', positionSide: 'short', triggerPriceJpy: '10100000' }),
        bar(10_000_000, 10_100_000, 9_900_000, 10_000_000),
      )?.priceJpy,
    ).toBe(10_100_000);
  });
  it("with slippage, a stop fills that fraction worse (the backtester's model)", () => {
    expect(restingFillPrice(order({}), bar(10_000_000, 10_100_000, 9_850_000, 9_950_000), 0.001)?.priceJpy).toBeCloseTo(
      9_900_000 * 0.999,
      6,
    );
  });
  it('a resting limit fills at its price as maker only when a bar trades THROUGH it (touching is not enough)', () => {
    const tp = order({ type: 'limit', priceJpy: '10200000', triggerPriceJpy: undefined });
    expect(restingFillPrice(tp, bar(10_300_000, 10_400_000, 10_250_000, 10_300_000))).toEqual({
      priceJpy: 10_200_000,
      atMs: 11 * H - 1,
      liquidity: 'maker',
    });
    expect(restingFillPrice(tp, bar(10_000_000, 10_200_000, 9_900_000, 10_100_000))).toBeUndefined();
    expect(restingFillPrice(tp, bar(10_000_000, 10_199_999, 9_900_000, 10_100_000))).toBeUndefined();
  });
  it('a take_profit trigger order fills as taker at its trigger, or at the better open it gapped to (as bitbank: a market order once triggered)', () => {
    const tp = order({ type: 'take_profit', triggerPriceJpy: '10200000' });
    expect(restingFillPrice(tp, bar(10_000_000, 10_200_000, 9_900_000, 10_100_000))).toEqual({
      priceJpy: 10_200_000,
      atMs: 11 * H - 1,
      liquidity: 'taker',
    });
    expect(restingFillPrice(tp, bar(10_300_000, 10_400_000, 10_250_000, 10_300_000))).toEqual({
      priceJpy: 10_300_000,
      atMs: 10 * H,
      liquidity: 'taker',
    });
  });
  it('opening and closing a long: fees, average price, realised P&L with interest', () => {
    const account: PaperAccount = {
      pair: 'btc_jpy',
      cashJpy: 100_000,
      btc: '0',
      positions: [],
      processedUntilMs: 0,
      nextOrderId: 3,
      nextTradeId: 1,
      updatedAtMs: 0,
    };
    applyFill(account, order({ side: 'buy', type: 'market', amountBtc: '0.001' }), 10_000_000, 0, 'taker', rules);
    applyFill(account, order({ side: 'buy', type: 'market', amountBtc: '0.001' }), 10_200_000, 0, 'taker', rules);
    expect(account.positions).toEqual([
      { side: 'long', amountBtc: '0.002', averagePriceJpy: 10_100_000, openedAtMs: 0 },
    ]);
    const entryFees = 10_000 * taker + 10_200 * taker;
    expect(account.cashJpy).toBeCloseTo(100_000 - entryFees, 9);
    const trade = applyFill(account, order({ type: 'stop', amountBtc: '0.002' }), 10_000_000, 24 * H, 'taker', rules);
    // P&L (10,000,000 - 10,100,000) x 0.002 = -200; interest 0.002 x 10,100,000 x daily rate x 1 day (one 00:00 JST in 24 h)
    const interest = 20_200 * rules.marginLongInterestDaily;
    expect(trade).toMatchObject({
      profitLossJpy: '-200',
      feeJpy: String(20_000 * taker),
      interestJpy: String(interest),
      tradeId: '3',
    });
    expect(account.positions).toEqual([]);
    expect(account.cashJpy).toBeCloseTo(100_000 - entryFees - 200 - 20_000 * taker - interest, 9);
  });
  it('margin interest as bitbank charges it: a day at each 00:00 JST (15:00 UTC) the position is open, none otherwise', () => {
    const account: PaperAccount = {
      pair: 'btc_jpy',
      cashJpy: 100_000,
      btc: '0',
      positions: [],
      processedUntilMs: 0,
      nextOrderId: 1,
      nextTradeId: 1,
      updatedAtMs: 0,
    };
    applyFill(account, order({ side: 'buy', type: 'market', amountBtc: '0.001' }), 10_000_000, 13 * H, 'taker', rules);
    expect(applyFill(account, order({ type: 'stop' }), 10_000_000, 16 * H, 'taker', rules).interestJpy).toBe(
      String(10_000 * rules.marginLongInterestDaily),
    );
    applyFill(account, order({ side: 'buy', type: 'market', amountBtc: '0.001' }), 10_000_000, 29 * H, 'taker', rules);
    expect(applyFill(account, order({ type: 'stop' }), 10_000_000, 38 * H, 'taker', rules).interestJpy).toBe('0');
  });
  it('refuses to close more than the position', () => {
    const account: PaperAccount = {
      pair: 'btc_jpy',
      cashJpy: 100_000,
      btc: '0',
      positions: [{ side: 'long', amountBtc: '0.001', averagePriceJpy: 1, openedAtMs: 0 }],
      processedUntilMs: 0,
      nextOrderId: 1,
      nextTradeId: 1,
      updatedAtMs: 0,
    };
    expect(() => applyFill(account, order({ amountBtc: '0.002' }), 1, 0, 'taker', rules)).toThrow(
      expect.objectContaining({ code: 'EXCHANGE.ORDER_REJECTED' }),
    );
  });
});
