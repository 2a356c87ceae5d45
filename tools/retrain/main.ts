/**
 * `npm run retrain -- --candles FILE [--macro DIR] [--quote-per-usd N] --out model.json`
 * Trains on the file's latest window (walk-forward evaluated first, as the `retrain` function
 * does) and prints the validation figures as JSON. Without --macro the model reads only the
 * non-macro features (for `MACRO_MODE=off`).
 */
import { Command, InvalidArgumentError } from 'commander';
import { readFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { retrainFromFiles } from './run.js';
import { refuseSecretArguments } from '../lib/secret-args.js';

refuseSecretArguments('npm run retrain');

const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
};
const positive = (v: string): number => {
  const n = Number(v);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError('expected a positive number');
  return n;
};
const isoTime = (v: string): number => {
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw new InvalidArgumentError('expected an ISO time');
  return ms;
};

const program = new Command('retrain')
  .requiredOption('--candles <file>', 'candle CSV: open_time_ms,open,high,low,close,volume')
  .option('--macro <dir>', 'macro folder laid out like data/macro (without it: non-macro features only)')
  .option('--quote-per-usd <n>', 'scale prices of a USD(T) file to JPY levels', positive, 1)
  .requiredOption('--out <file>', 'where to write the model artifact (JSON)')
  .option('--seed <n>', 'seed of the ensemble', positiveInt, 1)
  .option('--train-bars <n>', 'training window, bars', positiveInt, 1000)
  .option(
    '--eval-bars <n>',
    'bars evaluated walk-forward before the latest window (0: the whole file)',
    positiveInt,
    4032,
  )
  .option('--until <iso>', 'use only candles opening before this time (keep a hold-out untouched)', isoTime)
  .option('--current <file>', 'the artifact in use, to compare against on the same out-of-sample bars')
  .option('--created-at <iso>', 'artifact creation time (default: now)', isoTime)
  .parse();

const o = program.opts<{
  candles: string;
  macro?: string;
  quotePerUsd: number;
  out: string;
  seed: number;
  trainBars: number;
  evalBars: number;
  until?: number;
  current?: string;
  createdAt?: number;
}>();
const bar = process.stderr.isTTY
  ? new cliProgress.SingleBar(
      { format: 'walk-forward {bar} {value}/{total} folds | {eta}s left' },
      cliProgress.Presets.shades_classic,
    )
  : undefined;
try {
  const report = retrainFromFiles({
    candles: o.candles,
    ...(o.macro === undefined ? {} : { macro: o.macro }),
    quotePerUsd: o.quotePerUsd,
    out: o.out,
    seed: o.seed,
    createdAtMs: o.createdAt ?? Date.now(),
    trainBars: o.trainBars,
    evalBars: o.evalBars,
    ...(o.until === undefined ? {} : { untilMs: o.until }),
    ...(o.current === undefined ? {} : { current: JSON.parse(readFileSync(o.current, 'utf8')) as unknown }),
    onFold: (done, total) => {
      if (done === 1) bar?.start(total, 0);
      bar?.update(done);
    },
  });
  bar?.stop();
  console.log(JSON.stringify(report, null, 2));
} catch (error) {
  bar?.stop();
  const e = error as { code?: string; message?: string };
  console.error(JSON.stringify({ code: e.code ?? 'INTERNAL', message: e.message ?? String(error) }));
  process.exitCode = 1;
}
