/**
 * `npm run live-check -- --confirm [--secret-manager --project P]`: run before `BOT_MODE=live`.
 * Places real orders of the exchange's minimum amount on the account the keys belong to, checks
 * what the bot relies on, and cancels and closes everything it opened (tools/live-check/live-check.ts).
 * Keys: BITBANK_API_KEY / BITBANK_API_SECRET in the environment (or the files *_FILE name), or with
 * --secret-manager the latest versions of the Secret Manager secrets BITBANK_KEY_SECRET_NAME /
 * BITBANK_SECRET_SECRET_NAME read through gcloud's stdout. Never as arguments.
 */
import { execFileSync } from 'node:child_process';
import { Command } from 'commander';
import { loadConfig } from '../../shared/config.js';
import { toBotError } from '../../shared/core/errors.js';
import { JsonLogger } from '../../shared/adapters/json-logger.js';
import { systemClock } from '../../shared/adapters/system-clock.js';
import { bitbankExchangeFromConfig } from '../../shared/adapters/bitbank/bitbank-exchange.js';
import { credentialsFromEnv, refuseSecretArguments, type ApiCredentials } from '../lib/secret-args.js';
import { runLiveCheck } from './live-check.js';

refuseSecretArguments('npm run live-check');

const GCLOUD_TIMEOUT_MS = 30_000;

function fromSecretManager(project: string, name: string): string {
  // The value arrives on gcloud's stdout; nothing secret is on any command line.
  const value = execFileSync(
    'gcloud',
    ['secrets', 'versions', 'access', 'latest', `--secret=${name}`, `--project=${project}`],
    { encoding: 'utf8', timeout: GCLOUD_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (value.trim() === '') throw new Error(`Secret Manager secret ${name} is empty`);
  return value.replace(/\r?\n$/, '');
}

async function main(): Promise<number> {
  const program = new Command('live-check')
    .option('--confirm', 'place real orders of the minimum amount (required: without it nothing is sent)')
    .option(
      '--secret-manager',
      'read the key and secret from Secret Manager (with --project) instead of the environment',
    )
    .option('--project <id>', 'Google Cloud project of the secrets (with --secret-manager)')
    .parse();
  const opts = program.opts<{ confirm?: boolean; secretManager?: boolean; project?: string }>();
  const base = loadConfig(
    Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BITBANK_API_'))),
  );
  let credentials: ApiCredentials | undefined;
  if (opts.secretManager) {
    if (!opts.project) throw new Error('--secret-manager needs --project P');
    credentials = {
      apiKey: fromSecretManager(opts.project, base.BITBANK_KEY_SECRET_NAME),
      apiSecret: fromSecretManager(opts.project, base.BITBANK_SECRET_SECRET_NAME),
    };
  } else {
    credentials = credentialsFromEnv();
  }
  if (!credentials) {
    process.stderr.write(
      'npm run live-check: set BITBANK_API_KEY and BITBANK_API_SECRET in the environment (or *_FILE), or use --secret-manager --project P.\n',
    );
    return 2;
  }
  if (!opts.confirm) {
    process.stderr.write(
      `npm run live-check: this places real orders (the minimum amount) on ${base.BITBANK_PRIVATE_URL} and closes them again; run it again with --confirm.\n`,
    );
    return 2;
  }
  const config = { ...base, BITBANK_API_KEY: credentials.apiKey, BITBANK_API_SECRET: credentials.apiSecret };
  const logger = new JsonLogger({
    minSeverity: 'WARNING',
    write: (l) => process.stderr.write(l.endsWith('\n') ? l : `${l}\n`),
    secrets: [credentials.apiKey, credentials.apiSecret],
  });
  const exchange = bitbankExchangeFromConfig(config, { clock: systemClock, random: Math.random, logger });
  console.log(`live-check on ${config.BITBANK_PRIVATE_URL}, pair ${config.BOT_PAIR}`);
  const report = await runLiveCheck(exchange, { pair: config.BOT_PAIR, log: (line) => console.log(line) });
  console.log(
    report.ok
      ? 'live-check passed: the account is ready for BOT_MODE=live'
      : 'live-check FAILED: do not switch to BOT_MODE=live until it passes',
  );
  return report.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`npm run live-check failed: ${toBotError(error).message.slice(0, 300)}\n`);
    process.exit(1);
  },
);
