import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, type Candle } from '../../shared/core/candle.js';
import { Account } from './account.js';
import { Book } from './book.js';
import { orderPayload, tradePayload } from './payloads.js';
import { chargedRates, defaultMarketState } from './market.js';
import { parseOrderRequest } from './order-request.js';

const T0 = Date.UTC(2024, 0, 1, 0);
/** The rates the fake charges by default (bitbank's schedule); fees below are derived from them. */
const rates = chargedRates(defaultMarketState());
const fee = (valueJpy: number, rate: string): Decimal => new Decimal(valueJpy).mul(rate);
const quote = { last: new Decimal(10_000_000), bid: new Decimal(9_995_000), ask: new Decimal(10_005_000) };
const bar = (i: number, o: number, h: number, l: number, c: number, volume = 100): Candle => ({
  openTimeMs: T0 + i * HOUR_MS,
  open: o,
  high: h,
  low: l,
  close: c,
  volume,
});

function setup(
  jpy = 10_000_000,
  btc = 1,
  fraction?: number,
): {
  account: Account;
  book: Book;
  place: (body: Record<string, unknown>, nowMs?: number) => ReturnType<Book['place']>;
} {
  const account = new Account(jpy, btc);
  const book = new Book(account, { maxFillFractionOfVolume: fraction });
  const place = (body: Record<string, unknown>, nowMs = T0) =>
    book.place(parseOrderRequest({ pair: 'btc_jpy', ...body }, defaultMarketState()), nowMs, quote);
  return { account, book, place };
}

describe('Book: market and limit orders on spot', () => {
  it('fills a market buy at the ask with the taker fee', () => {
    const { account, book, place } = setup();
    const order = place({ side: 'buy', type: 'market', amount: '0.1' });
    expect(order.status).toBe('FULLY_FILLED');
    const trade = tradePayload(book.trades[0]!);
    expect([trade.price, trade.fee_amount_quote, trade.maker_taker]).toEqual([
      '10005000',
      fee(1_000_500, rates.taker).toFixed(4),
      'taker',
    ]);
    expect(account.jpy.toString()).toBe(
      new Decimal(10_000_000).minus(1_000_500).minus(fee(1_000_500, rates.taker)).toString(),
    );
    expect(account.btc.toString()).toBe('1.1');
  });

  it('rests a limit buy (JPY locked), fills it as maker with the maker fee when a bar trades through it', () => {
    const { account, book, place } = setup();
    const order = place({ side: 'buy', type: 'limit', amount: '0.1', price: '9900000' });
    expect(order.status).toBe('UNFILLED');
    expect(account.lockedJpy.toString()).toBe('990000');
    book.onBar(bar(0, 10_000_000, 10_010_000, 9_900_000, 9_950_000));
    expect(order.status).toBe('UNFILLED'); // touching is not trading through
    book.onBar(bar(1, 9_950_000, 9_960_000, 9_899_999, 9_950_000));
    expect(orderPayload(order)).toMatchObject({
      status: 'FULLY_FILLED',
      executed_amount: '0.1000',
      average_price: '9900000.0000',
    });
    expect(tradePayload(book.trades[0]!)).toMatchObject({
      maker_taker: 'maker',
      fee_amount_quote: fee(990_000, rates.maker).toFixed(4),
      executed_at: T0 + HOUR_MS,
    });
    expect(account.lockedJpy.toString()).toBe('0');
    expect(account.jpy.toString()).toBe(new Decimal(10_000_000 - 990_000).minus(fee(990_000, rates.maker)).toString());
  });

  it('fills partially: at most the volume fraction per bar', () => {
    const { book, place } = setup(10_000_000, 1, 0.1);
    const order = place({ side: 'sell', type: 'limit', amount: '0.0025', price: '10100000' });
    book.onBar(bar(0, 10_000_000, 10_200_000, 9_990_000, 10_150_000, 0.01));
    expect(orderPayload(order)).toMatchObject({
      status: 'PARTIALLY_FILLED',
      executed_amount: '0.0010',
      remaining_amount: '0.0015',
    });
    book.onBar(bar(1, 10_150_000, 10_200_000, 10_050_000, 10_150_000, 0.01));
    book.onBar(bar(2, 10_150_000, 10_200_000, 10_050_000, 10_150_000, 0.01));
    expect(orderPayload(order)).toMatchObject({ status: 'FULLY_FILLED', executed_amount: '0.0025' });
  });

  it('takes a crossing limit at the ask; cancels a crossing post-only instead', () => {
    const { place } = setup();
    expect(orderPayload(place({ side: 'buy', type: 'limit', amount: '0.01', price: '10100000' }))).toMatchObject({
      status: 'FULLY_FILLED',
      average_price: '10005000.0000',
    });
    expect(place({ side: 'buy', type: 'limit', amount: '0.01', price: '10100000', post_only: true }).status).toBe(
      'CANCELED_UNFILLED',
    );
    expect(place({ side: 'buy', type: 'limit', amount: '0.01', price: '9000000', post_only: true }).status).toBe(
      'UNFILLED',
    );
  });

  it('rejects with bitbank codes: funds 60001, min amount 60004, off-lot 40001, 31st open order 60011, post-only market 40114', () => {
    const { place } = setup(1000, 0);
    expect(() => place({ side: 'buy', type: 'market', amount: '0.01' })).toThrow(
      expect.objectContaining({ code: 60001 }),
    );
    expect(() => place({ side: 'sell', type: 'limit', amount: '0.01', price: '1' })).toThrow(
      expect.objectContaining({ code: 60001 }),
    );
    expect(() => place({ side: 'buy', type: 'market', amount: '0.00001' })).toThrow(
      expect.objectContaining({ code: 40001 }),
    );
    expect(() =>
      parseOrderRequest(
        { pair: 'btc_jpy', side: 'buy', type: 'market', amount: '0.0001' },
        { ...defaultMarketState(), minAmountBtc: '0.001' },
      ),
    ).toThrow(expect.objectContaining({ code: 60004 }));
    expect(() => place({ side: 'buy', type: 'market', amount: '0.01', post_only: true })).toThrow(
      expect.objectContaining({ code: 40114 }),
    );
    const rich = setup();
    for (let i = 0; i < 30; i += 1) rich.place({ side: 'buy', type: 'limit', amount: '0.0001', price: '5000000' });
    expect(() => rich.place({ side: 'buy', type: 'limit', amount: '0.0001', price: '5000000' })).toThrow(
      expect.objectContaining({ code: 60011 }),
    );
  });
});

