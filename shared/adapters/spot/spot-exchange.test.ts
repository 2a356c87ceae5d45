import { describe, expect, it } from 'vitest';
import { BotError } from '../../core/errors.js';
import type { Exchange, ExchangeOrder, ExchangeTrade, OrderRequest } from '../../ports/exchange.port.js';
import { JsonLogger } from '../json-logger.js';
import { createSpotExchange } from './spot-exchange.js';
import { memorySpotLedgers } from './spot-ledger-store.js';

const order = (orderId: string, over: Partial<ExchangeOrder> = {}): ExchangeOrder => ({
  orderId,
  pair: 'btc_jpy',
  side: 'sell',
  type: 'stop',
  amountBtc: '0.0010',
  remainingBtc: '0.0010',
  executedBtc: '0',
  triggerPriceJpy: '9000000',
  status: 'INACTIVE',
  orderedAtMs: 1,
  ...over,
});
const trade = (tradeId: string, orderId: string, over: Partial<ExchangeTrade> = {}): ExchangeTrade => ({
  tradeId,
  orderId,
  pair: 'btc_jpy',
  side: 'buy',
  type: 'market',
  amountBtc: '0.0010',
  priceJpy: '10000000',
  feeJpy: '10',
  makerTaker: 'taker',
  executedAtMs: 1,
  ...over,
});

/** The account as the exchange reports it: the bot's spot orders, a person's spot order, a margin order. */
function account() {
  const sent: OrderRequest[] = [];
  const open = [
    order('1'),
    order('2', { type: 'limit', priceJpy: '12000000', triggerPriceJpy: undefined, status: 'UNFILLED' }),
    order('3', { positionSide: 'long' }),
  ];
  const fills = [trade('10', '4'), trade('11', '2', { side: 'sell' }), trade('12', '3', { positionSide: 'long' })];
  const inner = {
    fetchOpenOrders: async () => open,
    fetchTrades: async () => fills,
    placeOrder: async (request: OrderRequest) => {
      sent.push(request);
      return order('4', {
        side: request.side,
        type: request.type,
        status: 'FULLY_FILLED',
        ...(request.positionSide ? { positionSide: request.positionSide } : {}),
      });
    },
  } as unknown as Exchange;
  const ledgers = memorySpotLedgers();
  const spot = createSpotExchange({
    inner,
    pair: 'btc_jpy',
    ledgers,
    clock: { nowMs: () => 100, sleep: async () => undefined },
    logger: new JsonLogger({ write: () => undefined }),
  });
  return { spot, sent, ledgers };
}

describe('createSpotExchange: the spot market behind the Exchange port', () => {
  it("sends spot orders without position_side and shows them as the bot's long; a short is refused before sending", async () => {
    const { spot, sent, ledgers } = account();
    const placed = await spot.placeOrder({
      pair: 'btc_jpy',
      side: 'buy',
      positionSide: 'long',
      type: 'market',
      amountBtc: '0.0010',
    });
    expect(sent).toEqual([{ pair: 'btc_jpy', side: 'buy', type: 'market', amountBtc: '0.0010' }]);
    expect(placed).toMatchObject({ orderId: '4', positionSide: 'long' });
    expect((await ledgers.read('btc_jpy'))?.botOrderIds).toEqual(['4']);
    const refused = await spot
      .placeOrder({ pair: 'btc_jpy', side: 'sell', positionSide: 'short', type: 'market', amountBtc: '0.0010' })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BotError);
    expect((refused as BotError).code).toBe('EXCHANGE.ORDER_REJECTED');
    expect(sent).toHaveLength(1);
  });

  it("shows only the bot's spot orders and fills: a person's spot order and margin orders are not the bot's", async () => {
    const { spot, ledgers } = account();
    await ledgers.update('btc_jpy', (l) => ({
      ...(l ?? {
        pair: 'btc_jpy',
        amountBtc: '0',
        averagePriceJpy: 0,
        appliedTradeIds: [],
        syncedToMs: 0,
        updatedAtMs: 0,
      }),
      botOrderIds: ['1', '4'],
    }));
    expect((await spot.fetchOpenOrders('btc_jpy')).map((o) => [o.orderId, o.positionSide])).toEqual([['1', 'long']]);
    expect((await spot.fetchTrades('btc_jpy', 0)).map((t) => [t.tradeId, t.positionSide])).toEqual([['10', 'long']]);
  });

  it('a post-only exit (a sell limit) frees the BTC its take-profit locks, as a market exit does; the stop stays', async () => {
    const cancelled: string[] = [];
    const open = [
      order('1'),
      order('2', { type: 'limit', priceJpy: '12000000', triggerPriceJpy: undefined, status: 'UNFILLED' }),
    ];
    const inner = {
      fetchBalances: async () => [{ asset: 'btc', onhandAmount: '0.0010', freeAmount: '0', lockedAmount: '0.0010' }],
      fetchOpenOrders: async () => open.filter((o) => !cancelled.includes(o.orderId)),
      cancelOrder: async (_pair: string, orderId: string) => {
        cancelled.push(orderId);
        return order(orderId, { status: 'CANCELED_UNFILLED' });
      },
      placeOrder: async (request: OrderRequest) =>
        order('5', { side: request.side, type: request.type, status: 'UNFILLED' }),
    } as unknown as Exchange;
    const ledgers = memorySpotLedgers();
    await ledgers.update('btc_jpy', () => ({
      pair: 'btc_jpy',
      amountBtc: '0.0010',
      averagePriceJpy: 0,
      appliedTradeIds: [],
      syncedToMs: 0,
      updatedAtMs: 0,
      botOrderIds: ['1', '2'],
    }));
    const clock = { nowMs: () => 100, sleep: async () => undefined };
    const spot = createSpotExchange({
      inner,
      pair: 'btc_jpy',
      ledgers,
      clock,
      logger: new JsonLogger({ write: () => undefined }),
    });
    const exit: OrderRequest = {
      pair: 'btc_jpy',
      side: 'sell',
      positionSide: 'long',
      type: 'limit',
      amountBtc: '0.0010',
      priceJpy: '10005000',
      postOnly: true,
    };
    await spot.placeOrder(exit);
    expect(cancelled).toEqual(['2']);
  });
});
