/**
 * `npm start [-- --bars N] [--exit] [--json] [--port N] [--mode live] [--set NAME=VALUE ...]` (live: the key and secret from
 * BITBANK_API_KEY / BITBANK_API_SECRET or the files BITBANK_API_KEY_FILE / BITBANK_API_SECRET_FILE name):
 * the whole bot running locally on the shipped data. Starts the Firestore emulator (unless
 * FIRESTORE_EMULATOR_HOST names one), the fake bitbank replaying data/candles (scaled to JPY), the
 * fake Yahoo / alternative.me on data/macro, a fake Cloud Storage for the backup, a webhook receiver
 * and a fake Telegram for notifications (unless NOTIFY_* / TELEGRAM_* are set: those are passed
 * through), serves the functions, drives them as Cloud Scheduler would, prints a summary and the dashboard address,
 * and keeps serving until Ctrl-C (or stops with --exit).
 */
import { Command, Option } from 'commander';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SingleBar } from 'cli-progress';
import { readCandlesCsv, readMacroDir } from '../lib/csv.js';
import { collectSet } from '../lib/set-options.js';
import { replaySets } from '../replay/sets.js';
import { EMULATOR_PROJECT_ID, startFirestoreEmulator, type RunningEmulator } from '../lib/firestore-emulator.js';
import { startFakeGcs, type FakeGcs } from '../fake-gcs/server.js';
import { startFakeLogging } from '../fake-logging/server.js';
import { gapFreeStart, startReplay, type ReplaySession } from '../replay/replay.js';
import { drive, DEFAULT_SCHEDULE, type StartSummary } from './drive.js';
import { missingPrerequisite, systemProbe } from './prerequisites.js';
import { credentialsFromEnv, refuseSecretArguments, type ApiCredentials } from '../lib/secret-args.js';

refuseSecretArguments('npm start');
import { startNotifyFakes } from './notify-fakes.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CANDLES = join(root, 'data/candles/binance-btcusdt-1h-2017-2022.csv');
const MACRO_DIR = join(root, 'data/macro');
const QUOTE_PER_USD = 150;
/** The first bar is searched from here: the macro series (Fear & Greed from 2018-02) cover the model's training window. */
const FIRST_BAR_FROM = Date.UTC(2019, 5, 1);
const BUCKET = 'crypto-bot-local-backups';

const integer = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`not a whole number: ${v}`);
  return n;
};

const program = new Command('start')
  .description('Runs the whole bot locally on the shipped candles, as Cloud Scheduler would drive it')
  .option('--bars <n>', 'bars to replay (720 = a month of 1-hour bars)', integer, 720)
  .option('--exit', 'stop after the summary instead of serving until Ctrl-C')
  .option('--json', 'print the summary as one JSON object on the last line')
  .option(
    '--port <n>',
    'first of seven consecutive loopback ports for tick, health, logCheck, backup, retrain, notify, telegram (0: free ports)',
    integer,
    0,
  )
  .addOption(
    new Option(
      '--mode <mode>',
      'paper (simulated fills) or live (real orders, to the fake bitbank, signed with BITBANK_API_KEY / BITBANK_API_SECRET from the environment)',
    )
      .choices(['paper', 'live'])
      .default('paper'),
  )
  .option(
    '--set <NAME=VALUE>',
    'a setting of shared/config.ts for the bot, by its environment name (repeatable)',
    collectSet,
    {},
  );

interface Options {
  bars: number;
  exit?: boolean;
  json?: boolean;
  port: number;
  mode: 'paper' | 'live';
  set: Record<string, string>;
}

function fail(sentence: string): never {
  process.stderr.write(`npm start: ${sentence}\n`);
  process.exit(1);
}

