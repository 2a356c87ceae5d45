import { HOUR_MS, DAY_MS, utcDayStartMs, type Candle } from '../shared/core/candle.js';
import { MACRO_SERIES_NAMES } from '../shared/core/macro.js';
import { toCandleDayRecord } from '../shared/adapters/market-data/candle-days.js';
import { createPaperExchange } from '../shared/adapters/paper/paper-exchange.js';
import { ReplayClock } from '../shared/app/replay-clock.js';
import { runTick } from '../shared/app/run-tick.js';
import type { HealthDeps, HealthExchange } from '../shared/app/health/health-deps.js';
import { clearHistoryCache } from '../shared/app/health/history.js';
import type { Store } from '../shared/ports/store.port.js';
import { candleDays, macroCache } from '../shared/store/market-data-collections.js';
import { CURRENT_POINTER_ID, modelPointers } from '../shared/store/model-collections.js';
import { captureLogger, scriptedBrain, tableFeed } from './tick-helpers.js';

/** Flat-ish hourly candles from `startMs` for `bars` bars (a gentle wave, so charts have shape). */
export function waveCandles(startMs: number, bars: number): Candle[] {
  return Array.from({ length: bars }, (_, i) => {
    const mid = 10_000_000 + Math.round(50_000 * Math.sin(i / 5));
    return {
      openTimeMs: startMs + i * HOUR_MS,
      open: mid - 5_000,
      high: mid + 20_000,
      low: mid - 20_000,
      close: mid + 5_000,
      volume: 1,
    };
  });
}

/** Stores the candles the tick would have stored (closed bars by `nowMs`, one document per UTC day). */
export async function seedCandles(store: Store, candles: readonly Candle[], nowMs: number): Promise<void> {
  const closed = candles.filter((c) => c.openTimeMs + HOUR_MS <= nowMs);
  const days = [...new Set(closed.map((c) => utcDayStartMs(c.openTimeMs)))];
  for (const day of days) {
    const record = toCandleDayRecord({
      pair: 'btc_jpy',
      timeframe: '1h',
      dayStartMs: day,
      candles: closed.filter((c) => utcDayStartMs(c.openTimeMs) === day),
      nowMs,
    });
    await store.set(candleDays, record.seriesDay, record);
  }
}

export async function seedMacro(store: Store, nowMs: number, ageDays = 1): Promise<void> {
  const last = utcDayStartMs(nowMs) - ageDays * DAY_MS;
  const dates = [3, 2, 1, 0].map((k) => new Date(last - k * DAY_MS).toISOString().slice(0, 10));
  for (const name of MACRO_SERIES_NAMES) {
    await store.set(macroCache, name, {
      name,
      dates,
      values: [1, 2, 3, 4],
      fetchedAtMs: nowMs - HOUR_MS,
      lastAttemptMs: nowMs - HOUR_MS,
      lastError: null,
    });
  }
}

export async function seedModel(store: Store, promotedAtMs: number): Promise<void> {
  await store.set(modelPointers, CURRENT_POINTER_ID, {
    version: 'model-2026-11-01',
    history: [],
    updatedAtMs: promotedAtMs,
    reason: 'test',
  });
}

/** Runs real paper ticks (scripted brain: hold) for the given bars, writing real tick and equity records. */
export async function runPaperTicks(
  store: Store,
  candles: readonly Candle[],
  barsMs: readonly number[],
): Promise<void> {
  const clock = new ReplayClock(barsMs[0] ?? 0);
  const exchange = createPaperExchange({
    store,
    market: tableFeed(candles, clock),
    clock,
    pair: 'btc_jpy',
    initialJpy: 1_000_000,
  });
  const { logger } = captureLogger();
  let n = 0;
  for (const bar of barsMs) {
    clock.set(bar + 2_000);
    await runTick(
      {
        settings: {
          pair: 'btc_jpy',
          timeframe: '1h',
          mode: 'paper',
          tickDeadlineMs: 20_000,
          tooLateBars: 2,
          entryWindowMs: 600_000,
          maxDrawdown: 0.15,
        },
        clock,
        logger,
        store,
        exchange,
        brain: scriptedBrain(() => undefined),
        owner: `health-test-${(n += 1)}`,
      },
      { scheduleTime: new Date(bar).toISOString() },
    );
  }
}

export function healthDeps(store: Store, nowMs: number, extra: Partial<HealthDeps> = {}): HealthDeps {
  clearHistoryCache();
  return {
    settings: {
      mode: 'paper',
      pair: 'btc_jpy',
      timeframe: '1h',
      macroMode: 'required',
      macroMaxAgeDays: 4,
      tickLatencyBudgetMs: 30_000,
    },
    store,
    clock: new ReplayClock(nowMs),
    startedAtMs: nowMs - 60_000,
    version: 'test',
    ...extra,
  };
}

/** A live exchange for health checks: margin status and credential report as given, or a hang. */
export function fakeLiveExchange(options: {
  margin?: 'NORMAL' | 'CALL';
  credentialsOk?: boolean;
  hang?: boolean;
}): HealthExchange {
  const hang = <T>(value: () => T, signal?: AbortSignal): Promise<T> =>
    options.hang
      ? new Promise<T>((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason as Error)))
      : Promise.resolve(value());
  return {
    fetchMarginStatus: (signal) =>
      hang(
        () => ({
          status: options.margin ?? 'NORMAL',
          totalMarginBalanceJpy: '1000000',
          marginBalancePercentage: 250,
          marginCallPercentage: 80,
          losscutPercentage: 50,
          availableLongJpy: '1000000',
          availableShortJpy: '1000000',
        }),
        signal,
      ),
    verifyCredentials: (signal) =>
      hang(
        () => ({
          ok: options.credentialsOk ?? true,
          checks: [
            { name: 'assets', ok: true },
            {
              name: 'order',
              ok: options.credentialsOk ?? true,
              ...(options.credentialsOk === false ? { code: 'EXCHANGE.AUTH' } : {}),
            },
          ],
        }),
        signal,
      ),
    fetchOpenOrders: (_pair, signal) => hang(() => [], signal),
  };
}
