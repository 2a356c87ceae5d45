import { fileURLToPath } from 'node:url';
import { readCandlesCsv } from '../../tools/lib/csv.js';
import { startReplay, type ReplayOptions, type ReplaySession } from '../../tools/replay/replay.js';
import type { Candle } from '../../shared/core/candle.js';

const CSV = fileURLToPath(new URL('../../data/candles/binance-btcusdt-1h-2017-2022.csv', import.meta.url));
let candles: Candle[] | undefined;

/** The shared candles in JPY (x150), read once per file. */
export function sharedCandles(): Candle[] {
  candles ??= readCandlesCsv(CSV, { quotePerUsd: 150 });
  return candles;
}

export interface Harness {
  session: ReplaySession;
  /** Every log line the functions wrote (JSON text). */
  lines: string[];
  close(): Promise<void>;
}

/**
 * A replay session on the test's emulator (FIRESTORE_EMULATOR_HOST), macro off, a small training
 * window; the process env the replay sets is put back on close.
 */
export async function startHarness(options: Partial<ReplayOptions> & { bars: number }): Promise<Harness> {
  const saved = { ...process.env };
  process.env.METADATA_SERVER_DETECTION = 'none';
  const lines: string[] = [];
  const session = await startReplay({
    candles: sharedCandles(),
    mode: 'paper',
    duplicates: 1,
    trainBars: 800,
    logLevel: 'INFO',
    log: (line) => lines.push(line.trimEnd()),
    ...options,
    // The money-path scenarios need a strategy that trades every few bars: the hourly model, not the daily trend default,
    // on margin: the model's first trades in these bars are shorts (held flat on the spot default, so no order at all)
    // and the fault matrix's account step is the margin status. Spot's live path: test/tick-live-spot.test.ts.
    env: { BOT_STRATEGY: 'ml', BOT_MARKET: 'margin', ...options.env },
  });
  return {
    session,
    lines,
    close: async () => {
      await session.close();
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    },
  };
}
