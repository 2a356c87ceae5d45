import { HOUR_MS, type Candle } from '../../shared/core/candle.js';
import type { TradePlan } from '../../shared/core/plan.js';
import { createBitbankExchange } from '../../shared/adapters/bitbank/bitbank-exchange.js';
import { FirestoreStore, createFirestore } from '../../shared/adapters/firestore/firestore-store.js';
import { JsonLogger } from '../../shared/adapters/json-logger.js';
import { systemClock } from '../../shared/adapters/system-clock.js';
import type { TickDeps } from '../../shared/app/tick-deps.js';
import { runTick, type TickAnswer } from '../../shared/app/run-tick.js';
import { startFakeBitbank, type FakeBitbank } from '../../tools/fake-bitbank/server.js';
import type { Clock } from '../../shared/ports/clock.port.js';
import { orders } from '../../shared/store/tick-collections.js';
import { EMULATOR_PROJECT_ID } from '../../tools/lib/firestore-emulator.js';
import { readCandlesCsv } from '../../tools/lib/csv.js';
import { scriptedBrain } from '../tick-helpers.js';

/**
 * A live tick against the fake bitbank over HTTP through real ccxt, with a scripted brain, shared
 * by the money-path tests and the child process that serves `tick` (no vitest import here: the
 * child loads this file too). Bars come from the repository's candles, as in test/tick-live.test.ts.
 */
const CSV = new URL('../../data/candles/binance-btcusdt-1h-2017-2022.csv', import.meta.url);
const FIRST = 3000;
let all: Candle[] | undefined;
const allCandles = (): Candle[] => (all ??= readCandlesCsv(CSV.pathname, { quotePerUsd: 150 }));

/** The candles the fake replays: 500 bars of history and 50 to trade in. */
export function liveCandles(): Candle[] {
  return allCandles().slice(FIRST - 500, FIRST + 50);
}

/** Open time of the k-th tradable bar. */
export function barMs(k: number): number {
  return (allCandles()[FIRST] as Candle).openTimeMs + k * HOUR_MS;
}

/** The close the bot sees at bar k (the last closed bar's). */
export function lastClose(k: number): number {
  return (allCandles()[FIRST + k - 1] as Candle).close;
}

/** The entry the scripts send: a 0.0005 BTC short, stop 3 % above, take-profit 3 % below the last close. */
export function shortEntry(k: number, amountBtc = '0.0005'): TradePlan {
  const price = lastClose(k);
  return {
    action: 'enter',
    side: 'short',
    amountBtc,
    stopPriceJpy: String(Math.round(price * 1.03)),
    takeProfitPriceJpy: String(Math.round(price * 0.97)),
    probabilityUp: 0.2,
    reasons: ['test script'],
  };
}

/** Enters at bar k when flat, holds otherwise. */
export const enterAt =
  (k: number) =>
  (nowMs: number, hasPosition: boolean): TradePlan | undefined =>
    nowMs === barMs(k) && !hasPosition ? shortEntry(k) : undefined;

/**
 * A replayed clock that two processes agree on: replay time `replayMs` was wall time `wallMs`,
 * and it runs at wall speed (leases expire in real time, in every process alike).
 */
export function sharedReplayClock(replayMs: number, wallMs: number): Clock {
  return {
    nowMs: () => replayMs + (Date.now() - wallMs),
    sleep: (ms, signal) => systemClock.sleep(ms, signal),
  };
}

export interface LiveTickOptions {
  fakeUrl: string;
  clock: Clock;
  plan: (nowMs: number, hasPosition: boolean) => TradePlan | undefined;
  callTimeoutMs: number;
  tickDeadlineMs: number;
  owner: string;
  /** Log lines (JSON text); default: kept in `lines`. */
  write?: (line: string) => void;
}

