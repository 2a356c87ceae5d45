import { expect } from 'vitest';
import { HOUR_MS, type Candle } from '../core/candle.js';
import { runBacktest } from '../core/backtest/engine.js';
import { BITBANK_BTC_JPY as RULES } from '../core/market-rules.js';
import type { Planner, TradePlan } from '../core/plan.js';
import type { Exchange, OrderRequest } from '../ports/exchange.port.js';

/**
 * A script for the fill-model parity tests (test/fill-parity.test.ts: paper; tools/fake-bitbank/
 * fill-parity.test.ts: the fake). One fill model, three places: the backtester and the paper exchange run the same functions
 * (shared/core/fills/) and must agree exactly on the same bars; the fake bitbank plays the exchange
 * with its own book (ticker bid/ask = last -/+ 0.05 %, no slippage) and must agree within that spread.
 *
 * The script (EXECUTION=maker-then-taker, one bar's wait, slippage 0.1 %):
 * - A: long decided at bar 3's close P; a post-only buy at P; bar 4 trades below P: maker fill at P.
 *   Stop and take-profit from bar 5; bar 5 trades through the take-profit: maker exit at P + 200,000.
 * - B: long decided at bar 8's close P; bar 9 only touches P: unfilled, a market buy at bar 10's open
 *   (+ slippage, taker). Held across 15:00 UTC (00:00 JST: a day's interest); bar 16 falls through the
 *   stop: taker at the stop - slippage.
 * The paper feed's ticker at a bar boundary is bid = the last close, ask = the open of the bar
 * starting (so a post-only buy at the close rests and a market buy pays that open, as in the backtest).
 */
export const T0 = Date.UTC(2026, 0, 1);
export const P = 10_000_000;
export const SLIPPAGE = 0.001;
const flat = [P, P + 10_000, P - 10_000, P] as const;
export const ROWS: ReadonlyArray<readonly [number, number, number, number]> = [
  flat,
  flat,
  flat,
  flat,
  [P + 1_000, P + 50_000, P - 30_000, P + 20_000], // 4: trades through P
  [P + 20_000, P + 250_000, P, P + 220_000], // 5: through the take-profit P + 200,000
  [P + 1_000, P + 10_000, P - 10_000, P],
  flat,
  flat,
  [P + 1_000, P + 50_000, P, P + 30_000], // 9: only touches P
  ...Array.from({ length: 6 }, () => [P + 30_000, P + 40_000, P + 20_000, P + 30_000] as const), // 10-15
  [P + 30_000, P + 40_000, P - 250_000, P - 240_000], // 16: through the stop P - 200,000
  [P - 240_000, P - 230_000, P - 250_000, P - 240_000],
  [P - 240_000, P - 230_000, P - 250_000, P - 240_000],
];
export const CANDLES: Candle[] = ROWS.map(([open, high, low, close], i) => ({
  openTimeMs: T0 + i * HOUR_MS,
  open,
  high,
  low,
  close,
  volume: 100,
}));
export const at = (bar: number): number => T0 + bar * HOUR_MS;
const AMOUNT = '0.0010';
export const DECISIONS = new Map<number, TradePlan>([
  [
    at(4),
    {
      action: 'enter',
      side: 'long',
      amountBtc: AMOUNT,
      stopPriceJpy: String(P - 200_000),
      takeProfitPriceJpy: String(P + 200_000),
      probabilityUp: 0.7,
      reasons: ['A'],
    },
  ],
  [
    at(9),
    {
      action: 'enter',
      side: 'long',
      amountBtc: AMOUNT,
      stopPriceJpy: String(P - 200_000),
      takeProfitPriceJpy: String(P + 400_000),
      probabilityUp: 0.7,
      reasons: ['B'],
    },
  ],
]);
export const planner: Planner = (input) =>
  (!input.position && DECISIONS.get(input.nowMs)) || { action: 'hold', probabilityUp: 0.5, reasons: ['script'] };

export interface Booked {
  readonly entryPriceJpy: number;
  readonly exitPriceJpy: number;
  readonly entryHour: number;
  readonly exitHour: number;
  readonly feesJpy: number;
  readonly interestJpy: number;
}

