import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readMacroDir } from '../tools/lib/csv.js';
import { startFakeMarketData, type FakeMarketData } from '../tools/fake-yahoo/fake-market-data.js';
import { YahooMacroSource } from '../shared/adapters/yahoo/yahoo-macro-source.js';
import { FearGreedSource } from '../shared/adapters/fear-greed/fear-greed-source.js';
import { routedMacroSource } from '../shared/adapters/market-data/routed-macro-source.js';
import { loadMacro, type MacroMemo } from '../shared/adapters/market-data/macro-cache.js';
import { CountingStore } from '../tools/replay/counting-store.js';
import type { ExternalCallPolicy } from '../shared/adapters/market-data/bounded-call.js';
import { systemClock } from '../shared/adapters/system-clock.js';
import { MACRO_SERIES_NAMES, type MacroData, type MacroSeriesName } from '../shared/core/macro.js';
import type { BotError } from '../shared/core/errors.js';
import type { Clock } from '../shared/ports/clock.port.js';
import type { FirestoreStore } from '../shared/adapters/firestore/firestore-store.js';
import { macroCache } from '../shared/store/market-data-collections.js';
import { JsonLogger } from '../shared/adapters/json-logger.js';
import { describeWithEmulator, emulatorStore } from './support/emulator.js';

const MACRO_DIR = fileURLToPath(new URL('../data/macro', import.meta.url));
const FIXTURES_DIR = fileURLToPath(new URL('../data/fixtures/yahoo-finance2', import.meta.url));
const policy: ExternalCallPolicy = {
  attemptTimeoutMs: 1_000,
  retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 40, deadlineMs: 5_000 },
};

/** Wall-clock sleeps (deadlines are real) but a settable "now" for the sources' date maths. */
class SettableClock implements Clock {
  constructor(public now: number) {}
  nowMs(): number {
    return this.now;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return systemClock.sleep(ms, signal);
  }
}

