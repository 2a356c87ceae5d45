import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { HOUR_MS, type Candle } from '../../shared/core/candle.js';
import { BotError } from '../../shared/core/errors.js';
import { BITBANK_FEE_SCHEDULE } from '../../shared/core/market-rules.js';
import { toOrderPrice } from '../../shared/core/money.js';
import { MARKETS, type Market } from '../../shared/core/market.js';
import { createSpotExchange } from '../../shared/adapters/spot/spot-exchange.js';
import { memorySpotLedgers, type SpotLedgerStore } from '../../shared/adapters/spot/spot-ledger-store.js';
import { JsonLogger } from '../../shared/adapters/json-logger.js';
import { systemClock } from '../../shared/adapters/system-clock.js';
import {
  OPEN_ORDER_STATUSES,
  type Exchange,
  type MarketRules,
  type OrderRequest,
  type PositionSide,
} from '../../shared/ports/exchange.port.js';

/**
 * The contract every `Exchange` must keep, written once and run against each implementation:
 * the bitbank adapter over the fake bitbank (through real ccxt) and the paper exchange.
 */
export interface ExchangeHarness {
  exchange: Exchange;
  /** The replayed 1h candles the market follows (prices in JPY). */
  candles: readonly Candle[];
  /** The market's clock now (the fake's replay clock). */
  nowMs(): number;
  /** Moves the market's clock forward; resting orders the bars cross fill. */
  advanceTo(nowMs: number): Promise<void>;
  /** Limit orders can fill partly in one bar (the implementation caps fills by bar volume). */
  partialFills: boolean;
  close(): Promise<void>;
}

/** Builds the harness for one market (BOT_MARKET): on spot the exchange is wrapped by `onMarket`. */
export type HarnessFactory = (market: Market) => Promise<ExchangeHarness>;

/**
 * The exchange as the tick sees it on `market`: as is on margin; on spot behind the spot exchange
 * (shared/adapters/spot), its ledger in memory unless one is given, on the market's clock.
 */
export function onMarket(
  exchange: Exchange,
  market: Market,
  nowMs: () => number,
  ledgers: SpotLedgerStore = memorySpotLedgers(),
): Exchange {
  if (market === 'margin') return exchange;
  const clock = { nowMs, sleep: (ms: number, signal?: AbortSignal) => systemClock.sleep(ms, signal) };
  return createSpotExchange({
    inner: exchange,
    pair: PAIR,
    ledgers,
    clock,
    logger: new JsonLogger({ write: () => undefined }),
  });
}

const PAIR = 'btc_jpy';
const expectCode = async (promise: Promise<unknown>, code: string): Promise<BotError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(BotError);
  expect((error as BotError).code).toBe(code);
  return error as BotError;
};