function printSummary(s: StartSummary, out: (line: string) => void): void {
  const lines: Array<[string, string | number | boolean | null]> = [
    ['bars', `${s.bars} from ${s.start} (${s.mode})`],
    ['ticks', `${s.ticksOk} ok, ${s.ticksFailed} failed, ${s.duplicatesIgnored} duplicates ignored`],
    [
      'orders',
      `${s.ordersSent} sent by the bot, ${s.ordersOnExchange} on the fake exchange, ${s.ordersWithoutIntent} without an intent`,
    ],
    ['trades', s.trades],
    ['equity', s.equityJpy === null ? null : `${Math.round(s.equityJpy).toLocaleString('en-US')} JPY`],
    ['position matches exchange', s.positionMatchesExchange],
    ['reconcile fixes', s.reconcileFixes],
    ['firestore per tick', `${s.firestore.readsPerTick} reads, ${s.firestore.writesPerTick} writes`],
    ['health /detailed', JSON.stringify(s.health.statuses)],
    ['logCheck', JSON.stringify(s.logCheck.statuses)],
    ['backup', s.backup ? `${s.backup.status} ${s.backup.uri ?? s.backup.code ?? ''}` : null],
    [
      'notified (messages by kind)',
      `${
        Object.entries(s.notify.sentByKind)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ') || 'none'
      } (notify ${JSON.stringify(s.notify.statuses)})`,
    ],
  ];
  for (const [key, value] of lines) out(`${key.padEnd(26)} ${String(value)}`);
}

