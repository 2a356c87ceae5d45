import { beforeAll, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { readCandlesCsv } from '../tools/lib/csv.js';
import { DAY_MS, HOUR_MS, type Candle, type Timeframe } from '../shared/core/candle.js';
import { TemporaryExchangeError } from '../shared/core/errors.js';
import type { CandleSource } from '../shared/ports/candle-source.port.js';
import { systemClock } from '../shared/adapters/system-clock.js';
import { loadCandleWindow } from '../shared/adapters/market-data/candle-store.js';
import { CandleDayCache } from '../shared/adapters/market-data/candle-day-cache.js';
import { CountingStore } from '../tools/replay/counting-store.js';
import { candleDays } from '../shared/store/market-data-collections.js';
import type { FirestoreStore } from '../shared/adapters/firestore/firestore-store.js';
import { describeWithEmulator, emulatorStore } from './support/emulator.js';

const FILE = fileURLToPath(new URL('../data/candles/binance-btcusdt-1h-2017-2022.csv', import.meta.url));

/** A CandleSource over the shared file that counts its page requests (the real bitbank adapter is tested elsewhere). */
class ArraySource implements CandleSource {
  calls: Array<{ fromMs: number; toMs: number }> = [];
  failNext: Error | undefined;
  hang = false;
  constructor(private readonly candles: readonly Candle[]) {}
  async fetchClosedCandles(request: {
    pair: string;
    timeframe: Timeframe;
    fromMs: number;
    toMs: number;
    nowMs: number;
    signal?: AbortSignal;
  }): Promise<Candle[]> {
    this.calls.push({ fromMs: request.fromMs, toMs: request.toMs });
    if (this.hang) return new Promise<never>(() => undefined);
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = undefined;
      throw error;
    }
    return this.candles.filter(
      (c) => c.openTimeMs >= request.fromMs && c.openTimeMs < request.toMs && c.openTimeMs + HOUR_MS <= request.nowMs,
    );
  }
}

/** What the window must be: the file's bars in [nowMs - bars h, nowMs), gaps included as gaps. */
const expected = (all: readonly Candle[], nowMs: number, bars: number): Candle[] =>
  all.filter((c) => c.openTimeMs >= nowMs - bars * HOUR_MS && c.openTimeMs < nowMs);

