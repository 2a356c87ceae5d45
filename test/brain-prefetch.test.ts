import { beforeAll, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { readCandlesCsv } from '../tools/lib/csv.js';
import { HOUR_MS, type Candle, type Timeframe } from '../shared/core/candle.js';
import { TemporaryExchangeError } from '../shared/core/errors.js';
import { DEFAULT_STRATEGY_SETTINGS } from '../shared/core/strategy/settings.js';
import { planInput } from '../shared/core/strategy/test-fixtures.js';
import type { CandleSource } from '../shared/ports/candle-source.port.js';
import { systemClock } from '../shared/adapters/system-clock.js';
import { JsonLogger } from '../shared/adapters/json-logger.js';
import { createBrain } from '../shared/app/brain.js';
import type { DecisionContext } from '../shared/app/tick-deps.js';
import { CountingStore } from '../tools/replay/counting-store.js';
import { describeWithEmulator, emulatorStore } from './support/emulator.js';

const FILE = fileURLToPath(new URL('../data/candles/binance-btcusdt-1h-2017-2022.csv', import.meta.url));

class CountingSource implements CandleSource {
  pages = 0;
  failNext = false;
  constructor(private readonly candles: readonly Candle[]) {}
  async fetchClosedCandles(r: {
    fromMs: number;
    toMs: number;
    nowMs: number;
    timeframe: Timeframe;
  }): Promise<Candle[]> {
    this.pages += 1;
    if (this.failNext) {
      this.failNext = false;
      throw new TemporaryExchangeError('EXCHANGE.UNAVAILABLE', 'bitbank 503');
    }
    return this.candles.filter(
      (c) => c.openTimeMs >= r.fromMs && c.openTimeMs < r.toMs && c.openTimeMs + HOUR_MS <= r.nowMs,
    );
  }
}

/** The decision context: the planner input without candles and macro (the brain loads those). */
const context = (nowMs: number): DecisionContext => {
  const { candles: _c, macro: _m, ...rest } = planInput(nowMs, []);
  return rest;
};

describeWithEmulator('the brain loads the candle window ahead of decide (prefetch)', () => {
  let all: Candle[];
  beforeAll(() => {
    all = readCandlesCsv(FILE, { quotePerUsd: 150 });
  });
  const brainWith = (source: CandleSource, pair: string, store: CountingStore) =>
    createBrain({
      pair,
      timeframe: '1h',
      store,
      clock: systemClock,
      logger: new JsonLogger({ minSeverity: 'ERROR', write: () => undefined }),
      candles: source,
      macro: { mode: 'off', maxAgeDays: 4 },
      settings: DEFAULT_STRATEGY_SETTINGS,
      strategy: 'flat',
      model: () => Promise.reject(new Error('flat reads no model')),
    });

  it('decide uses the prefetched window of its own bar only, and a failed prefetch fails decide with its code', async () => {
    const source = new CountingSource(all);
    const store = new CountingStore(emulatorStore());
    const dayReads = () => store.counts.byCollection.candleDays?.reads ?? 0;
    const brain = brainWith(source, 'btc_jpy_pre', store);
    const t = Date.UTC(2021, 3, 7, 9);
    await brain.decide(context(t - HOUR_MS), AbortSignal.timeout(30_000)); // warm: the store holds the days
    let reads = dayReads();
    brain.prefetch?.(t, AbortSignal.timeout(30_000));
    await brain.decide(context(t), AbortSignal.timeout(30_000));
    expect(dayReads() - reads).toBe(1); // one window load (the running day): decide did not load again

    // A prefetch for another bar is not used: decide loads its own bar's window.
    reads = dayReads();
    brain.prefetch?.(t + HOUR_MS, AbortSignal.timeout(30_000));
    await brain.decide(context(t + 2 * HOUR_MS), AbortSignal.timeout(30_000));
    expect(dayReads() - reads).toBe(2);

    source.failNext = true;
    brain.prefetch?.(t + 3 * HOUR_MS, AbortSignal.timeout(30_000));
    await expect(brain.decide(context(t + 3 * HOUR_MS), AbortSignal.timeout(30_000))).rejects.toMatchObject({
      code: 'EXCHANGE.UNAVAILABLE',
    });
    await expect(brain.decide(context(t + 3 * HOUR_MS), AbortSignal.timeout(30_000))).resolves.toMatchObject({
      plan: { action: 'hold' },
    });
  });
});
