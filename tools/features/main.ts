/**
 * `npm run features -- --candles FILE [--macro DIR] [--quote-per-usd N] --at ISO_TIME --json`
 * prints the features of the bar opening at that time, computed exactly as the live tick does
 * (the last-bar path over the trailing window). `--list` prints the registry, `--markdown`
 * writes docs/features.md.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { computeLatestFeatures } from '../../shared/core/features/index.js';
import { readCandlesCsv, readMacroDir } from '../lib/csv.js';
import { renderFeatureList, renderFeaturesMarkdown } from './render.js';
import { refuseSecretArguments } from '../lib/secret-args.js';

refuseSecretArguments('npm run features');

export const DOCS_PATH = fileURLToPath(new URL('../../docs/features.md', import.meta.url));

const positive = (value: string): number => {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError('must be a positive number');
  return n;
};

/** Runs the CLI on `argv` (without node and script); returns the exit code. */
export function runFeaturesCli(
  argv: readonly string[],
  print: (text: string) => void = (t) => process.stdout.write(t),
): number {
  const program = new Command('features')
    .option('--candles <file>', 'candle CSV: open_time_ms,open,high,low,close,volume')
    .option('--macro <dir>', 'folder laid out like data/macro (without it, macro features are reported missing)')
    .option('--quote-per-usd <n>', 'scale prices of a USD(T) file to JPY', positive, 1)
    .option('--max-macro-age-days <n>', 'macro values older than this are stale', positive, 4)
    .option('--at <iso>', 'open time of the bar, e.g. 2022-10-11T10:00:00Z')
    .option('--json', 'print {"at", "features", "flags"} as JSON')
    .option('--list', 'print the registry table')
    .option('--markdown [file]', 'write the registry as markdown (default docs/features.md)')
    .exitOverride()
    .configureOutput({ writeOut: print, writeErr: print });
  program.parse([...argv], { from: 'user' });
  const opts = program.opts<{
    candles?: string;
    macro?: string;
    quotePerUsd: number;
    maxMacroAgeDays: number;
    at?: string;
    json?: boolean;
    list?: boolean;
    markdown?: string | boolean;
  }>();
  if (opts.list) {
    print(renderFeatureList());
    return 0;
  }
  if (opts.markdown !== undefined) {
    const path = typeof opts.markdown === 'string' ? opts.markdown : DOCS_PATH;
    writeFileSync(path, renderFeaturesMarkdown());
    print(`wrote ${path}\n`);
    return 0;
  }
  if (opts.candles === undefined || opts.at === undefined) {
    print('features: give --list, --markdown, or --candles FILE --at ISO_TIME\n');
    return 2;
  }
  const atMs = Date.parse(opts.at);
  const candles = readCandlesCsv(opts.candles, { quotePerUsd: opts.quotePerUsd });
  const index = candles.findIndex((c) => c.openTimeMs === atMs);
  if (!Number.isFinite(atMs) || index < 0) {
    print(`features: no bar opens at ${opts.at} in ${opts.candles}\n`);
    return 2;
  }
  const macro = opts.macro === undefined ? undefined : readMacroDir(opts.macro);
  const vector = computeLatestFeatures(candles.slice(0, index + 1), macro, { macroMaxAgeDays: opts.maxMacroAgeDays });
  const at = new Date(vector.openTimeMs).toISOString();
  if (opts.json) {
    print(`${JSON.stringify({ at, features: vector.features, flags: vector.flags })}\n`);
  } else {
    print(`bar ${at}\n`);
    for (const [name, value] of Object.entries(vector.features))
      print(`${name.padEnd(30)} ${Number.isNaN(value) ? `NaN  (${vector.flags[name]})` : value}\n`);
  }
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    process.exitCode = runFeaturesCli(process.argv.slice(2));
  } catch (error) {
    const e = error as { code?: string; exitCode?: number; message: string };
    if (e.code?.startsWith('commander.')) process.exitCode = e.exitCode ?? 2;
    else {
      console.error(`features: ${e.message}`);
      process.exitCode = 1;
    }
  }
}
