import { Command } from 'commander';
import { readCandlesCsv } from '../lib/csv.js';
import { startFakeBitbank } from './server.js';
import { credentialsFromEnv, refuseSecretArguments } from '../lib/secret-args.js';

refuseSecretArguments('fake-bitbank');

/**
 * `npm run fake-bitbank -- --port 0 --candles FILE [--start ISO] [--quote-per-usd N] [--rate-limit]`:
 * serves the fake on 127.0.0.1 until SIGINT/SIGTERM. The key and secret it accepts come from
 * BITBANK_API_KEY / BITBANK_API_SECRET (or their _FILE variants), else fake-key / fake-secret.
 */
const program = new Command()
  .name('fake-bitbank')
  .description('A local fake of the bitbank REST API replaying 1h candles')
  .requiredOption('--candles <file>', 'CSV open_time_ms,open,high,low,close,volume')
  .option('--port <port>', 'port (0 = a free one)', '0')
  .option('--start <iso>', 'replay clock start (default: close of the 200th candle)')
  .option('--quote-per-usd <n>', 'scale a USD-priced file to JPY (e.g. 150)', '1')
  .option('--rate-limit', "answer 429/10009 over bitbank's QUERY 10/s, UPDATE 6/s", false)
  .parse();

const opts = program.opts<{ candles: string; port: string; start?: string; quotePerUsd: string; rateLimit: boolean }>();
const credentials = credentialsFromEnv() ?? { apiKey: 'fake-key', apiSecret: 'fake-secret' };
const startMs = opts.start === undefined ? undefined : Date.parse(opts.start);
if (startMs !== undefined && Number.isNaN(startMs)) program.error(`--start is not an ISO time: ${opts.start}`);
const fake = await startFakeBitbank({
  port: Number(opts.port),
  candles: readCandlesCsv(opts.candles, { quotePerUsd: Number(opts.quotePerUsd) }),
  apiKey: credentials.apiKey,
  apiSecret: credentials.apiSecret,
  nowMs: startMs,
  rateLimit: opts.rateLimit,
});
console.log(`fake-bitbank listening on ${fake.url}`);
const stop = (): void => {
  fake.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
