import { HOUR_MS, type Candle } from '../../shared/core/candle.js';
import type { MacroData } from '../../shared/core/macro.js';
import { compareDecimal } from '../../shared/core/money.js';
import { JsonLogger } from '../../shared/adapters/json-logger.js';
import { SECRET_SETTINGS, loadConfig } from '../../shared/config.js';
import { FirestoreStore, createFirestore } from '../../shared/adapters/firestore/firestore-store.js';
import { paperAccounts } from '../../shared/adapters/paper/paper-state.js';
import { spotLedgers } from '../../shared/adapters/spot/spot-ledger-store.js';
import { ReplayClock } from '../../shared/app/replay-clock.js';
import { orders, positions, ticks, trades } from '../../shared/store/tick-collections.js';
import type { BookedTrade } from '../../shared/core/tick/booking.js';
import type { ModelArtifact } from '../../shared/core/model/index.js';
import { EMULATOR_PROJECT_ID, startFirestoreEmulator, type RunningEmulator } from '../lib/firestore-emulator.js';
import { startFakeBitbank } from '../fake-bitbank/server.js';
import { startFakeMarketData, type FakeMarketData } from '../fake-yahoo/fake-market-data.js';
import { installModel, replayModel } from './model.js';
import { deliver, type Delivery } from './deliver.js';
import { CountingStore } from './counting-store.js';
import type { ServedFunctions } from '../lib/serve-functions.js';
import type { Store } from '../../shared/ports/store.port.js';
import type { Clock } from '../../shared/ports/clock.port.js';

export interface ReplayOptions {
  candles: readonly Candle[];
  macro?: { dir: string; fixturesDir: string; data: MacroData };
  bars: number;
  /** Open time of the first replayed bar; default: the first gap-free stretch after `minHistoryBars`. */
  startMs?: number;
  mode: 'paper' | 'live';
  duplicates: number;
  modelFile?: string;
  trainBars?: number;
  equityJpy?: number;
  /** Where log lines go (stderr by default; the JSON summary owns stdout). */
  log?: (line: string) => void;
  logLevel?: 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
  progress?: (line: string) => void;
  /** Key and secret the fake bitbank is started with and the bot signs with (default fake-key / fake-secret). */
  apiKey?: string;
  apiSecret?: string;
  /** First of the consecutive loopback ports the functions are served on (0: free ports). */
  firstPort?: number;
  /** More settings for the functions (e.g. the backup bucket and its endpoint). */
  env?: Record<string, string>;
}

export interface ReplaySummary {
  bars: number;
  ticksOk: number;
  ticksFailed: number;
  duplicatesIgnored: number;
  ordersSent: number;
  ordersOnExchange: number;
  /** Orders on the fake whose id no intent records (live mode; the exchange's own loss-cut closes excepted): 0 when every order is the bot's known one. */
  ordersWithoutIntent: number;
  reconcileFixes: number;
  positionMatchesExchange: boolean;
  equityJpy: number | null;
  outcomes: Record<string, number>;
  mode: 'paper' | 'live';
  start: string;
  modelVersion: string;
  trades: number;
  /** Firestore documents the tick read and wrote (counted by a Store decorator), in total and per tick. */
  firestore: {
    reads: number;
    writes: number;
    readsPerTick: number;
    writesPerTick: number;
    byCollection: Record<string, { reads: number; writes: number }>;
  };
}

export interface ReplayResult {
  summary: ReplaySummary;
  trades: BookedTrade[];
  artifact: ModelArtifact;
  startIndex: number;
}

