import { describe, expect, it } from 'vitest';
import { BITBANK_BTC_JPY as RULES } from '../../shared/core/market-rules.js';
import { at, backtestTrades, CANDLES, drive, P, SLIPPAGE } from '../../shared/testing/fill-parity-script.js';
import { FakeExchange } from './exchange.js';

/** The script of shared/testing/fill-parity-script.ts: the backtest books it as stated; the fake bitbank (its own book) agrees within its spread. */
describe('the fill model: backtest on its own', () => {
  it('books the script as stated', () => {
    const [a, b] = backtestTrades();
    expect(a).toMatchObject({ entryPriceJpy: P, exitPriceJpy: P + 200_000, entryHour: 4, exitHour: 5, interestJpy: 0 });
    expect(a!.feesJpy).toBeCloseTo(0.001 * (P + P + 200_000) * RULES.marginMakerFeeRate, 9);
    expect(b).toMatchObject({ entryHour: 10, exitHour: 16 });
    expect(b!.entryPriceJpy).toBeCloseTo((P + 30_000) * (1 + SLIPPAGE), 6);
    expect(b!.exitPriceJpy).toBeCloseTo((P - 200_000) * (1 - SLIPPAGE), 6);
    expect(b!.interestJpy).toBeCloseTo(0.001 * b!.entryPriceJpy * RULES.marginLongInterestDaily, 9);
  });
});

describe('the fill model: the fake bitbank agrees within its spread', () => {
  /** The fake's ticker is last -/+ 0.05 % and its stops have no slippage: prices within 0.15 % of the backtest's, fees and interest within the same share. */
  const TOLERANCE = 0.0015;

  it('same hours and maker/taker, prices, fees and interest within 0.15 %', async () => {
    const fake = new FakeExchange({ candles: CANDLES, nowMs: at(4), initialJpy: 1_000_000, initialBtc: 0 });
    const id = (o: unknown): string => String((o as { order_id: number }).order_id);
    const toOrder = (o: unknown) => {
      const raw = o as { order_id: number; status: string };
      return { orderId: String(raw.order_id), status: raw.status } as never;
    };
    const booked = await drive({
      exchange: {
        placeOrder: async (r) =>
          toOrder(
            fake.createOrder({
              pair: r.pair,
              side: r.side,
              position_side: r.positionSide,
              type: r.type,
              amount: r.amountBtc,
              ...(r.priceJpy ? { price: r.priceJpy } : {}),
              ...(r.triggerPriceJpy ? { trigger_price: r.triggerPriceJpy } : {}),
              ...(r.postOnly ? { post_only: true } : {}),
            }),
          ),
        fetchOrder: async (pair, orderId) => toOrder(fake.getOrder({ pair, order_id: orderId })),
        cancelOrder: async (pair, orderId) => toOrder(fake.cancelOrder({ pair, order_id: orderId })),
        fetchTicker: async (pair) => {
          const q = fake.replay.quote(fake.nowMs);
          return { pair, lastJpy: q.last, bidJpy: q.bid, askJpy: q.ask, timestampMs: fake.nowMs };
        },
      },
      advance: async (t) => fake.setClock(t),
      fills: async () =>
        (
          fake.tradeHistory({ pair: 'btc_jpy', order: 'asc' }) as { trades: Array<Record<string, string | number>> }
        ).trades.map((t) => ({
          orderId: id(t),
          priceJpy: Number(t.price),
          feeJpy: Number(t.fee_amount_quote),
          interestJpy: Number(t.interest ?? 0),
          liquidity: String(t.maker_taker),
          atMs: Number(t.executed_at),
        })),
    });
    const expected = backtestTrades();
    expect(booked).toHaveLength(expected.length);
    for (const [i, trade] of booked.entries()) {
      const want = expected[i]!;
      expect([trade.entryHour, trade.exitHour]).toEqual([want.entryHour, want.exitHour]);
      for (const key of ['entryPriceJpy', 'exitPriceJpy'] as const)
        expect(Math.abs(trade[key] / want[key] - 1), key).toBeLessThanOrEqual(TOLERANCE);
      const valueJpy = 0.001 * want.entryPriceJpy;
      for (const key of ['feesJpy', 'interestJpy'] as const)
        expect(Math.abs(trade[key] - want[key]), key).toBeLessThanOrEqual(
          valueJpy * TOLERANCE * 2 * RULES.marginTakerFeeRate + 0.01,
        );
    }
  });
});
