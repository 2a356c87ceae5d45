/**
 * `npm run replay -- --candles FILE [--macro DIR] --bars N [--start ISO] [--mode paper|live]
 *   [--duplicates K] [--quote-per-usd N] [--model FILE] [--set NAME=VALUE ...] [--json]`
 * Replays FILE through the whole bot locally (emulator, fake bitbank, functions-framework) and
 * prints one summary (JSON with --json). Exit code 1 when a tick failed, positions disagree or an order
 * on the fake has no intent.
 * Live mode signs with BITBANK_API_KEY / BITBANK_API_SECRET from the environment (or their _FILE
 * variants) when set, else with the fake's own fake-key / fake-secret; never with arguments.
 */
import { Command, Option } from 'commander';
import { join } from 'node:path';
import { readCandlesCsv, readMacroDir } from '../lib/csv.js';
import { collectSet } from '../lib/set-options.js';
import { runReplay } from './replay.js';
import { credentialsFromEnv, refuseSecretArguments } from '../lib/secret-args.js';

refuseSecretArguments('npm run replay');
import { replaySets } from './sets.js';

const program = new Command('replay')
  .requiredOption('--candles <file>', 'candle CSV (open_time_ms,open,high,low,close,volume)')
  .option('--macro <dir>', 'macro folder laid out like data/macro/ (served by the fake Yahoo; MACRO_MODE=required)')
  .option('--bars <n>', 'bars to replay', (v) => Number.parseInt(v, 10), 48)
  .option(
    '--start <iso>',
    'open time of the first replayed bar (default: the first gap-free stretch after the training window)',
  )
  .addOption(
    new Option('--mode <mode>', 'paper (simulated fills) or live (orders to the fake bitbank)')
      .choices(['paper', 'live'])
      .default('paper'),
  )
  .option('--duplicates <k>', 'concurrent deliveries of each bar', (v) => Number.parseInt(v, 10), 1)
  .option('--quote-per-usd <n>', 'scale a USD-priced file to JPY levels', Number, 1)
  .option('--model <file>', 'model artifact JSON (default: trained on the bars before the replay)')
  .option('--train-bars <n>', 'bars the default model trains on', (v) => Number.parseInt(v, 10), 2000)
  .option(
    '--set <NAME=VALUE>',
    'a setting of shared/config.ts for the replayed functions, by its environment name (repeatable)',
    collectSet,
    {},
  )
  .option('--verbose', 'log INFO lines to stderr')
  .option('--json', 'print the summary as one JSON object');

async function main(): Promise<void> {
  const opts = program.parse().opts<{
    candles: string;
    macro?: string;
    bars: number;
    start?: string;
    mode: 'paper' | 'live';
    duplicates: number;
    quotePerUsd: number;
    model?: string;
    trainBars: number;
    set: Record<string, string>;
    verbose?: boolean;
    json?: boolean;
  }>();
  const env = replaySets(opts.set, process.env);
  const candles = readCandlesCsv(opts.candles, { quotePerUsd: opts.quotePerUsd });
  const startMs = opts.start ? Date.parse(opts.start) : undefined;
  if (startMs !== undefined && !Number.isFinite(startMs)) throw new Error(`--start is not a time: ${opts.start}`);
  const macro = opts.macro
    ? {
        dir: opts.macro,
        fixturesDir: join(opts.macro, '..', 'fixtures', 'yahoo-finance2'),
        data: readMacroDir(opts.macro),
      }
    : undefined;
  const credentials = credentialsFromEnv();
  const { summary } = await runReplay({
    ...(credentials ? { apiKey: credentials.apiKey, apiSecret: credentials.apiSecret } : {}),
    candles,
    bars: opts.bars,
    mode: opts.mode,
    duplicates: opts.duplicates,
    trainBars: opts.trainBars,
    ...(macro ? { macro } : {}),
    ...(startMs !== undefined ? { startMs } : {}),
    ...(opts.model ? { modelFile: opts.model } : {}),
    logLevel: opts.verbose ? 'INFO' : 'WARNING',
    env,
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else
    for (const [key, value] of Object.entries(summary))
      console.log(`${key.padEnd(24)} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  process.exitCode =
    summary.ticksFailed === 0 && summary.positionMatchesExchange && summary.ordersWithoutIntent === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`replay failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