describe('Book: margin positions and trigger orders', () => {
  it('opens a long, charges daily interest, closes it with profit_loss and interest in the trade', () => {
    const { account, book, place } = setup(10_000_000, 0);
    place({ side: 'buy', position_side: 'long', type: 'market', amount: '0.1' });
    expect(account.positionsPayload().positions).toEqual([
      expect.objectContaining({
        position_side: 'long',
        open_amount: '0.1000',
        average_price: '10005000.0000',
        unrealized_fee_amount: fee(1_000_500, rates.taker).toFixed(4),
      }),
    ]);
    account.accrueInterest(T0, T0 + DAY_MS, rates.interestDaily); // passes one 00:00 JST
    const interest = fee(1_000_500, rates.interestDaily);
    expect(account.positionsPayload().positions).toEqual([
      expect.objectContaining({ unrealized_interest_amount: interest.toFixed(4) }),
    ]);
    const close = place({ side: 'sell', position_side: 'long', type: 'market', amount: '0.1' }, T0 + DAY_MS);
    expect(close.status).toBe('FULLY_FILLED');
    const trade = tradePayload(book.trades[1]!);
    expect(trade).toMatchObject({
      position_side: 'long',
      price: '9995000',
      profit_loss: '-1000.0000',
      interest: interest.toFixed(4),
      fee_amount_quote: fee(999_500, rates.taker).toFixed(4),
    });
    expect(account.positions.size).toBe(0);
    expect(account.jpy.toString()).toBe(
      new Decimal(10_000_000 - 1000)
        .minus(fee(999_500, rates.taker))
        .minus(fee(1_000_500, rates.taker))
        .minus(interest)
        .toString(),
    );
    expect(account.btc.toString()).toBe('0');
  });

  it('refuses to close more than the open position, and take-profit/stop-loss in the opening direction (60019)', () => {
    const { place } = setup();
    place({ side: 'sell', position_side: 'short', type: 'market', amount: '0.01' });
    expect(() => place({ side: 'buy', position_side: 'short', type: 'market', amount: '0.02' })).toThrow(
      expect.objectContaining({ code: 60001 }),
    );
    expect(() =>
      place({ side: 'sell', position_side: 'short', type: 'stop_loss', amount: '0.01', trigger_price: '11000000' }),
    ).toThrow(expect.objectContaining({ code: 60019 }));
  });

  it('spot stops (no position_side): a stop sell sells BTC for JPY less the taker fee; gone BTC cancels it; take_profit/stop_loss are margin-only (60019)', () => {
    const { account, book, place } = setup(1_000_000, 0.01);
    const stop = place({ side: 'sell', type: 'stop', amount: '0.01', trigger_price: '9800000' });
    expect(stop.status).toBe('INACTIVE');
    expect(() => place({ side: 'sell', type: 'take_profit', amount: '0.01', trigger_price: '11000000' })).toThrow(
      expect.objectContaining({ code: 60019 }),
    );
    expect(() => place({ side: 'sell', type: 'stop_loss', amount: '0.01', trigger_price: '9000000' })).toThrow(
      expect.objectContaining({ code: 60019 }),
    );
    expect(() => place({ side: 'sell', type: 'market', amount: '0.02' })).toThrow(
      expect.objectContaining({ code: 60001 }),
    );
    book.onBar(bar(0, 9_850_000, 9_860_000, 9_700_000, 9_750_000));
    expect(orderPayload(stop)).toMatchObject({ status: 'FULLY_FILLED', average_price: '9800000.0000' });
    expect(account.btc.toString()).toBe('0');
    expect(account.jpy.toString()).toBe(new Decimal(1_000_000).plus(98_000).minus(fee(98_000, rates.taker)).toString());
    expect(account.positions.size).toBe(0);
    account.btc = new Decimal(0.01);
    const orphan = place({ side: 'sell', type: 'stop', amount: '0.01', trigger_price: '9600000' }, T0 + HOUR_MS);
    account.btc = new Decimal(0); // sold elsewhere before the trigger
    book.onBar(bar(1, 9_700_000, 9_700_000, 9_500_000, 9_550_000));
    expect([orphan.status, account.btc.toString()]).toEqual(['CANCELED_UNFILLED', '0']);
  });

  it('triggers a stop at its price, or at the gap open when that is worse', () => {
    const { book, place } = setup();
    place({ side: 'buy', position_side: 'long', type: 'market', amount: '0.02' });
    const stop = place({ side: 'sell', position_side: 'long', type: 'stop', amount: '0.01', trigger_price: '9800000' });
    const gap = place({
      side: 'sell',
      position_side: 'long',
      type: 'stop_loss',
      amount: '0.01',
      trigger_price: '9900000',
    });
    expect([stop.status, gap.status]).toEqual(['INACTIVE', 'INACTIVE']);
    book.onBar(bar(0, 9_850_000, 9_860_000, 9_700_000, 9_750_000));
    expect(orderPayload(stop)).toMatchObject({
      status: 'FULLY_FILLED',
      average_price: '9800000.0000',
      triggered_at: T0,
    });
    expect(orderPayload(gap)).toMatchObject({ status: 'FULLY_FILLED', average_price: '9850000.0000' });
  });

  it('triggers a take-profit on the favourable side and a stop_limit that then rests', () => {
    const { book, place } = setup();
    place({ side: 'sell', position_side: 'short', type: 'market', amount: '0.02' });
    const tp = place({
      side: 'buy',
      position_side: 'short',
      type: 'take_profit',
      amount: '0.01',
      trigger_price: '9500000',
    });
    const stopLimit = place({
      side: 'buy',
      position_side: 'short',
      type: 'stop_limit',
      amount: '0.01',
      trigger_price: '10200000',
      price: '10150000',
    });
    book.onBar(bar(0, 10_000_000, 10_250_000, 9_950_000, 10_200_000));
    expect(tp.status).toBe('INACTIVE');
    expect(stopLimit.status).toBe('UNFILLED');
    expect(stopLimit.triggeredAtMs).toBe(T0);
    book.onBar(bar(1, 10_200_000, 10_210_000, 9_400_000, 9_450_000));
    expect(orderPayload(tp)).toMatchObject({ status: 'FULLY_FILLED', average_price: '9500000.0000' });
    expect(orderPayload(stopLimit)).toMatchObject({ status: 'FULLY_FILLED', average_price: '10150000.0000' });
  });

  it('cancels with the right codes: already canceled 50026, executed 50027, unknown 50009', () => {
    const { book, place } = setup();
    const resting = place({ side: 'buy', type: 'limit', amount: '0.01', price: '9000000' });
    expect(book.cancel(resting.orderId, T0).status).toBe('CANCELED_UNFILLED');
    expect(() => book.cancel(resting.orderId, T0)).toThrow(expect.objectContaining({ code: 50026 }));
    const filled = place({ side: 'buy', type: 'market', amount: '0.01' });
    expect(() => book.cancel(filled.orderId, T0)).toThrow(expect.objectContaining({ code: 50027 }));
    expect(() => book.cancel(42, T0)).toThrow(expect.objectContaining({ code: 50009 }));
  });
});