let store: FirestoreStore | undefined;
/** One Firestore client on the emulator (FIRESTORE_EMULATOR_HOST) per process. */
export function liveStore(): FirestoreStore {
  store ??= new FirestoreStore(createFirestore({ projectId: EMULATOR_PROJECT_ID }), undefined, 'live');
  return store;
}

/** A live tick's dependencies, credentials already verified (as in a warm instance). */
export function liveTickDeps(options: LiveTickOptions): TickDeps & { lines: string[] } {
  const lines: string[] = [];
  const logger = new JsonLogger({ minSeverity: 'DEBUG', write: options.write ?? ((line) => lines.push(line)) });
  const exchange = createBitbankExchange({
    publicUrl: options.fakeUrl,
    privateUrl: options.fakeUrl,
    marketsUrl: options.fakeUrl,
    apiKey: 'fake-key',
    apiSecret: 'fake-secret',
    authMethod: 'time-window',
    callTimeoutMs: options.callTimeoutMs,
    clock: options.clock,
    random: Math.random,
    logger,
  });
  return {
    settings: {
      pair: 'btc_jpy',
      timeframe: '1h',
      mode: 'live',
      tickDeadlineMs: options.tickDeadlineMs,
      tooLateBars: 2,
      entryWindowMs: 600_000,
      maxDrawdown: 0.15,
    },
    clock: options.clock,
    logger,
    store: liveStore(),
    exchange,
    brain: scriptedBrain(options.plan),
    owner: options.owner,
    lines,
  };
}

/** The fake's view (`/__admin/...`), the truth the tests judge by. */
export interface FakeOrderRow {
  order_id: number;
  side: string;
  position_side?: string;
  type: string;
  start_amount: string;
  remaining_amount: string;
  trigger_price?: string;
  price?: string;
  post_only?: boolean;
  status: string;
}

export const OPEN_STATUSES = ['INACTIVE', 'UNFILLED', 'PARTIALLY_FILLED'];