describeWithEmulator('macro sources and cache against the fake Yahoo / alternative.me and the emulator', () => {
  let fake: FakeMarketData;
  let store: FirestoreStore;
  let csv: MacroData;
  const clock = new SettableClock(0);
  let yahoo: YahooMacroSource;
  let fearGreed: FearGreedSource;
  const requestsSince = (n: number) => fake.requests.slice(n);
  /** Sets "now" for the clock and the fake (which then serves only what was published by then). */
  const at = (ms: number): number => {
    clock.now = ms;
    fake.setNowMs(ms);
    return ms;
  };

  beforeAll(async () => {
    fake = await startFakeMarketData({ macroDir: MACRO_DIR, fixturesDir: FIXTURES_DIR });
    store = emulatorStore();
    csv = readMacroDir(MACRO_DIR);
    yahoo = new YahooMacroSource({ baseUrl: fake.yahooBaseUrl, clock, random: () => 0.5, policy });
    fearGreed = new FearGreedSource({ baseUrl: fake.fearGreedBaseUrl, clock, random: () => 0.5, policy });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(async () => {
    fake.setFault(undefined);
    for (const name of MACRO_SERIES_NAMES) await store.delete(macroCache, name);
  });

  it('Yahoo chart() through yahoo-finance2 returns each series as in the daily files', async () => {
    at(Date.UTC(2024, 2, 1, 23));
    for (const name of ['vix', 'dollarIndex', 'treasury10y', 'shortRate'] as const) {
      const series = await yahoo.fetchDaily(name, '2024-01-01');
      const want = (csv[name]?.points ?? []).filter((p) => p.date >= '2024-01-01' && p.date <= '2024-03-01');
      expect(series.points, name).toEqual(want);
      expect(series.points.length).toBeGreaterThan(30);
    }
  });

  it('parses real recorded Yahoo answers (fixtures) to dates in the exchange time zone', async () => {
    for (const [symbol, file] of [
      ['BTC-USD', 'chart-BTC-USD-2020-01-01-to-2020-01-03.json'],
      ['AAPL', 'chart-AAPL-2020-08-31-to-2020-11-07.json'],
    ] as const) {
      const recorded = JSON.parse(readFileSync(`${FIXTURES_DIR}/${file}`, 'utf8'));
      const result = recorded.response.bodyJson.chart.result[0];
      const from = new URL(recorded.request.url).searchParams.get('period1') as string;
      const source = new YahooMacroSource({
        baseUrl: fake.yahooBaseUrl,
        clock,
        random: () => 0.5,
        policy,
        symbols: { vix: symbol },
      });
      const series = await source.fetchDaily('vix', new Date(Number(from) * 1000).toISOString().slice(0, 10));
      const want = (result.timestamp as number[]).map((ts, i) => ({
        date: new Date((ts + result.meta.gmtoffset) * 1000).toISOString().slice(0, 10),
        value: result.indicators.quote[0].close[i] as number,
      }));
      expect(series.points, symbol).toEqual(want);
    }
  });

  it('Fear & Greed from /fng/ returns the index as in its daily file', async () => {
    at(Date.UTC(2024, 2, 10, 6));
    const series = await fearGreed.fetchDaily('fearGreed', '2024-02-01');
    expect(series.points).toEqual(
      (csv.fearGreed?.points ?? []).filter((p) => p.date >= '2024-02-01' && p.date <= '2024-03-10'),
    );
  });

  it('HTTP failures become EXTERNAL.FETCH_FAILED: 5xx retried up to the bound, 404 not retried', async () => {
    at(Date.UTC(2024, 2, 1, 23));
    fake.setFault({ route: 'yahoo', status: 503 });
    let n = fake.requests.length;
    await expect(yahoo.fetchDaily('vix', '2024-02-01')).rejects.toMatchObject({
      code: 'EXTERNAL.FETCH_FAILED',
      retryable: true,
    });
    expect(requestsSince(n)).toHaveLength(policy.retry.maxAttempts);

    fake.setFault({ route: 'fearGreed', status: 502 });
    n = fake.requests.length;
    await expect(fearGreed.fetchDaily('fearGreed', '2024-02-01')).rejects.toMatchObject({
      code: 'EXTERNAL.FETCH_FAILED',
    });
    expect(requestsSince(n)).toHaveLength(policy.retry.maxAttempts);

    fake.setFault(undefined);
    n = fake.requests.length;
    const unknown = new YahooMacroSource({
      baseUrl: fake.yahooBaseUrl,
      clock,
      random: () => 0.5,
      policy,
      symbols: { vix: 'NO-SUCH-SYMBOL' },
    });
    await expect(unknown.fetchDaily('vix', '2024-02-01')).rejects.toMatchObject({
      code: 'EXTERNAL.FETCH_FAILED',
      retryable: false,
    });
    expect(requestsSince(n)).toHaveLength(1);
  });

  it('a hung provider ends at the deadline, not later', async () => {
    at(Date.UTC(2024, 2, 1, 23));
    const quick: ExternalCallPolicy = {
      attemptTimeoutMs: 300,
      retry: { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 20, deadlineMs: 800 },
    };
    const source = new YahooMacroSource({ baseUrl: fake.yahooBaseUrl, clock, random: () => 0.5, policy: quick });
    const fng = new FearGreedSource({ baseUrl: fake.fearGreedBaseUrl, clock, random: () => 0.5, policy: quick });
    fake.setFault({ route: 'all', hang: true });
    for (const call of [
      () => source.fetchDaily('vix', '2024-02-01'),
      () => fng.fetchDaily('fearGreed', '2024-02-01'),
    ]) {
      const started = Date.now();
      const error = (await call().then(
        () => undefined,
        (e: unknown) => e,
      )) as BotError | undefined;
      const elapsedMs = Date.now() - started;
      expect(error?.code).toBe('EXTERNAL.FETCH_FAILED');
      expect(elapsedMs).toBeGreaterThanOrEqual(quick.retry.deadlineMs - 50);
      expect(elapsedMs).toBeLessThan(quick.retry.deadlineMs + 700);
    }
  });

  it('caches in Firestore: one fetch per series per day, not per tick; refreshed when the close becomes known, checked once more an hour later', async () => {
    const source = routedMacroSource({ yahoo, fearGreed });
    const wednesday = at(Date.UTC(2024, 2, 6, 15)); // Wed 6 Mar 2024, 15:00 UTC: Wednesday's US close not final yet
    let n = fake.requests.length;
    const first = await loadMacro({ nowMs: wednesday, store, source, clock });
    expect(
      requestsSince(n)
        .map((r) => r.route)
        .sort(),
    ).toEqual(['fearGreed', 'yahoo', 'yahoo', 'yahoo', 'yahoo']);
    expect(first.usable).toBe(true);
    expect(first.code).toBeUndefined();
    expect(first.series.vix).toMatchObject({ lastDate: '2024-03-05', ageDays: 1, stale: false, fetched: true });
    expect(first.series.fearGreed).toMatchObject({ lastDate: '2024-03-06', ageDays: 0, stale: false });
    expect(first.data.vix?.points.at(-1)).toEqual({ date: '2024-03-05', value: 14.46 });
    expect(first.data.vix?.points.some((p) => p.date === '2024-03-06')).toBe(false); // intraday value not kept

    for (const hour of [16, 17, 21]) {
      n = fake.requests.length;
      const again = await loadMacro({ nowMs: at(Date.UTC(2024, 2, 6, hour)), store, source, clock });
      expect(requestsSince(n), `${hour}:00`).toHaveLength(0);
      expect(again.data).toEqual(first.data);
      expect(again.series.vix.fetched).toBe(false);
    }

    // 22:00 UTC: the features use Wednesday's US close from this bar on, so the live tick fetches it now.
    n = fake.requests.length;
    const close = await loadMacro({ nowMs: at(Date.UTC(2024, 2, 6, 22)), store, source, clock });
    expect(requestsSince(n).map((r) => r.route)).toEqual(['yahoo', 'yahoo', 'yahoo', 'yahoo']);
    expect(close.series.vix.lastDate).toBe('2024-03-06');

    n = fake.requests.length;
    const night = await loadMacro({ nowMs: at(Date.UTC(2024, 2, 6, 23, 30)), store, source, clock });
    expect(requestsSince(n).map((r) => r.route)).toEqual(['yahoo', 'yahoo', 'yahoo', 'yahoo']); // the settle check
    expect(night.series.vix.lastDate).toBe('2024-03-06');
    n = fake.requests.length;
    await loadMacro({ nowMs: at(Date.UTC(2024, 2, 6, 23, 45)), store, source, clock });
    expect(requestsSince(n)).toHaveLength(0);

    n = fake.requests.length;
    await loadMacro({ nowMs: at(Date.UTC(2024, 2, 7, 1, 30)), store, source, clock });
    expect(requestsSince(n).map((r) => r.route)).toEqual(['fearGreed']);
  });

  it('an instance memo skips the Firestore reads until a refresh is due, then sees the record another instance wrote', async () => {
    const source = routedMacroSource({ yahoo, fearGreed });
    const a: MacroMemo = new Map();
    const b: MacroMemo = new Map();
    await loadMacro({ nowMs: at(Date.UTC(2024, 2, 6, 15)), store, source, clock, memo: a });
    const counting = new CountingStore(store);
    let n = fake.requests.length;
    const warm = await loadMacro({ nowMs: at(Date.UTC(2024, 2, 6, 16)), store: counting, source, clock, memo: a });
    expect(counting.counts.reads).toBe(0);
    expect(requestsSince(n)).toHaveLength(0);
    expect(warm.series.vix).toMatchObject({ lastDate: '2024-03-05', fetched: false, stale: false });
    // 22:00: Wednesday's close is due. Instance B refreshes first; A then reads B's record and fetches nothing.
    await loadMacro({ nowMs: at(Date.UTC(2024, 2, 6, 22)), store, source, clock, memo: b });
    n = fake.requests.length;
    const seen = await loadMacro({ nowMs: at(Date.UTC(2024, 2, 6, 22, 5)), store: counting, source, clock, memo: a });
    expect(requestsSince(n).map((r) => r.route)).toEqual([]);
    expect(seen.series.vix.lastDate).toBe('2024-03-06');
    expect(seen.data.vix?.points.at(-1)?.date).toBe('2024-03-06');
    // Staleness is still judged each tick from the held points: days later, without refreshes, it is stale.
    const late = await loadMacro({
      nowMs: at(Date.UTC(2024, 2, 12, 12)),
      store,
      source: { fetchDaily: () => Promise.reject(new Error('down')) },
      clock,
      memo: a,
      series: ['vix'],
    });
    expect(late.series.vix.stale).toBe(true);
  });

  it('weekends and holidays are normal up to the maximum age (4 calendar days by default)', async () => {
    const source = routedMacroSource({ yahoo, fearGreed });
    const monday = await loadMacro({ nowMs: at(Date.UTC(2024, 2, 11, 12)), store, source, clock, series: ['vix'] });
    expect(monday.series.vix).toMatchObject({ lastDate: '2024-03-08', ageDays: 3, stale: false });
    expect(monday.usable).toBe(true);

    // New Year's Day 2024 was a Monday: on Tuesday morning the newest 10-year yield is Friday's
    const tuesday = at(Date.UTC(2024, 0, 2, 12));
    const normal = await loadMacro({ nowMs: tuesday, store, source, clock, series: ['treasury10y'] });
    expect(normal.series.treasury10y).toMatchObject({ lastDate: '2023-12-29', ageDays: 4, stale: false });
    expect(normal.code).toBeUndefined();
    const strict = await loadMacro({ nowMs: tuesday, store, source, clock, series: ['treasury10y'], maxAgeDays: 3 });
    expect(strict).toMatchObject({ usable: false, code: 'DATA.MACRO_STALE' });
  });

  it('data the provider stopped updating is reported stale with its real date, never carried forward', async () => {
    const source = routedMacroSource({ yahoo, fearGreed });
    at(Date.UTC(2024, 0, 10, 23)); // the fake publishes nothing after 10 Jan...
    fake.setNowMs(Date.UTC(2024, 0, 10, 23));
    clock.now = Date.UTC(2024, 0, 17, 12); // ...and it is now Wednesday the 17th
    const load = await loadMacro({ nowMs: clock.now, store, source, clock });
    expect(load.usable).toBe(false);
    expect(load.code).toBe('DATA.MACRO_STALE');
    expect(load.series.vix).toMatchObject({ lastDate: '2024-01-10', ageDays: 7, stale: true });
    expect(load.data.vix?.points.at(-1)?.date).toBe('2024-01-10');
    expect(load.series.vix.error).toBeUndefined();
  });

  it('a failed refresh keeps the fresh data, says so, and retries on a later tick; with nothing cached the series is missing', async () => {
    const source = routedMacroSource({ yahoo, fearGreed });
    await loadMacro({ nowMs: at(Date.UTC(2024, 2, 6, 23, 30)), store, source, clock });
    fake.setFault({ route: 'yahoo', status: 500 });
    const lines: Array<Record<string, unknown>> = [];
    const logger = new JsonLogger({ write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }).child({
      tick: '2024-03-07T23:00Z',
    });
    const failed = await loadMacro({ nowMs: at(Date.UTC(2024, 2, 7, 23, 30)), store, source, clock, logger });
    expect(lines.find((l) => l.series === 'vix')).toMatchObject({
      severity: 'WARNING',
      code: 'EXTERNAL.FETCH_FAILED',
      tick: '2024-03-07T23:00Z',
    });
    expect(failed.series.vix).toMatchObject({
      lastDate: '2024-03-06',
      stale: false,
      fetched: true,
      error: { code: 'EXTERNAL.FETCH_FAILED' },
    });
    expect(failed.usable).toBe(true);
    expect(failed.code).toBe('EXTERNAL.FETCH_FAILED');
    expect(failed.data.vix?.points.at(-1)).toEqual({ date: '2024-03-06', value: 14.5 });

    let n = fake.requests.length;
    await loadMacro({ nowMs: at(Date.UTC(2024, 2, 7, 23, 45)), store, source, clock });
    expect(requestsSince(n)).toHaveLength(0); // the failure is not hammered within the same tick window

    fake.setFault(undefined);
    n = fake.requests.length;
    const recovered = await loadMacro({ nowMs: at(Date.UTC(2024, 2, 8, 0, 30)), store, source, clock });
    expect(requestsSince(n).filter((r) => r.route === 'yahoo')).toHaveLength(4);
    expect(recovered.series.vix).toMatchObject({ lastDate: '2024-03-07', stale: false });
    expect(recovered.series.vix.error).toBeUndefined();
    expect(recovered.code).toBeUndefined();

    for (const name of MACRO_SERIES_NAMES) await store.delete(macroCache, name);
    fake.setFault({ route: 'all', status: 503 });
    const empty = await loadMacro({ nowMs: at(Date.UTC(2024, 2, 8, 2)), store, source, clock });
    expect(empty.usable).toBe(false);
    expect(empty.code).toBe('EXTERNAL.FETCH_FAILED');
    for (const name of MACRO_SERIES_NAMES as MacroSeriesName[]) {
      expect(empty.series[name]).toMatchObject({
        missing: true,
        stale: true,
        lastDate: null,
        error: { code: 'EXTERNAL.FETCH_FAILED' },
      });
      expect(empty.data[name]).toBeUndefined();
    }
  });
});