describe('FakeExchange: loss-cut', () => {
  it('closes every position with a losscut order when a bar takes the margin ratio under the loss-cut level', async () => {
    const { FakeExchange } = await import('./exchange.js');
    const bars: Candle[] = Array.from({ length: 3 }, (_, i) => bar(i, 10_000_000, 10_010_000, 9_990_000, 10_000_000));
    bars.push(bar(3, 10_000_000, 10_000_000, 6_000_000, 7_000_000));
    const exchange = new FakeExchange({ candles: bars, nowMs: T0 + 3 * HOUR_MS, initialJpy: 1_000_000, initialBtc: 0 });
    exchange.createOrder({ pair: 'btc_jpy', side: 'buy', position_side: 'long', type: 'market', amount: '0.19' });
    exchange.setClock(T0 + 3 * HOUR_MS + 1);
    expect((exchange.marginStatus() as { status: string }).status).toBe('NORMAL');
    exchange.setClock(T0 + 4 * HOUR_MS);
    const losscut = exchange.book.orders.find((o) => o.type === 'losscut');
    expect(losscut && orderPayload(losscut)).toMatchObject({
      side: 'sell',
      position_side: 'long',
      status: 'FULLY_FILLED',
      executed_amount: '0.1900',
      average_price: '6000000.0000',
    });
    expect(exchange.account.positions.size).toBe(0);
    expect(() => exchange.createOrder({ pair: 'btc_jpy', side: 'sell', type: 'losscut', amount: '0.1' })).toThrow(
      expect.objectContaining({ code: 40024 }),
    );
  });
});
