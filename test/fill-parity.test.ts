import { beforeEach, describe, expect, it } from 'vitest';
import { HOUR_MS, type Candle } from '../shared/core/candle.js';
import { runBacktest } from '../shared/core/backtest/engine.js';
import type { Planner, TradePlan } from '../shared/core/plan.js';
import { createPaperExchange, type MarketFeed } from '../shared/adapters/paper/paper-exchange.js';
import { ReplayClock } from '../shared/app/replay-clock.js';
import type { Exchange, OrderRequest } from '../shared/ports/exchange.port.js';
import { clearFirestoreEmulator } from '../tools/lib/firestore-emulator.js';
import { FakeExchange } from '../tools/fake-bitbank/exchange.js';
import { describeWithEmulator, emulatorHost, emulatorStore } from './support/emulator.js';
import { candleTable, RULES } from './tick-helpers.js';

/**
 * One fill model, three places: the backtester and the paper exchange run the same functions
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
const T0 = Date.UTC(2026, 0, 1);
const P = 10_000_000;
const SLIPPAGE = 0.001;
const flat = [P, P + 10_000, P - 10_000, P] as const;
const ROWS: ReadonlyArray<readonly [number, number, number, number]> = [
  flat, flat, flat, flat,
  [P + 1_000, P + 50_000, P - 30_000, P + 20_000], // 4: trades through P
  [P + 20_000, P + 250_000, P, P + 220_000], // 5: through the take-profit P + 200,000
  [P + 1_000, P + 10_000, P - 10_000, P], flat, flat,
  [P + 1_000, P + 50_000, P, P + 30_000], // 9: only touches P
  ...Array.from({ length: 6 }, () => [P + 30_000, P + 40_000, P + 20_000, P + 30_000] as const), // 10-15
  [P + 30_000, P + 40_000, P - 250_000, P - 240_000], // 16: through the stop P - 200,000
  [P - 240_000, P - 230_000, P - 250_000, P - 240_000], [P - 240_000, P - 230_000, P - 250_000, P - 240_000],
];
const CANDLES: Candle[] = candleTable(T0, ROWS).map((c) => ({ ...c, volume: 100 }));
const at = (bar: number): number => T0 + bar * HOUR_MS;
const AMOUNT = '0.0010';
const DECISIONS = new Map<number, TradePlan>([
  [at(4), { action: 'enter', side: 'long', amountBtc: AMOUNT, stopPriceJpy: String(P - 200_000), takeProfitPriceJpy: String(P + 200_000), probabilityUp: 0.7, reasons: ['A'] }],
  [at(9), { action: 'enter', side: 'long', amountBtc: AMOUNT, stopPriceJpy: String(P - 200_000), takeProfitPriceJpy: String(P + 400_000), probabilityUp: 0.7, reasons: ['B'] }],
]);
const planner: Planner = (input) => (!input.position && DECISIONS.get(input.nowMs)) || { action: 'hold', probabilityUp: 0.5, reasons: ['script'] };

interface Booked {
  readonly entryPriceJpy: number;
  readonly exitPriceJpy: number;
  readonly entryHour: number;
  readonly exitHour: number;
  readonly feesJpy: number;
  readonly interestJpy: number;
}

function backtestTrades(): Booked[] {
  const result = runBacktest({ candles: CANDLES, planner, rules: RULES, initialEquityJpy: 1_000_000, slippage: SLIPPAGE, execution: 'maker-then-taker' });
  expect([result.makerAttempts, result.makerFills]).toEqual([2, 1]);
  return result.trades.map((t) => ({
    entryPriceJpy: t.entryPriceJpy, exitPriceJpy: t.exitPriceJpy, entryHour: Math.floor((t.entryTimeMs - T0) / HOUR_MS), exitHour: Math.floor((t.exitTimeMs - T0) / HOUR_MS),
    feesJpy: t.feesJpy, interestJpy: t.interestJpy,
  }));
}

/** What a maker-first tick does with one decision, on any Exchange; `advance` moves its clock to a bar boundary. */
interface Venue {
  exchange: Pick<Exchange, 'placeOrder' | 'fetchOrder' | 'cancelOrder' | 'fetchTicker'>;
  advance(toMs: number): Promise<void>;
  fills(): Promise<Array<{ orderId: string; priceJpy: number; feeJpy: number; interestJpy: number; liquidity: string; atMs: number }>>;
}