export function exchangeContract(name: string, factory: HarnessFactory, markets: readonly Market[] = MARKETS): void {
  describe.each(markets)(`Exchange contract on %s: ${name}`, (market) => {
    /** The position side of a sell: a short opens on margin; on spot a sell only closes the bot's long. */
    const sellSide: PositionSide = market === 'spot' ? 'long' : 'short';
    let h: ExchangeHarness;
    let rules: MarketRules;
    const ex = (): Exchange => h.exchange;
    const nextBarMs = (): number => Math.floor(h.nowMs() / HOUR_MS) * HOUR_MS + HOUR_MS;
    const lastJpy = async (): Promise<Decimal> => new Decimal((await ex().fetchTicker(PAIR)).lastJpy);

    beforeAll(async () => {
      h = await factory(market);
      rules = await ex().loadMarketRules(PAIR);
    });
    afterAll(async () => h?.close());

    it('market rules: lot, tick, minimum, fees and margin interest from the exchange', () => {
      expect(rules).toMatchObject({ pair: PAIR, lotBtc: '0.0001', tickJpy: '1' });
      expect(new Decimal(rules.minAmountBtc).gte(rules.lotBtc)).toBe(true);
      // Both the fake and the paper exchange's feed serve bitbank's schedule since 2026-02-02 (shared/core/market-rules.ts).
      expect(rules).toMatchObject({
        makerFeeRate: BITBANK_FEE_SCHEDULE.makerFeeRate,
        takerFeeRate: BITBANK_FEE_SCHEDULE.takerFeeRate,
        marginMakerFeeRate: BITBANK_FEE_SCHEDULE.makerFeeRate,
        marginTakerFeeRate: BITBANK_FEE_SCHEDULE.takerFeeRate,
        marginLongInterestDaily: BITBANK_FEE_SCHEDULE.marginInterestDaily,
        marginShortInterestDaily: BITBANK_FEE_SCHEDULE.marginInterestDaily,
      });
    });

    it('candles over several days: every closed bar, ascending, none in progress', async () => {
      const nowMs = h.nowMs();
      const fromMs = Math.floor(nowMs / HOUR_MS) * HOUR_MS - 80 * HOUR_MS;
      const candles = await ex().fetchClosedCandles({
        pair: PAIR,
        timeframe: '1h',
        fromMs,
        toMs: nowMs + 5 * HOUR_MS,
        nowMs,
      });
      const expected = h.candles.filter((c) => c.openTimeMs >= fromMs && c.openTimeMs + HOUR_MS <= nowMs);
      expect(candles.map((c) => c.openTimeMs)).toEqual(expected.map((c) => c.openTimeMs));
      expect(candles.length).toBe(80);
      for (const [i, c] of candles.entries())
        expect(Math.abs(c.close - (expected[i] as Candle).close)).toBeLessThanOrEqual(0.5);
    });

    it('ticker and balances', async () => {
      const t = await ex().fetchTicker(PAIR);
      expect(new Decimal(t.bidJpy).lt(t.askJpy)).toBe(true);
      const balances = await ex().fetchBalances();
      expect(balances.map((b) => b.asset)).toEqual(expect.arrayContaining(['jpy', 'btc']));
      expect(await ex().fetchCircuitBreakMode(PAIR)).toBe('NONE');
    });

    it('limit order: rests, is looked up by id, listed open, cancelled', async () => {
      const price = toOrderPrice((await lastJpy()).mul(0.8).toString(), rules, 'down');
      const placed = await ex().placeOrder({
        pair: PAIR,
        side: 'buy',
        type: 'limit',
        amountBtc: '0.0010',
        priceJpy: price,
        postOnly: true,
      });
      expect(placed).toMatchObject({
        pair: PAIR,
        side: 'buy',
        type: 'limit',
        amountBtc: '0.0010',
        priceJpy: price,
        status: 'UNFILLED',
      });
      expect(await ex().fetchOrder(PAIR, placed.orderId)).toMatchObject({
        orderId: placed.orderId,
        remainingBtc: '0.0010',
      });
      expect((await ex().fetchOpenOrders(PAIR)).map((o) => o.orderId)).toContain(placed.orderId);
      const cancelled = await ex().cancelOrder(PAIR, placed.orderId);
      expect(cancelled.status).toBe('CANCELED_UNFILLED');
      expect((await ex().fetchOpenOrders(PAIR)).map((o) => o.orderId)).not.toContain(placed.orderId);
      await expectCode(ex().cancelOrder(PAIR, placed.orderId), 'EXCHANGE.ORDER_REJECTED');
      await expectCode(ex().fetchOrder(PAIR, '987654321'), 'EXCHANGE.ORDER_NOT_FOUND');
    });

    it('post-only: a limit that would take is cancelled unfilled, as bitbank reports it; one that rests is a maker order', async () => {
      const sinceMs = h.nowMs();
      const ticker = await ex().fetchTicker(PAIR);
      const crossing = await ex().placeOrder({
        pair: PAIR,
        side: 'buy',
        positionSide: 'long',
        type: 'limit',
        amountBtc: '0.0010',
        priceJpy: toOrderPrice(ticker.askJpy, rules, 'up'),
        postOnly: true,
      });
      expect(crossing).toMatchObject({ status: 'CANCELED_UNFILLED', executedBtc: expect.stringMatching(/^0(\.0+)?$/) });
      expect((await ex().fetchOrder(PAIR, crossing.orderId)).status).toBe('CANCELED_UNFILLED');
      expect((await ex().fetchTrades(PAIR, sinceMs)).filter((t) => t.orderId === crossing.orderId)).toEqual([]);
      expect(await ex().fetchMarginPositions(PAIR)).toEqual([]);
      const sell = await ex().placeOrder({
        pair: PAIR,
        side: 'sell',
        positionSide: sellSide,
        type: 'limit',
        amountBtc: '0.0010',
        priceJpy: toOrderPrice(ticker.bidJpy, rules, 'down'),
        postOnly: true,
      });
      expect(sell.status).toBe('CANCELED_UNFILLED');
      const resting = await ex().placeOrder({
        pair: PAIR,
        side: 'sell',
        positionSide: sellSide,
        type: 'limit',
        amountBtc: '0.0010',
        priceJpy: toOrderPrice(new Decimal(ticker.askJpy).plus(1).toString(), rules, 'up'),
        postOnly: true,
      });
      expect(resting.status).toBe('UNFILLED');
      await ex().cancelOrder(PAIR, resting.orderId);
      await expectCode(
        ex().placeOrder({ pair: PAIR, side: 'buy', type: 'market', amountBtc: '0.0010', postOnly: true }),
        'EXCHANGE.ORDER_REJECTED',
      );
    });

    it('market order fills at once and shows in the trade history', async () => {
      const sinceMs = h.nowMs();
      const order = await ex().placeOrder({ pair: PAIR, side: 'buy', type: 'market', amountBtc: '0.0002' });
      const filled = await ex().fetchOrder(PAIR, order.orderId);
      expect(filled.status).toBe('FULLY_FILLED');
      expect([new Decimal(filled.executedBtc).toString(), new Decimal(filled.remainingBtc).toString()]).toEqual([
        '0.0002',
        '0',
      ]);
      const trades = (await ex().fetchTrades(PAIR, sinceMs)).filter((t) => t.orderId === order.orderId);
      expect(trades.length).toBeGreaterThan(0);
      expect(trades[0]).toMatchObject({ side: 'buy', makerTaker: 'taker' });
      expect(trades.reduce((sum, t) => sum.plus(t.amountBtc), new Decimal(0)).toString()).toBe('0.0002');
      // On spot the BTC the bot bought is its position; sold back, it is flat again (on margin a spot trade is no position).
      expect((await ex().fetchMarginPositions(PAIR)).map((p) => [p.side, new Decimal(p.amountBtc).toString()])).toEqual(
        market === 'spot' ? [['long', '0.0002']] : [],
      );
      await ex().placeOrder({ pair: PAIR, side: 'sell', type: 'market', amountBtc: '0.0002' });
      expect(await ex().fetchMarginPositions(PAIR)).toEqual([]);
    });

    const sides = [
      ['buy', 'sell', 'long'],
      ['sell', 'buy', 'short'],
    ] as const;
    for (const [open, close, positionSide] of market === 'spot' ? sides.slice(0, 1) : sides) {
      it(`${market} ${positionSide}: open, stop and take-profit resting, close, position gone`, async () => {
        const sinceMs = h.nowMs();
        const opened = await ex().placeOrder({
          pair: PAIR,
          side: open,
          positionSide,
          type: 'market',
          amountBtc: '0.0010',
        });
        expect((await ex().fetchOrder(PAIR, opened.orderId)).status).toBe('FULLY_FILLED');
        const positions = await ex().fetchMarginPositions(PAIR);
        expect(positions).toEqual([
          expect.objectContaining({ pair: PAIR, side: positionSide, amountBtc: expect.stringMatching(/^0\.001/) }),
        ]);
        const status = await ex().fetchMarginStatus();
        expect(status.status).toBe('NORMAL');
        expect(status.losscutPercentage === null || Number.isFinite(status.losscutPercentage)).toBe(true);

        const last = await lastJpy();
        const away = (f: number): string => toOrderPrice(last.mul(f).toString(), rules, 'nearest');
        // Spot has no stop_loss / take_profit types (bitbank ties them to a margin position): a stop and a sell limit.
        const protective: OrderRequest[] =
          market === 'spot'
            ? [{ pair: PAIR, side: close, positionSide, type: 'limit', amountBtc: '0.0010', priceJpy: away(1.3) }]
            : [
                {
                  pair: PAIR,
                  side: close,
                  positionSide,
                  type: 'stop_loss',
                  amountBtc: '0.0010',
                  triggerPriceJpy: positionSide === 'long' ? away(0.7) : away(1.3),
                },
                {
                  pair: PAIR,
                  side: close,
                  positionSide,
                  type: 'take_profit',
                  amountBtc: '0.0010',
                  triggerPriceJpy: positionSide === 'long' ? away(1.3) : away(0.7),
                },
              ];
        protective.push(
          {
            pair: PAIR,
            side: close,
            positionSide,
            type: 'stop',
            amountBtc: '0.0010',
            triggerPriceJpy: positionSide === 'long' ? away(0.7) : away(1.3),
          },
          {
            pair: PAIR,
            side: close,
            positionSide,
            type: 'stop_limit',
            amountBtc: '0.0010',
            triggerPriceJpy: positionSide === 'long' ? away(0.7) : away(1.3),
            priceJpy: positionSide === 'long' ? away(0.69) : away(1.31),
          },
        );
        for (const request of protective) {
          const order = await ex().placeOrder(request);
          expect(order).toMatchObject({
            type: request.type,
            positionSide,
            ...(request.triggerPriceJpy
              ? { triggerPriceJpy: request.triggerPriceJpy }
              : { priceJpy: request.priceJpy }),
          });
          expect(OPEN_ORDER_STATUSES).toContain(order.status);
          expect((await ex().cancelOrder(PAIR, order.orderId)).status).toBe('CANCELED_UNFILLED');
        }

        const closed = await ex().placeOrder({
          pair: PAIR,
          side: close,
          positionSide,
          type: 'market',
          amountBtc: '0.0010',
        });
        expect((await ex().fetchOrder(PAIR, closed.orderId)).status).toBe('FULLY_FILLED');
        expect(await ex().fetchMarginPositions(PAIR)).toEqual([]);
        const trades = (await ex().fetchTrades(PAIR, sinceMs)).filter((t) => t.orderId === closed.orderId);
        expect(trades[0]).toMatchObject({ side: close, positionSide });
      });
    }

    it('findOrder finds the order an intent describes, and nothing for another intent', async () => {
      const notBeforeMs = h.nowMs();
      const price = toOrderPrice((await lastJpy()).mul(1.25).toString(), rules, 'up');
      const request = {
        pair: PAIR,
        side: 'sell',
        positionSide: sellSide,
        type: 'limit',
        amountBtc: '0.0003',
        priceJpy: price,
      } as const;
      const placed = await ex().placeOrder(request);
      expect((await ex().findOrder({ ...request, notBeforeMs }))?.orderId).toBe(placed.orderId);
      expect(await ex().findOrder({ ...request, amountBtc: '0.0004', notBeforeMs })).toBeUndefined();
      await ex().cancelOrder(PAIR, placed.orderId);
      // a filled market order is found through the trade history
      const bought = await ex().placeOrder({ pair: PAIR, side: 'buy', type: 'market', amountBtc: '0.0001' });
      expect(
        (await ex().findOrder({ pair: PAIR, side: 'buy', type: 'market', amountBtc: '0.0001', notBeforeMs }))?.orderId,
      ).toBe(bought.orderId);
      await ex().placeOrder({ pair: PAIR, side: 'sell', type: 'market', amountBtc: '0.0001' });
    });

    it('a resting limit fills when the market crosses it, partly when volume is short', async () => {
      // find the next bar whose low is under the current bid, and rest a buy between them
      const startMs = nextBarMs();
      const bar = h.candles.find(
        (c) =>
          c.openTimeMs >= startMs &&
          c.openTimeMs < startMs + 48 * HOUR_MS &&
          c.low < h.candles.find((p) => p.openTimeMs === c.openTimeMs - HOUR_MS)!.close * 0.995,
      );
      expect(bar, 'the replay has a falling bar in the next two days').toBeDefined();
      await h.advanceTo(bar!.openTimeMs);
      const bid = new Decimal((await ex().fetchTicker(PAIR)).bidJpy);
      const price = toOrderPrice(Decimal.max(bid.mul(0.998), new Decimal(bar!.low).plus(1)).toString(), rules, 'down');
      const amountBtc = h.partialFills ? '0.5000' : '0.0010';
      const order = await ex().placeOrder({
        pair: PAIR,
        side: 'buy',
        positionSide: 'long',
        type: 'limit',
        amountBtc,
        priceJpy: price,
      });
      expect(order.status).toBe('UNFILLED');
      await h.advanceTo(bar!.openTimeMs + HOUR_MS);
      const after = await ex().fetchOrder(PAIR, order.orderId);
      if (h.partialFills) {
        expect(after.status).toBe('PARTIALLY_FILLED');
        expect(new Decimal(after.executedBtc).gt(0) && new Decimal(after.remainingBtc).gt(0)).toBe(true);
        expect(new Decimal(after.executedBtc).plus(after.remainingBtc).toString()).toBe(
          new Decimal(amountBtc).toString(),
        );
        const cancelled = await ex().cancelOrder(PAIR, order.orderId);
        expect(cancelled.status).toBe('CANCELED_PARTIALLY_FILLED');
      } else {
        expect(after.status).toBe('FULLY_FILLED');
      }
      const position = (await ex().fetchMarginPositions(PAIR)).find((p) => p.side === 'long');
      expect(new Decimal(position?.amountBtc ?? '0').eq(after.executedBtc)).toBe(true);
      if (position)
        await ex().placeOrder({
          pair: PAIR,
          side: 'sell',
          positionSide: 'long',
          type: 'market',
          amountBtc: position.amountBtc,
        });
      expect(await ex().fetchMarginPositions(PAIR)).toEqual([]);
    });

    it.runIf(market === 'spot')(
      "spot: the position is the BTC the bot bought, not the account's; a short is refused before sending",
      async () => {
        const btcOf = async (): Promise<Decimal> =>
          new Decimal((await ex().fetchBalances()).find((b) => b.asset === 'btc')?.onhandAmount ?? '0');
        expect(await ex().fetchMarginPositions(PAIR)).toEqual([]);
        const before = await btcOf();
        const openBefore = (await ex().fetchOpenOrders(PAIR)).length;
        await expectCode(
          ex().placeOrder({ pair: PAIR, side: 'sell', positionSide: 'short', type: 'market', amountBtc: '0.0010' }),
          'EXCHANGE.ORDER_REJECTED',
        );
        await expectCode(
          ex().placeOrder({
            pair: PAIR,
            side: 'sell',
            positionSide: 'short',
            type: 'limit',
            amountBtc: '0.0010',
            priceJpy: toOrderPrice((await lastJpy()).mul(1.3).toString(), rules, 'up'),
          }),
          'EXCHANGE.ORDER_REJECTED',
        );
        expect(await btcOf()).toEqual(before);
        expect((await ex().fetchOpenOrders(PAIR)).length).toBe(openBefore);
        const bought = await ex().placeOrder({
          pair: PAIR,
          side: 'buy',
          positionSide: 'long',
          type: 'market',
          amountBtc: '0.0010',
        });
        expect(bought).toMatchObject({ side: 'buy', positionSide: 'long' });
        expect((await btcOf()).minus(before).toString()).toBe('0.001'); // bitbank charges the btc_jpy fee in JPY
        expect(
          (await ex().fetchMarginPositions(PAIR)).map((p) => [p.side, new Decimal(p.amountBtc).toString()]),
        ).toEqual([['long', '0.001']]);
        expect((await ex().fetchMarginStatus()).losscutPercentage).toBeNull();
        await ex().placeOrder({ pair: PAIR, side: 'sell', positionSide: 'long', type: 'market', amountBtc: '0.0010' });
        expect(await ex().fetchMarginPositions(PAIR)).toEqual([]);
        expect(await btcOf()).toEqual(before);
      },
    );

    it('orders off the grid or below the minimum are rejected before anything is sent', async () => {
      await expectCode(
        ex().placeOrder({ pair: PAIR, side: 'buy', type: 'limit', amountBtc: '0.00015', priceJpy: '1000000' }),
        'EXCHANGE.ORDER_REJECTED',
      );
      await expectCode(
        ex().placeOrder({ pair: PAIR, side: 'buy', type: 'limit', amountBtc: '0.0001', priceJpy: '1000000.5' }),
        'EXCHANGE.ORDER_REJECTED',
      );
    });

    it('an order beyond the balance is INSUFFICIENT_FUNDS', async () => {
      await expectCode(
        ex().placeOrder({ pair: PAIR, side: 'buy', type: 'market', amountBtc: '9.9999' }),
        'EXCHANGE.INSUFFICIENT_FUNDS',
      );
    });

    it('verifyCredentials proves reads and the order permission without placing an order', async () => {
      const before = (await ex().fetchOpenOrders(PAIR)).length;
      const report = await ex().verifyCredentials();
      expect(report.ok).toBe(true);
      expect(report.checks.map((c) => c.name)).toEqual(['assets_read', 'margin_status_read', 'order_permission']);
      expect((await ex().fetchOpenOrders(PAIR)).length).toBe(before);
    });
  });
}
