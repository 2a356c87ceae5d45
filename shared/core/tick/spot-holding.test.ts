import { describe, expect, it } from 'vitest';
import type { ExchangeTrade } from '../../ports/exchange.port.js';
import {
  applyBotFills,
  emptySpotLedger,
  MAX_BOT_ORDERS,
  SPOT_LOOKBACK_MS,
  spotPositionView,
  withBotOrder,
} from './spot-holding.js';

const T0 = Date.UTC(2026, 0, 5);
let nextTrade = 1;
const fill = (
  orderId: string,
  side: 'buy' | 'sell',
  amountBtc: string,
  priceJpy: number,
  atMs: number,
  over: Partial<ExchangeTrade> = {},
): ExchangeTrade => ({
  tradeId: String(nextTrade++),
  orderId,
  pair: 'btc_jpy',
  side,
  type: 'market',
  amountBtc,
  priceJpy: String(priceJpy),
  feeJpy: '1',
  makerTaker: 'taker',
  executedAtMs: atMs,
  ...over,
});

describe('spot ledger: the BTC the bot bought, from the fills of its own orders', () => {
  const start = withBotOrder(withBotOrder(emptySpotLedger('btc_jpy', T0), '11', T0), '12', T0);

  it("counts the bot's buys and sells only: a person's spot trades, margin fills and other pairs are not the bot's", () => {
    const trades = [
      fill('11', 'buy', '0.0010', 10_000_000, T0 + 1_000),
      fill('11', 'buy', '0.0010', 12_000_000, T0 + 2_000),
      fill('99', 'buy', '0.5000', 10_000_000, T0 + 3_000), // a person's buy on the same account
      fill('99', 'sell', '0.1000', 10_000_000, T0 + 3_500),
      fill('11', 'buy', '0.0010', 10_000_000, T0 + 4_000, { positionSide: 'long' }), // a margin fill
      fill('11', 'buy', '0.0010', 10_000_000, T0 + 4_000, { pair: 'eth_jpy' }),
    ];
    const bought = applyBotFills(start, trades, T0 + 5_000);
    expect([bought.amountBtc, bought.averagePriceJpy, bought.syncedToMs]).toEqual(['0.002', 11_000_000, T0 + 2_000]);
    const sold = applyBotFills(bought, [...trades, fill('12', 'sell', '0.0005', 13_000_000, T0 + 6_000)], T0 + 7_000);
    expect([sold.amountBtc, sold.averagePriceJpy]).toEqual(['0.0015', 11_000_000]);
  });

  it('fills of the same millisecond count in trade-id order (a buy then its sell is flat, whatever order they are read in)', () => {
    const buy = fill('11', 'buy', '0.0001', 10_000_000, T0 + 1_000);
    const sell = fill('12', 'sell', '0.0001', 10_000_000, T0 + 1_000);
    expect(applyBotFills(start, [sell, buy], T0 + 2_000).amountBtc).toBe('0');
  });

  it('a fill read again is counted once; fills older than the re-read window are forgotten', () => {
    const first = fill('11', 'buy', '0.0010', 10_000_000, T0 + 1_000);
    const once = applyBotFills(start, [first], T0 + 2_000);
    expect(applyBotFills(once, [first], T0 + 3_000)).toBe(once);
    const later = fill('12', 'sell', '0.0010', 11_000_000, T0 + SPOT_LOOKBACK_MS + 5_000);
    const flat = applyBotFills(once, [first, later], T0 + SPOT_LOOKBACK_MS + 6_000);
    expect([flat.amountBtc, flat.averagePriceJpy, flat.appliedTradeIds]).toEqual(['0', 0, [later.tradeId]]);
  });

  it('keeps at most MAX_BOT_ORDERS order ids, the newest', () => {
    let ledger = emptySpotLedger('btc_jpy', T0);
    for (let i = 0; i < MAX_BOT_ORDERS + 3; i += 1) ledger = withBotOrder(ledger, String(i), T0);
    expect(ledger.botOrderIds).toHaveLength(MAX_BOT_ORDERS);
    expect(ledger.botOrderIds[0]).toBe('3');
    expect(withBotOrder(ledger, '7', T0)).toBe(ledger);
  });
});

describe('spotPositionView: balance >= holding', () => {
  const holding = { ...emptySpotLedger('btc_jpy', T0), amountBtc: '0.0020', averagePriceJpy: 11_000_000 };

  it("an account holding more BTC than the bot bought shows the bot's holding only", () => {
    const view = spotPositionView(holding, '0.52000000', '0.0001', T0);
    expect(view.positions).toEqual([
      {
        pair: 'btc_jpy',
        side: 'long',
        amountBtc: '0.0020',
        averagePriceJpy: '11000000',
        unrealizedFeeJpy: '0',
        unrealizedInterestJpy: '0',
      },
    ]);
    expect(view.shortfallBtc).toBeUndefined();
    expect(view.ledger).toBe(holding);
  });

  it('less BTC than the bot bought is a shortfall: the position and the ledger are cut to the balance (on the lot)', () => {
    const view = spotPositionView(holding, '0.00125', '0.0001', T0 + 1);
    expect([view.positions[0]?.amountBtc, view.shortfallBtc, view.ledger.amountBtc]).toEqual([
      '0.0012',
      '0.0008',
      '0.0012',
    ]);
    const gone = spotPositionView(holding, '0.00005', '0.0001', T0 + 1);
    expect([gone.positions, gone.shortfallBtc, gone.ledger.amountBtc, gone.ledger.averagePriceJpy]).toEqual([
      [],
      '0.002',
      '0',
      0,
    ]);
  });

  it('flat: no position whatever the account holds', () => {
    expect(spotPositionView(emptySpotLedger('btc_jpy', T0), '3', '0.0001', T0).positions).toEqual([]);
  });
});