async function main(): Promise<void> {
  const o = program.parse().opts<Options>();
  let credentials: ApiCredentials | undefined;
  try {
    credentials = o.mode === 'live' ? credentialsFromEnv() : undefined;
  } catch (error) {
    fail(`${(error as Error).message}.`);
  }
  if (o.mode === 'live' && !credentials)
    fail(
      '--mode live needs BITBANK_API_KEY and BITBANK_API_SECRET in the environment (or BITBANK_API_KEY_FILE / BITBANK_API_SECRET_FILE): the fake bitbank is started with them.',
    );
  if (o.bars < 1) fail('--bars must be at least 1.');
  let sets: Record<string, string> = {};
  try {
    sets = replaySets(o.set, process.env);
  } catch (error) {
    fail((error as Error).message);
  }
  // Local run: the Google clients must not probe for a GCE metadata server (slow, and a warning on stderr).
  process.env.METADATA_SERVER_DETECTION ??= 'none';
  const problem = await missingPrerequisite(systemProbe, o.port);
  if (problem) fail(problem);

  const cleanup: Array<() => Promise<void>> = [];
  const shutdown = async (code: number): Promise<never> => {
    for (const stop of cleanup.reverse()) await stop().catch(() => undefined);
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  let emulator: RunningEmulator | undefined;
  if (!process.env.FIRESTORE_EMULATOR_HOST) {
    try {
      emulator = await startFirestoreEmulator();
    } catch (error) {
      fail(`the Firestore emulator did not start (${(error as Error).message.split('\n')[0]}).`);
    }
    cleanup.push(() => (emulator as RunningEmulator).stop());
    process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
  }
  const gcs: FakeGcs = await startFakeGcs({ buckets: [BUCKET] });
  cleanup.push(() => gcs.close());
  const notifyFakes = await startNotifyFakes();
  cleanup.push(() => notifyFakes.close());

  const logDir = mkdtempSync(join(tmpdir(), 'crypto-bot-start-'));
  const logFile = join(logDir, 'bot.log');
  const logStream = createWriteStream(logFile);
  cleanup.push(() => new Promise<void>((r) => logStream.end(() => r())));
  const say = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  // Cloud Logging stand-in: every bot log line is also an entry there, stamped with the replayed time, so logCheck queries real lines.
  const logging = await startFakeLogging();
  cleanup.push(() => logging.close());
  let replayNowMs = (): number => Date.now();
  const logLine = (line: string): void => {
    logStream.write(line.endsWith('\n') ? line : `${line}\n`);
    try {
      const payload = JSON.parse(line) as Record<string, unknown>;
      logging.add([
        {
          timestamp: new Date(replayNowMs()).toISOString(),
          severity: String(payload.severity ?? 'DEFAULT'),
          logName: `projects/${EMULATOR_PROJECT_ID}/logs/run.googleapis.com%2Fstdout`,
          jsonPayload: payload,
        },
      ]);
    } catch {
      // not a JSON line: kept in the file only
    }
  };

  const candles = readCandlesCsv(CANDLES, { quotePerUsd: QUOTE_PER_USD });
  const from = candles.findIndex((c) => c.openTimeMs >= FIRST_BAR_FROM);
  const startMs = candles[gapFreeStart(candles, o.bars, from)]?.openTimeMs as number;
  say(
    `replaying ${relative(process.cwd(), CANDLES)} (USDT prices scaled to JPY with quote-per-usd ${QUOTE_PER_USD}), ${o.bars} bars from ${new Date(startMs).toISOString()}, ${o.mode} mode`,
  );
  say(
    `macro series from ${relative(process.cwd(), MACRO_DIR)} through the fake Yahoo / alternative.me; backups to a fake Cloud Storage bucket ${BUCKET}`,
  );
  say(
    `Firestore emulator ${process.env.FIRESTORE_EMULATOR_HOST}; bot log lines in ${logFile} (and in a fake Cloud Logging that logCheck queries)`,
  );
  say('training the model on the bars before the replay ...');

  let session: ReplaySession;
  try {
    session = await startReplay({
      candles,
      bars: o.bars,
      startMs,
      mode: o.mode,
      duplicates: 1,
      macro: { dir: MACRO_DIR, fixturesDir: join(root, 'data/fixtures/yahoo-finance2'), data: readMacroDir(MACRO_DIR) },
      ...(credentials ? { apiKey: credentials.apiKey, apiSecret: credentials.apiSecret } : {}),
      firstPort: o.port,
      logLevel: 'INFO',
      log: logLine,
      env: {
        BACKUP_BUCKET: BUCKET,
        STORAGE_API_ENDPOINT: gcs.endpoint,
        LOGGING_API_ENDPOINT: logging.endpoint,
        ...notifyFakes.env,
        ...sets,
      },
    });
  } catch (error) {
    const message = (error as Error).message;
    if (/EADDRINUSE/.test(message)) fail(`a port from ${o.port} is busy: pick other ports with --port N.`);
    throw error;
  }
  cleanup.unshift(() => session.close());
  replayNowMs = () => session.clock.nowMs();
  for (const [name, url] of Object.entries(session.urls)) say(`${name.padEnd(9)} ${url}`);
  await notifyFakes.registerWebhook(session.urls.telegram);
  for (const line of notifyFakes.channels) say(`notify    ${line}`);

  const bar = new SingleBar({
    format: 'bars {value}/{total} | trades {trades} | equity {equity} JPY | failures {failures} | {duration_formatted}',
    stream: process.stderr,
    hideCursor: true,
  });
  bar.start(o.bars, 0, { trades: 0, equity: '-', failures: 0 });
  const summary = await drive(session, { ...DEFAULT_SCHEDULE, bars: o.bars }, (p) => {
    bar.update(p.done, {
      trades: p.trades,
      equity: p.equityJpy === null ? '-' : Math.round(p.equityJpy).toLocaleString('en-US'),
      failures: p.failures,
    });
  });
  bar.stop();

  const out = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  printSummary(summary, o.json ? say : out);
  for (const { command, answer } of await notifyFakes.ask(['/status', '/profit']))
    (o.json ? say : out)(`telegram ${command}`.padEnd(27) + answer.replace(/\n/g, ' | '));
  out(`dashboard: ${session.urls.health}dashboard`);
  if (o.json) out(JSON.stringify(summary));
  const ok = summary.ticksFailed === 0 && summary.positionMatchesExchange;
  if (o.exit) await shutdown(ok ? 0 : 1);
  say('serving until Ctrl-C');
}

main().catch((error: unknown) => {
  fail(`stopped by an unexpected error: ${error instanceof Error ? error.message : String(error)}`);
});