export function backtestTrades(): Booked[] {
  const result = runBacktest({
    candles: CANDLES,
    planner,
    rules: RULES,
    initialEquityJpy: 1_000_000,
    slippage: SLIPPAGE,
    execution: 'maker-then-taker',
  });
  expect([result.makerAttempts, result.makerFills]).toEqual([2, 1]);
  return result.trades.map((t) => ({
    entryPriceJpy: t.entryPriceJpy,
    exitPriceJpy: t.exitPriceJpy,
    entryHour: Math.floor((t.entryTimeMs - T0) / HOUR_MS),
    exitHour: Math.floor((t.exitTimeMs - T0) / HOUR_MS),
    feesJpy: t.feesJpy,
    interestJpy: t.interestJpy,
  }));
}

/** What a maker-first tick does with one decision, on any Exchange; `advance` moves its clock to a bar boundary. */
export interface Venue {
  exchange: Pick<Exchange, 'placeOrder' | 'fetchOrder' | 'cancelOrder' | 'fetchTicker'>;
  advance(toMs: number): Promise<void>;
  fills(): Promise<
    Array<{ orderId: string; priceJpy: number; feeJpy: number; interestJpy: number; liquidity: string; atMs: number }>
  >;
}

export async function drive(venue: Venue): Promise<Booked[]> {
  const pair = 'btc_jpy';
  const entries: string[] = [];
  for (const [decisionMs, plan] of DECISIONS) {
    if (plan.action !== 'enter') continue;
    await venue.advance(decisionMs);
    const bid = (await venue.exchange.fetchTicker(pair)).bidJpy;
    const limit = await venue.exchange.placeOrder({
      pair,
      side: 'buy',
      positionSide: 'long',
      type: 'limit',
      amountBtc: plan.amountBtc,
      priceJpy: bid,
      postOnly: true,
    });
    expect(limit.status).toBe('UNFILLED');
    await venue.advance(decisionMs + HOUR_MS);
    let entryId = limit.orderId;
    if ((await venue.exchange.fetchOrder(pair, limit.orderId)).status !== 'FULLY_FILLED') {
      await venue.exchange.cancelOrder(pair, limit.orderId);
      entryId = (
        await venue.exchange.placeOrder({
          pair,
          side: 'buy',
          positionSide: 'long',
          type: 'market',
          amountBtc: plan.amountBtc,
        })
      ).orderId;
    }
    entries.push(entryId);
    const protective: OrderRequest[] = [
      {
        pair,
        side: 'sell',
        positionSide: 'long',
        type: 'stop',
        amountBtc: plan.amountBtc,
        triggerPriceJpy: plan.stopPriceJpy,
      },
      {
        pair,
        side: 'sell',
        positionSide: 'long',
        type: 'limit',
        amountBtc: plan.amountBtc,
        priceJpy: plan.takeProfitPriceJpy,
      },
    ];
    const placed = [];
    for (const request of protective) placed.push(await venue.exchange.placeOrder(request));
    // run until one of them fills, then cancel the other (as the tick does with an orphan)
    for (let t = decisionMs + 2 * HOUR_MS; t <= at(ROWS.length); t += HOUR_MS) {
      await venue.advance(t);
      const states = await Promise.all(placed.map((o) => venue.exchange.fetchOrder(pair, o.orderId)));
      if (states.some((o) => o.status === 'FULLY_FILLED')) {
        for (const o of states)
          if (o.status === 'UNFILLED' || o.status === 'INACTIVE') await venue.exchange.cancelOrder(pair, o.orderId);
        break;
      }
    }
  }
  const fills = await venue.fills();
  return entries.map((entryId) => {
    const entry = fills.find((f) => f.orderId === entryId)!;
    const exit = fills.find((f) => f.atMs > entry.atMs && f.orderId !== entryId && !entries.includes(f.orderId))!;
    return {
      entryPriceJpy: entry.priceJpy,
      exitPriceJpy: exit.priceJpy,
      entryHour: Math.floor((entry.atMs - T0) / HOUR_MS),
      exitHour: Math.floor((exit.atMs - T0) / HOUR_MS),
      feesJpy: entry.feeJpy + exit.feeJpy,
      interestJpy: exit.interestJpy,
    };
  });
}
