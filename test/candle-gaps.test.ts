import { afterAll, beforeAll, expect, it } from 'vitest';
import { join } from 'node:path';
import { DAY_MS, HOUR_MS, type Candle, type Timeframe } from '../shared/core/candle.js';
import { checkCandles } from '../shared/core/candles/quality-gate.js';
import { BotError } from '../shared/core/errors.js';
import { systemClock } from '../shared/adapters/system-clock.js';
import { JsonLogger } from '../shared/adapters/json-logger.js';
import { createBitbankExchange } from '../shared/adapters/bitbank/bitbank-exchange.js';
import { loadCandleWindow } from '../shared/adapters/market-data/candle-store.js';
import type { FirestoreStore } from '../shared/adapters/firestore/firestore-store.js';
import { candleDays } from '../shared/store/market-data-collections.js';
import type { CandleSource } from '../shared/ports/candle-source.port.js';
import { readCandlesCsv } from '../tools/lib/csv.js';
import { startFakeBitbank, type FakeBitbank } from '../tools/fake-bitbank/server.js';
import { describeWithEmulator, emulatorStore } from './support/emulator.js';

/**
 * A bar bitbank never publishes, end to end: fake bitbank with a 2-bar hole -> real adapter (ccxt)
 * -> Firestore day store -> quality gate. While the hole is recent the tick fails (retryable);
 * once settled the day is stored with its gap and not re-read; once older than
 * maxBlockingGapAgeBars (24) the gate passes and flags it.
 */
const ALL = readCandlesCsv(join(import.meta.dirname, '../data/candles/binance-btcusdt-1h-2017-2022.csv'), {
  quotePerUsd: 150,
});
const DAY3 = Date.UTC(2021, 0, 3);
const HOLE = [DAY3 + 10 * HOUR_MS, DAY3 + 11 * HOUR_MS];
const at = (dayMs: number, hour: number): number => dayMs + hour * HOUR_MS;

describeWithEmulator('candle gaps: fake bitbank hole -> bitbank adapter -> day store -> gate', () => {
  let fake: FakeBitbank;
  let store: FirestoreStore;
  const lines: Array<Record<string, unknown>> = [];
  const pageCalls: number[] = [];
  let source: CandleSource;

  beforeAll(async () => {
    const start = ALL.findIndex((c) => c.openTimeMs === Date.UTC(2021, 0, 1));
    const candles: Candle[] = ALL.slice(start, start + 400).filter((c) => !HOLE.includes(c.openTimeMs));
    fake = await startFakeBitbank({ candles, nowMs: at(DAY3, 12) });
    store = emulatorStore();
    const exchange = createBitbankExchange({
      publicUrl: fake.url,
      privateUrl: fake.url,
      marketsUrl: fake.url,
      authMethod: 'time-window',
      callTimeoutMs: 3_000,
      clock: systemClock,
      random: Math.random,
      retry: { baseDelayMs: 20, maxDelayMs: 100 },
      logger: new JsonLogger({ write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }),
    });
    source = {
      fetchClosedCandles: (request: {
        pair: string;
        timeframe: Timeframe;
        fromMs: number;
        toMs: number;
        nowMs: number;
        signal?: AbortSignal;
      }) => {
        pageCalls.push(request.fromMs);
        return exchange.fetchClosedCandles(request);
      },
    };
  });
  afterAll(async () => {
    await fake?.close();
  });

  const tick = async (nowMs: number) => {
    await fake.setClock(nowMs);
    pageCalls.length = 0;
    const window = await loadCandleWindow({
      pair: 'btc_jpy',
      timeframe: '1h',
      nowMs,
      bars: 72,
      source,
      store,
      clock: systemClock,
    });
    return { window, gate: checkCandles(window.candles, { nowMs }) };
  };

  it('recent hole: DATA.MISSING_CANDLES (retryable) and the day is not stored; settled: stored with its gap, logged, not re-read, gate blocks for 24 bars then flags', async () => {
    // 12:00: bars 10:00 and 11:00 should exist but are absent -> not published yet
    const early = await tick(at(DAY3, 12)).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(BotError);
    expect(early).toMatchObject({ code: 'DATA.MISSING_CANDLES', retryable: true });
    expect(await store.get(candleDays, 'btc_jpy_1h_20210103')).toBeUndefined();

    // 13:00: 11:00 closed only 1 h ago -> still failing; 14:00: both settled (2 h) -> an explicit gap
    await expect(tick(at(DAY3, 13))).rejects.toMatchObject({ code: 'DATA.MISSING_CANDLES' });
    const settled = await tick(at(DAY3, 14));
    expect(settled.window.gaps).toEqual([{ firstMissingOpenMs: HOLE[0], lastMissingOpenMs: HOLE[1], missingBars: 2 }]);
    expect(settled.window.flags.candleGaps).toBe('1 gap(s), 2 bar(s) missing: 2021-01-03T10:00Z x2');
    expect(settled.window.candles.map((c) => c.openTimeMs)).not.toContain(HOLE[0]);
    expect(settled.window.candles.at(-1)?.openTimeMs).toBe(at(DAY3, 13));
    const logged = lines.filter((l) => l.code === 'DATA.CANDLE_GAP');
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.at(-1)).toMatchObject({
      severity: 'WARNING',
      missingBars: 2,
      missingOpenTimes: HOLE.map((t) => new Date(t).toISOString()),
    });
    expect(settled.gate.ok).toBe(false);
    expect(settled.gate.ok ? undefined : settled.gate.error.code).toBe('DATA.MISSING_CANDLES');

    // the day ends; after it settles (00:00 + 2 h) its page is final: only the current day is read
    const day4 = DAY3 + DAY_MS;
    for (const hour of [1, 2]) await tick(at(day4, hour));
    const record = await store.get(candleDays, 'btc_jpy_1h_20210103');
    expect(record).toMatchObject({ complete: false });
    expect(record?.openTimesMs).toHaveLength(22);
    for (let hour = 3; hour <= 11; hour += 1) {
      const { gate } = await tick(at(day4, hour));
      expect(pageCalls, `tick ${hour}:00`).toEqual([day4]);
      expect(gate.ok, `tick ${hour}:00: the gap's last bar is among the newest 24`).toBe(false);
    }
    // 12:00 on day 4: 24 bars closed after the gap -> the gate passes and flags it
    const passed = await tick(at(day4, 12));
    expect(pageCalls).toEqual([day4]);
    expect(passed.gate).toMatchObject({
      ok: true,
      gapFlags: [{ firstMissingOpenMs: HOLE[0], missingBars: 2, ageBars: 24 }],
    });
  });
});