async function drive(venue: Venue): Promise<Booked[]> {
  const pair = 'btc_jpy';
  const entries: string[] = [];
  for (const [decisionMs, plan] of DECISIONS) {
    if (plan.action !== 'enter') continue;
    await venue.advance(decisionMs);
    const bid = (await venue.exchange.fetchTicker(pair)).bidJpy;
    const limit = await venue.exchange.placeOrder({ pair, side: 'buy', positionSide: 'long', type: 'limit', amountBtc: plan.amountBtc, priceJpy: bid, postOnly: true });
    expect(limit.status).toBe('UNFILLED');
    await venue.advance(decisionMs + HOUR_MS);
    let entryId = limit.orderId;
    if ((await venue.exchange.fetchOrder(pair, limit.orderId)).status !== 'FULLY_FILLED') {
      await venue.exchange.cancelOrder(pair, limit.orderId);
      entryId = (await venue.exchange.placeOrder({ pair, side: 'buy', positionSide: 'long', type: 'market', amountBtc: plan.amountBtc })).orderId;
    }
    entries.push(entryId);
    const protective: OrderRequest[] = [
      { pair, side: 'sell', positionSide: 'long', type: 'stop', amountBtc: plan.amountBtc, triggerPriceJpy: plan.stopPriceJpy },
      { pair, side: 'sell', positionSide: 'long', type: 'limit', amountBtc: plan.amountBtc, priceJpy: plan.takeProfitPriceJpy },
    ];
    const placed = [];
    for (const request of protective) placed.push(await venue.exchange.placeOrder(request));
    // run until one of them fills, then cancel the other (as the tick does with an orphan)
    for (let t = decisionMs + 2 * HOUR_MS; t <= at(ROWS.length); t += HOUR_MS) {
      await venue.advance(t);
      const states = await Promise.all(placed.map((o) => venue.exchange.fetchOrder(pair, o.orderId)));
      if (states.some((o) => o.status === 'FULLY_FILLED')) {
        for (const o of states) if (o.status === 'UNFILLED' || o.status === 'INACTIVE') await venue.exchange.cancelOrder(pair, o.orderId);
        break;
      }
    }
  }
  const fills = await venue.fills();
  return entries.map((entryId) => {
    const entry = fills.find((f) => f.orderId === entryId)!;
    const exit = fills.find((f) => f.atMs > entry.atMs && f.orderId !== entryId && !entries.includes(f.orderId))!;
    return {
      entryPriceJpy: entry.priceJpy, exitPriceJpy: exit.priceJpy, entryHour: Math.floor((entry.atMs - T0) / HOUR_MS), exitHour: Math.floor((exit.atMs - T0) / HOUR_MS),
      feesJpy: entry.feeJpy + exit.feeJpy, interestJpy: exit.interestJpy,
    };
  });
}

/** Bars closed by the clock; ticker at a boundary: bid = last close, ask = the open of the bar starting. */
function parityFeed(clock: ReplayClock): MarketFeed {
  return {
    fetchClosedCandles: async ({ fromMs, toMs, nowMs }) => CANDLES.filter((c) => c.openTimeMs >= fromMs && c.openTimeMs < toMs && c.openTimeMs + HOUR_MS <= nowMs),
    fetchTicker: async (pair) => {
      const now = clock.nowMs();
      const i = CANDLES.findIndex((c) => c.openTimeMs <= now && now < c.openTimeMs + HOUR_MS);
      const last = CANDLES[i - 1]!.close;
      return { pair, lastJpy: String(last), bidJpy: String(last), askJpy: String(CANDLES[i]!.open), timestampMs: now };
    },
    loadMarketRules: async () => RULES,
    fetchCircuitBreakMode: async () => 'NONE',
  };
}

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

