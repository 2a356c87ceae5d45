import { Command } from 'commander';
import { readCandlesCsv } from '../lib/csv.js';
import { startFakeBitbank } from './server.js';

/**
 * `npm run fake-bitbank -- --port 0 --candles FILE [--api-key K --api-secret S] [--start ISO]
 * [--quote-per-usd N] [--rate-limit]`: serves the fake on 127.0.0.1 until SIGINT/SIGTERM.
 */
const program = new Command()
  .name('fake-bitbank')
  .description('A local fake of the bitbank REST API replaying 1h candles')
  .requiredOption('--candles <file>', 'CSV open_time_ms,open,high,low,close,volume')
  .option('--port <port>', 'port (0 = a free one)', '0')
  .option('--api-key <key>', 'API key the fake accepts', 'fake-key')
  .option('--api-secret <secret>', 'API secret the fake verifies signatures with', 'fake-secret')
  .option('--start <iso>', 'replay clock start (default: close of the 200th candle)')
  .option('--quote-per-usd <n>', 'scale a USD-priced file to JPY (e.g. 150)', '1')
  .option('--rate-limit', "answer 429/10009 over bitbank's QUERY 10/s, UPDATE 6/s", false)
  .parse();

const opts = program.opts<{ candles: string; port: string; apiKey: string; apiSecret: string; start?: string; quotePerUsd: string; rateLimit: boolean }>();
const startMs = opts.start === undefined ? undefined : Date.parse(opts.start);
if (startMs !== undefined && Number.isNaN(startMs)) program.error(`--start is not an ISO time: ${opts.start}`);
const fake = await startFakeBitbank({
  port: Number(opts.port),
  candles: readCandlesCsv(opts.candles, { quotePerUsd: Number(opts.quotePerUsd) }),
  apiKey: opts.apiKey,
  apiSecret: opts.apiSecret,
  nowMs: startMs,
  rateLimit: opts.rateLimit,
});
console.log(`fake-bitbank listening on ${fake.url}`);
const stop = (): void => {
  fake.close().then(() => process.exit(0), () => process.exit(1));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