describeWithEmulator('candle store (loadCandleWindow) against the emulator', () => {
  let all: Candle[];
  let store: FirestoreStore;
  beforeAll(() => {
    all = readCandlesCsv(FILE, { quotePerUsd: 150 });
    store = emulatorStore();
  });

  it('back-fills once, then fetches exactly one page per tick in steady state, windows equal to the file', async () => {
    const source = new ArraySource(all);
    const bars = 500;
    const start = Date.UTC(2021, 5, 1, 5);
    const first = await loadCandleWindow({
      pair: 'btc_jpy',
      timeframe: '1h',
      nowMs: start,
      bars,
      source,
      store,
      clock: systemClock,
    });
    expect(first.candles).toEqual(expected(all, start, bars));
    expect(first.candles).toHaveLength(bars);
    expect(source.calls).toHaveLength(first.fetchedDays.length);
    expect(first.fetchedDays.length).toBe(
      Math.ceil((start - Math.floor((start - bars * HOUR_MS) / DAY_MS) * DAY_MS) / DAY_MS),
    );

    for (let tick = 1; tick <= 30; tick += 1) {
      const nowMs = start + tick * HOUR_MS;
      source.calls = [];
      const window = await loadCandleWindow({
        pair: 'btc_jpy',
        timeframe: '1h',
        nowMs,
        bars,
        source,
        store,
        clock: systemClock,
      });
      expect(source.calls, `tick at ${new Date(nowMs).toISOString()}`).toHaveLength(1);
      const currentDay = Math.floor((nowMs - HOUR_MS) / DAY_MS) * DAY_MS;
      expect(source.calls[0]?.fromMs).toBe(currentDay);
      expect(window.candles).toEqual(expected(all, nowMs, bars));
      expect(window.candles.at(-1)?.openTimeMs).toBe(nowMs - HOUR_MS);
    }
  });

  it('stores a day as complete only with all 24 closed bars; a missed midnight tick re-fetches the previous day once', async () => {
    const source = new ArraySource(all);
    const bars = 100;
    const evening = Date.UTC(2021, 7, 10, 23); // bar 22:00 just closed: 10 Aug is still incomplete
    await loadCandleWindow({
      pair: 'btc_jpy',
      timeframe: '1h',
      nowMs: evening,
      bars,
      source,
      store,
      clock: systemClock,
    });
    const stored = await store.get(candleDays, 'btc_jpy_1h_20210810');
    expect(stored?.complete).toBe(false);
    expect(stored?.openTimesMs).toHaveLength(23);

    source.calls = [];
    const oneAm = evening + 2 * HOUR_MS; // the 00:00 tick was missed
    const window = await loadCandleWindow({
      pair: 'btc_jpy',
      timeframe: '1h',
      nowMs: oneAm,
      bars,
      source,
      store,
      clock: systemClock,
    });
    expect(source.calls.map((c) => new Date(c.fromMs).toISOString().slice(0, 10)).sort()).toEqual([
      '2021-08-10',
      '2021-08-11',
    ]);
    expect(window.candles).toEqual(expected(all, oneAm, bars));
    expect((await store.get(candleDays, 'btc_jpy_1h_20210810'))?.complete).toBe(true);

    source.calls = [];
    await loadCandleWindow({
      pair: 'btc_jpy',
      timeframe: '1h',
      nowMs: oneAm + HOUR_MS,
      bars,
      source,
      store,
      clock: systemClock,
    });
    expect(source.calls.map((c) => new Date(c.fromMs).toISOString().slice(0, 10))).toEqual(['2021-08-11']);
  });

  it('a retried tick for a bar already stored fetches nothing', async () => {
    const source = new ArraySource(all);
    const nowMs = Date.UTC(2021, 9, 5, 13);
    const first = await loadCandleWindow({
      pair: 'btc_jpy',
      timeframe: '1h',
      nowMs,
      bars: 48,
      source,
      store,
      clock: systemClock,
    });
    source.calls = [];
    const again = await loadCandleWindow({
      pair: 'btc_jpy',
      timeframe: '1h',
      nowMs,
      bars: 48,
      source,
      store,
      clock: systemClock,
    });
    expect(source.calls).toHaveLength(0);
    expect(again.candles).toEqual(first.candles);
  });

  it('keeps real exchange gaps as gaps, and stops re-reading a gap day once it has settled', async () => {
    // the longest real gap in the file: find the day with the fewest bars, from the data itself
    const counts = new Map<number, number>();
    for (const c of all)
      counts.set(
        Math.floor(c.openTimeMs / DAY_MS) * DAY_MS,
        (counts.get(Math.floor(c.openTimeMs / DAY_MS) * DAY_MS) ?? 0) + 1,
      );
    const days = [...counts.keys()].sort((a, b) => a - b).slice(1, -1);
    const gapDay = days.reduce((best, day) => ((counts.get(day) ?? 24) < (counts.get(best) ?? 24) ? day : best));
    const source = new ArraySource(all);
    const pair = 'btc_jpy_gaps';
    const nowMs = gapDay + DAY_MS + HOUR_MS; // one hour after the gap day ended
    const bars = 72;
    const window = await loadCandleWindow({ pair, timeframe: '1h', nowMs, bars, source, store, clock: systemClock });
    expect(window.candles).toEqual(expected(all, nowMs, bars));
    expect(window.candles.length).toBeLessThan(bars); // not padded
    const record = await store.get(
      candleDays,
      `${pair}_1h_${new Date(gapDay).toISOString().slice(0, 10).replaceAll('-', '')}`,
    );
    expect(record?.complete).toBe(false);
    expect(record?.openTimesMs).toHaveLength(counts.get(gapDay) as number);

    source.calls = [];
    await loadCandleWindow({ pair, timeframe: '1h', nowMs: nowMs + HOUR_MS, bars, source, store, clock: systemClock });
    expect(source.calls.map((c) => c.fromMs).sort()).toEqual([gapDay, gapDay + DAY_MS]); // read once more within the settle time
    source.calls = [];
    await loadCandleWindow({
      pair,
      timeframe: '1h',
      nowMs: nowMs + 2 * HOUR_MS,
      bars,
      source,
      store,
      clock: systemClock,
    });
    expect(source.calls.map((c) => c.fromMs)).toEqual([gapDay + DAY_MS]); // now final: only the current day
  });

  it('a failing source surfaces its code and stores nothing half-done; the next tick recovers', async () => {
    const source = new ArraySource(all);
    const pair = 'btc_jpy_fail';
    const nowMs = Date.UTC(2022, 0, 20, 8);
    source.failNext = new TemporaryExchangeError('EXCHANGE.UNAVAILABLE', 'bitbank 503');
    await expect(
      loadCandleWindow({ pair, timeframe: '1h', nowMs, bars: 10, source, store, clock: systemClock, concurrency: 1 }),
    ).rejects.toMatchObject({ code: 'EXCHANGE.UNAVAILABLE' });
    const window = await loadCandleWindow({
      pair,
      timeframe: '1h',
      nowMs,
      bars: 10,
      source,
      store,
      clock: systemClock,
    });
    expect(window.candles).toEqual(expected(all, nowMs, 10));
  });

  it('a hung source ends at the page deadline with EXCHANGE.TIMEOUT', async () => {
    const source = new ArraySource(all);
    source.hang = true;
    const started = Date.now();
    await expect(
      loadCandleWindow({
        pair: 'btc_jpy_hang',
        timeframe: '1h',
        nowMs: Date.UTC(2022, 1, 2, 3),
        bars: 5,
        source,
        store,
        clock: systemClock,
        pageTimeoutMs: 300,
      }),
    ).rejects.toMatchObject({ code: 'EXCHANGE.TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('with the instance cache a steady tick reads only the day still running, windows unchanged', async () => {
    const source = new ArraySource(all);
    const counting = new CountingStore(store);
    const cache = new CandleDayCache();
    const bars = 1_300; // trend's window: 55 day documents
    const pair = 'btc_jpy_cached';
    const start = Date.UTC(2021, 2, 3, 5);
    await loadCandleWindow({
      pair,
      timeframe: '1h',
      nowMs: start,
      bars,
      source,
      store: counting,
      clock: systemClock,
      cache,
    });
    for (let tick = 1; tick <= 24; tick += 1) {
      const nowMs = start + tick * HOUR_MS;
      const before = counting.counts.reads;
      const window = await loadCandleWindow({
        pair,
        timeframe: '1h',
        nowMs,
        bars,
        source,
        store: counting,
        clock: systemClock,
        cache,
      });
      expect(window.candles).toEqual(expected(all, nowMs, bars));
      // The running day (and, the first tick after midnight, the day just ended until it is final).
      expect(counting.counts.reads - before, `reads at ${new Date(nowMs).toISOString()}`).toBeLessThanOrEqual(2);
      expect(window.cachedDays).toBeGreaterThanOrEqual(53);
    }
  });

  it('the cache never hides a newer day document another instance wrote (running day, unsettled gap day)', async () => {
    const pair = 'btc_jpy_two';
    const t0 = Date.UTC(2021, 10, 9, 10);
    const a = new CandleDayCache();
    const b = new CandleDayCache();
    await loadCandleWindow({
      pair,
      timeframe: '1h',
      nowMs: t0,
      bars: 72,
      source: new ArraySource(all),
      store,
      clock: systemClock,
      cache: a,
    });
    // Instance B runs the next bar and stores the running day with its new bar.
    await loadCandleWindow({
      pair,
      timeframe: '1h',
      nowMs: t0 + HOUR_MS,
      bars: 72,
      source: new ArraySource(all),
      store,
      clock: systemClock,
      cache: b,
    });
    const refusing = new ArraySource(all);
    refusing.failNext = new TemporaryExchangeError(
      'EXCHANGE.UNAVAILABLE',
      'A must not need the exchange: B stored the bar',
    );
    const seen = await loadCandleWindow({
      pair,
      timeframe: '1h',
      nowMs: t0 + HOUR_MS,
      bars: 72,
      source: refusing,
      store,
      clock: systemClock,
      cache: a,
    });
    expect(refusing.calls).toHaveLength(0);
    expect(seen.candles).toEqual(expected(all, t0 + HOUR_MS, 72));

    // A closed day with a gap, read by A before it settled, is not kept: B's later page (the gap filled) is what A sees.
    const dayEnd = Date.UTC(2021, 10, 10);
    const missing = dayEnd - 3 * HOUR_MS;
    const withGap = all.filter((c) => c.openTimeMs !== missing);
    await loadCandleWindow({
      pair,
      timeframe: '1h',
      nowMs: dayEnd + HOUR_MS,
      bars: 48,
      source: new ArraySource(withGap),
      store,
      clock: systemClock,
      cache: a,
    });
    await loadCandleWindow({
      pair,
      timeframe: '1h',
      nowMs: dayEnd + 2 * HOUR_MS,
      bars: 48,
      source: new ArraySource(all),
      store,
      clock: systemClock,
      cache: b,
    });
    const filled = await loadCandleWindow({
      pair,
      timeframe: '1h',
      nowMs: dayEnd + 2 * HOUR_MS,
      bars: 48,
      source: new ArraySource(withGap),
      store,
      clock: systemClock,
      cache: a,
    });
    expect(filled.candles.map((c) => c.openTimeMs)).toContain(missing);
    expect(a.get(`${pair}_1h_20211109`)).toBeDefined(); // the settled day is kept from now on
  });
});