describeWithEmulator('the fill model: backtest, paper exchange and the fake bitbank on the same bars', () => {
  beforeEach(async () => {
    await clearFirestoreEmulator(emulatorHost());
  });

  it('paper equals the backtest: prices, hours, fees and interest', async () => {
    const clock = new ReplayClock(at(4));
    const paper = createPaperExchange({ store: emulatorStore(), market: parityFeed(clock), clock, pair: 'btc_jpy', initialJpy: 1_000_000, slippage: SLIPPAGE });
    const booked = await drive({
      exchange: paper,
      advance: async (t) => clock.set(t),
      fills: async () => (await paper.fetchTrades('btc_jpy', 0)).map((f) => ({ orderId: f.orderId, priceJpy: Number(f.priceJpy), feeJpy: Number(f.feeJpy), interestJpy: Number(f.interestJpy ?? 0), liquidity: f.makerTaker, atMs: f.executedAtMs })),
    });
    const expected = backtestTrades();
    expect(booked).toHaveLength(expected.length);
    for (const [i, trade] of booked.entries()) {
      const want = expected[i]!;
      expect([trade.entryHour, trade.exitHour]).toEqual([want.entryHour, want.exitHour]);
      for (const key of ['entryPriceJpy', 'exitPriceJpy', 'feesJpy', 'interestJpy'] as const) expect(trade[key], key).toBeCloseTo(want[key], 3);
    }
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
        placeOrder: async (r) => toOrder(fake.createOrder({ pair: r.pair, side: r.side, position_side: r.positionSide, type: r.type, amount: r.amountBtc, ...(r.priceJpy ? { price: r.priceJpy } : {}), ...(r.triggerPriceJpy ? { trigger_price: r.triggerPriceJpy } : {}), ...(r.postOnly ? { post_only: true } : {}) })),
        fetchOrder: async (pair, orderId) => toOrder(fake.getOrder({ pair, order_id: orderId })),
        cancelOrder: async (pair, orderId) => toOrder(fake.cancelOrder({ pair, order_id: orderId })),
        fetchTicker: async (pair) => {
          const q = fake.replay.quote(fake.nowMs);
          return { pair, lastJpy: q.last, bidJpy: q.bid, askJpy: q.ask, timestampMs: fake.nowMs };
        },
      },
      advance: async (t) => fake.setClock(t),
      fills: async () => ((fake.tradeHistory({ pair: 'btc_jpy', order: 'asc' }) as { trades: Array<Record<string, string | number>> }).trades).map((t) => ({
        orderId: id(t), priceJpy: Number(t.price), feeJpy: Number(t.fee_amount_quote), interestJpy: Number(t.interest ?? 0), liquidity: String(t.maker_taker), atMs: Number(t.executed_at),
      })),
    });
    const expected = backtestTrades();
    expect(booked).toHaveLength(expected.length);
    for (const [i, trade] of booked.entries()) {
      const want = expected[i]!;
      expect([trade.entryHour, trade.exitHour]).toEqual([want.entryHour, want.exitHour]);
      for (const key of ['entryPriceJpy', 'exitPriceJpy'] as const) expect(Math.abs(trade[key] / want[key] - 1), key).toBeLessThanOrEqual(TOLERANCE);
      const valueJpy = 0.001 * want.entryPriceJpy;
      for (const key of ['feesJpy', 'interestJpy'] as const) expect(Math.abs(trade[key] - want[key]), key).toBeLessThanOrEqual(valueJpy * TOLERANCE * 2 * RULES.marginTakerFeeRate + 0.01);
    }
  });
});