/** A running replay: everything started, bars delivered one call at a time (npm start drives it too). */
export interface ReplaySession {
  readonly startMs: number;
  readonly startIndex: number;
  readonly artifact: ModelArtifact;
  readonly store: FirestoreStore;
  readonly fakeUrl: string;
  readonly urls: ServedFunctions['urls'];
  readonly counts: CountingStore['counts'];
  /** The replayed time the functions see. */
  readonly clock: Clock;
  /** Moves the fakes and the clock to bar k (0-based from the start) and delivers it K times at once. */
  bar(k: number): Promise<Delivery[]>;
  /** Only moves the fakes and the clock to bar k; returns the bar's open time (a bench delivers it elsewhere). */
  advance(k: number): Promise<number>;
  /** The summary so far, exchange-side figures from the fake. */
  summary(): Promise<ReplaySummary>;
  trades(): Promise<BookedTrade[]>;
  close(): Promise<void>;
}

const WARMUP_BARS = 450;

/** First index >= minIndex from which `warmup` bars before and `bars` bars after are all contiguous. */
export function gapFreeStart(candles: readonly Candle[], bars: number, minIndex: number, warmup = WARMUP_BARS): number {
  let runStart = 0;
  for (let i = 1; i < candles.length; i += 1) {
    if ((candles[i] as Candle).openTimeMs - (candles[i - 1] as Candle).openTimeMs !== HOUR_MS) runStart = i;
    const start = i - bars + 1;
    if (start >= minIndex && start - warmup >= runStart) return start;
  }
  throw new Error(`no gap-free stretch of ${warmup + bars} bars after index ${minIndex}`);
}

/**
 * The local replay: Firestore emulator (or the one FIRESTORE_EMULATOR_HOST names), the fake bitbank
 * replaying the candles, the fake Yahoo / alternative.me when macro data is given, the functions
 * served in-process; per bar: advance the fakes' clocks and POST `tick` K times at once as Cloud
 * Scheduler would. The summary's exchange-side figures come from the fake, not from the bot.
 */
export async function runReplay(options: ReplayOptions): Promise<ReplayResult> {
  const session = await startReplay(options);
  try {
    for (let k = 0; k < options.bars; k += 1) {
      const answers = await session.bar(k);
      options.progress?.(
        `bar ${new Date(session.startMs + k * HOUR_MS).toISOString()} ${answers.map((a) => `${a.status}:${a.outcome}${a.code && a.outcome === 'failed' ? `(${a.code}: ${a.message ?? ''})` : ''}`).join(' ')}`,
      );
    }
    return {
      artifact: session.artifact,
      startIndex: session.startIndex,
      trades: await session.trades(),
      summary: await session.summary(),
    };
  } finally {
    await session.close();
  }
}