export function fakeAdmin(fakeUrl: string) {
  const get = async <T>(path: string): Promise<T> =>
    (await (await fetch(`${fakeUrl}/__admin/${path}`, { signal: AbortSignal.timeout(10_000) })).json()) as T;
  return {
    orders: async (): Promise<FakeOrderRow[]> => (await get<{ orders: FakeOrderRow[] }>('orders')).orders,
    /** Open margin positions: side and amount (BTC, as a number for comparisons). */
    positions: async (): Promise<Array<{ side: string; amountBtc: number }>> =>
      (await get<{ positions: Array<{ position_side: string; open_amount: string }> }>('positions')).positions
        .filter((p) => Number(p.open_amount) > 0)
        .map((p) => ({ side: p.position_side, amountBtc: Number(p.open_amount) })),
    arm: async (fault: Record<string, unknown>): Promise<void> => {
      const response = await fetch(`${fakeUrl}/__admin/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(fault),
      });
      if (!response.ok) throw new Error(`fault refused: ${await response.text()}`);
    },
    clearFaults: async (): Promise<void> => {
      await fetch(`${fakeUrl}/__admin/faults`, { method: 'DELETE' });
    },
  };
}

/** What the fake holds for a short: entries (market sells), resting stops and take-profits (closing buys). */
export function shortOrders(rows: readonly FakeOrderRow[]): {
  entries: FakeOrderRow[];
  stops: FakeOrderRow[];
  takeProfits: FakeOrderRow[];
} {
  const short = rows.filter((o) => o.position_side === 'short');
  const resting = short.filter((o) => o.side === 'buy' && OPEN_STATUSES.includes(o.status));
  return {
    entries: short.filter((o) => o.side === 'sell' && o.type === 'market'),
    stops: resting.filter((o) => ['stop', 'stop_limit', 'stop_loss'].includes(o.type)),
    takeProfits: resting.filter((o) => o.type === 'limit' || o.type === 'take_profit'),
  };
}

/** Sum of the BTC a list of resting orders would close. */
export const restingBtc = (rows: readonly FakeOrderRow[]): number =>
  Math.round(rows.reduce((s, o) => s + Number(o.remaining_amount), 0) * 1e8) / 1e8;

/** The bar's entry intents in Firestore (any id scheme: found by tick and purpose). */
export async function entryIntents(
  tickId: string,
): Promise<Array<{ intentId: string; status: string; orderId?: string }>> {
  return (await liveStore().list(orders))
    .map((d) => d.data)
    .filter((i) => i.tickId === tickId && i.purpose === 'entry')
    .map((i) => ({ intentId: i.intentId, status: i.status, ...(i.orderId ? { orderId: i.orderId } : {}) }));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `btc_jpy_1h_<barOpenMs>`: the tick id the bot uses (asserted against the answers' `tick`). */
export const tickIdOf = (barOpenMs: number): string => `btc_jpy_1h_${barOpenMs}`;

/** One delivery's answer as Cloud Scheduler sees it, with the wall time it came back. */
export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly atWallMs: number;
}

/**
 * Cloud Scheduler's retries of one bar: deliver, and again after `backoffMs` while the answer is
 * not 2xx, until a 2xx answer or `budgetMs` from the first delivery (Scheduler's real backoff is
 * longer; the order of events is the same). Returns every answer.
 */
export async function retryLikeScheduler(
  deliver: () => Promise<Omit<Answer, 'atWallMs'>>,
  options: { backoffMs: number; budgetMs: number },
): Promise<Answer[]> {
  const startMs = Date.now();
  const answers: Answer[] = [];
  for (;;) {
    const answer = await deliver();
    answers.push({ ...answer, atWallMs: Date.now() });
    if (answer.status >= 200 && answer.status < 300) return answers;
    if (Date.now() - startMs + options.backoffMs > options.budgetMs) return answers;
    await sleep(options.backoffMs);
  }
}

/** `status outcome code` of each answer, for failure messages. */
export const story = (answers: readonly Omit<Answer, 'atWallMs'>[]): string =>
  answers.map((a) => `${a.status} ${String(a.body.outcome)} ${String(a.body.code)}`).join(' | ');

/**
 * The fake bitbank at bar `k`, warmed by a holding tick of the bar before (the emulator and the fake
 * then answer fast, so the timed deliveries of bar `k` start warm). The test checks the warm-up answer.
 */
export async function startWarmFake(k: number): Promise<{ fake: FakeBitbank; warmUp: TickAnswer }> {
  const fake = await startFakeBitbank({
    candles: liveCandles(),
    nowMs: barMs(k) + 1_000,
    initialJpy: 1_000_000,
    initialBtc: 0,
  });
  const warm = liveTickDeps({
    fakeUrl: fake.url,
    clock: sharedReplayClock(barMs(k) + 5_000, Date.now()),
    plan: () => undefined,
    callTimeoutMs: 10_000,
    tickDeadlineMs: 30_000,
    owner: 'warm-up',
  });
  return { fake, warmUp: await runTick(warm, { scheduleTime: new Date(barMs(k - 1)).toISOString() }) };
}

/** Deliveries of bar `k` in this process, each a new instance (owner) whose brain enters at `k`. */
export function entryDeliveries(options: {
  fakeUrl: string;
  clock: Clock;
  k: number;
  callTimeoutMs: number;
  tickDeadlineMs: number;
}): () => Promise<Omit<Answer, 'atWallMs'>> {
  let deliveries = 0;
  return async () => {
    deliveries += 1;
    const { fakeUrl, clock, k, callTimeoutMs, tickDeadlineMs } = options;
    const deps = liveTickDeps({
      fakeUrl,
      clock,
      plan: enterAt(k),
      callTimeoutMs,
      tickDeadlineMs,
      owner: `delivery-${deliveries}`,
    });
    return runTick(deps, { scheduleTime: new Date(barMs(k)).toISOString() });
  };
}