/** Starts the emulator (unless one is named), the fakes and the functions, installs the model; see runReplay. */
export async function startReplay(options: ReplayOptions): Promise<ReplaySession> {
  const trainBars = options.trainBars ?? 2000;
  const startIndex =
    options.startMs !== undefined
      ? options.candles.findIndex((c) => c.openTimeMs === options.startMs)
      : gapFreeStart(options.candles, options.bars, trainBars + WARMUP_BARS);
  if (startIndex < WARMUP_BARS)
    throw new Error('the replay needs at least 450 bars of history before --start (and a bar opening exactly then)');
  const startMs = (options.candles[startIndex] as Candle).openTimeMs;
  const cleanup: Array<() => Promise<void>> = [];
  const close = async (): Promise<void> => {
    for (const stop of cleanup.reverse()) await stop().catch(() => undefined);
    cleanup.length = 0;
  };
  try {
    let emulator: RunningEmulator | undefined;
    if (!process.env.FIRESTORE_EMULATOR_HOST) {
      emulator = await startFirestoreEmulator();
      cleanup.push(async () => {
        await (emulator as RunningEmulator).stop();
        delete process.env.FIRESTORE_EMULATOR_HOST;
      });
      process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
    }
    const store = new FirestoreStore(createFirestore({ projectId: EMULATOR_PROJECT_ID }), undefined, options.mode);
    const equityJpy = options.equityJpy ?? 100_000;
    const apiKey = options.apiKey ?? 'fake-key';
    const apiSecret = options.apiSecret ?? 'fake-secret';
    const fake = await startFakeBitbank({
      candles: options.candles,
      nowMs: startMs,
      initialJpy: equityJpy,
      initialBtc: 0,
      apiKey,
      apiSecret,
    });
    cleanup.push(() => fake.close());
    let macroFake: FakeMarketData | undefined;
    if (options.macro) {
      macroFake = await startFakeMarketData({
        macroDir: options.macro.dir,
        fixturesDir: options.macro.fixturesDir,
        nowMs: startMs,
      });
      cleanup.push(() => (macroFake as FakeMarketData).close());
    }
    const artifact = replayModel({
      candles: options.candles,
      macro: options.macro?.data,
      startIndex,
      trainBars,
      ...(options.modelFile ? { modelFile: options.modelFile } : {}),
    });
    await installModel(store, artifact, startMs);
    Object.assign(process.env, {
      GCP_PROJECT: EMULATOR_PROJECT_ID,
      BOT_MODE: options.mode,
      BITBANK_PUBLIC_URL: fake.url,
      BITBANK_PRIVATE_URL: fake.url,
      BITBANK_MARKETS_URL: fake.url,
      BITBANK_API_KEY: apiKey,
      BITBANK_API_SECRET: apiSecret,
      MACRO_MODE: options.macro ? 'required' : 'off',
      LOG_LEVEL: options.logLevel ?? 'WARNING',
      ...(macroFake ? { YAHOO_BASE_URL: macroFake.yahooBaseUrl, FEAR_GREED_URL: macroFake.fearGreedBaseUrl } : {}),
      ...options.env,
    });
    const clock = new ReplayClock(startMs + 5_000);
    const { resetRuntime } = await import('../../functions/runtime.js');
    const write = options.log ?? ((line: string) => process.stderr.write(line));
    let counting: CountingStore | undefined;
    const wrapStore = (inner: Store): Store => (counting = new CountingStore(inner));
    resetRuntime({
      clock,
      paperInitialJpy: equityJpy,
      wrapStore,
      logger: new JsonLogger({
        minSeverity: options.logLevel ?? 'WARNING',
        write,
        secrets: [apiKey, apiSecret, ...SECRET_SETTINGS.map((k) => process.env[k] ?? '')],
      }),
    });
    const { serveFunctions } = await import('../lib/serve-functions.js');
    const served = await serveFunctions(options.firstPort ?? 0);
    cleanup.push(() => served.close());

    const advance = async (k: number): Promise<number> => {
      const barMs = startMs + k * HOUR_MS;
      await fake.setClock(barMs + 1_000);
      macroFake?.setNowMs(barMs + 1_000);
      clock.set(barMs + 5_000);
      return barMs;
    };
    const outcomes: Record<string, number> = {};
    const tally = { bars: 0, ticksOk: 0, ticksFailed: 0, duplicatesIgnored: 0 };
    const noCounts: CountingStore['counts'] = { reads: 0, writes: 0, byCollection: {} };
    /** Spot: the bot's holding (its ledger) as far as the account's BTC covers it (balance >= holding). */
    async function spotHolding(): Promise<Array<{ side: string; amountBtc: string }>> {
      const holding = (await store.get(spotLedgers, 'btc_jpy'))?.amountBtc ?? '0';
      const btc =
        options.mode === 'live'
          ? ((
              (await (await fetch(`${fake.url}/__admin/balances`)).json()) as {
                assets: Array<{ asset: string; onhand_amount: string }>;
              }
            ).assets.find((a) => a.asset === 'btc')?.onhand_amount ?? '0')
          : ((await store.get(paperAccounts, 'btc_jpy'))?.btc ?? '0');
      return [{ side: 'long', amountBtc: compareDecimal(btc, holding) >= 0 ? holding : btc }];
    }
    return {
      startMs,
      startIndex,
      artifact,
      store,
      fakeUrl: fake.url,
      urls: served.urls,
      clock,
      get counts() {
        return counting?.counts ?? noCounts;
      },
      advance,
      async bar(k) {
        const barMs = await advance(k);
        const answers = await deliver(served.urls.tick, barMs, options.duplicates);
        tally.bars += 1;
        for (const a of answers) {
          const key = a.outcome === 'failed' ? `failed:${a.code}` : a.outcome;
          outcomes[key] = (outcomes[key] ?? 0) + 1;
          // 409 running (the bar's first delivery still held its lease) and 200 duplicate both did nothing.
          if (a.outcome === 'duplicate' || a.outcome === 'running') tally.duplicatesIgnored += 1;
          else if (a.status >= 200 && a.status < 300) tally.ticksOk += 1;
          else tally.ticksFailed += 1;
        }
        return answers;
      },
      trades: async () => (await store.list(trades)).map((d) => d.data).sort((a, b) => a.exitTimeMs - b.exitTimeMs),
      async summary() {
        const tickRecords = (await store.list(ticks)).map((d) => d.data).sort((a, b) => a.barOpenMs - b.barOpenMs);
        const stored = (await store.list(positions)).map((d) => d.data);
        const onExchange =
          // The market the replayed functions run on: the same env, the same schema and default.
          loadConfig(process.env).BOT_MARKET === 'spot'
            ? await spotHolding()
            : options.mode === 'live'
              ? (
                  (await (await fetch(`${fake.url}/__admin/positions`)).json()) as {
                    positions: Array<{ position_side: string; open_amount: string }>;
                  }
                ).positions.map((p) => ({ side: p.position_side, amountBtc: p.open_amount }))
              : ((await store.get(paperAccounts, 'btc_jpy'))?.positions ?? []).map((p) => ({
                  side: p.side,
                  amountBtc: p.amountBtc,
                }));
        const exchangeOrders = (
          (await (await fetch(`${fake.url}/__admin/orders`)).json()) as {
            orders: Array<{ order_id: number; type: string }>;
          }
        ).orders;
        const booked = (await store.list(trades)).length;
        const intents = (await store.list(orders)).map((d) => d.data);
        const sent = intents.filter((i) => i.status === 'sent').length;
        const known = new Set(intents.flatMap((i) => (i.orderId ? [i.orderId] : [])));
        const withoutIntent =
          options.mode === 'live'
            ? exchangeOrders.filter((o) => o.type !== 'losscut' && !known.has(String(o.order_id))).length
            : 0;
        const lastEquity = [...tickRecords].reverse().find((t) => t.equityJpy !== undefined)?.equityJpy ?? null;
        const counts = counting?.counts ?? noCounts;
        const perTick = (n: number): number => Math.round((n / Math.max(1, tally.bars)) * 10) / 10;
        return {
          bars: tally.bars,
          ticksOk: tally.ticksOk,
          ticksFailed: tally.ticksFailed,
          duplicatesIgnored: tally.duplicatesIgnored,
          ordersSent: sent,
          ordersOnExchange: exchangeOrders.length,
          ordersWithoutIntent: withoutIntent,
          reconcileFixes: tickRecords.reduce((s, t) => s + (t.reconcileFixes?.length ?? 0), 0),
          positionMatchesExchange: samePositions(
            stored.map((p) => ({ side: p.side, amountBtc: p.amountBtc })),
            onExchange.filter((p) => compareDecimal(p.amountBtc, '0') > 0),
          ),
          equityJpy: lastEquity,
          outcomes: { ...outcomes },
          mode: options.mode,
          start: new Date(startMs).toISOString(),
          modelVersion: artifact.version,
          trades: booked,
          firestore: {
            reads: counts.reads,
            writes: counts.writes,
            readsPerTick: perTick(counts.reads),
            writesPerTick: perTick(counts.writes),
            byCollection: { ...counts.byCollection },
          },
        };
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function samePositions(
  a: ReadonlyArray<{ side: string; amountBtc: string }>,
  b: ReadonlyArray<{ side: string; amountBtc: string }>,
): boolean {
  if (a.length !== b.length) return false;
  return a.every((p) => b.some((q) => q.side === p.side && compareDecimal(q.amountBtc, p.amountBtc) === 0));
}
