/**
 * `npm run deploy -- --project P [--region asia-northeast1] [--mode paper|live] [--settings-file deploy.env.yaml]
 *                   [--notification-channel projects/P/notificationChannels/ID ...] [--dry-run]`
 * Every setting comes from the settings file (tools/deploy/settings.ts) and reaches each function as its
 * --env-vars-file. Builds the bundles and applies everything with gcloud, in the order of `deployPlan`. With
 * --dry-run it prints every command and runs none.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SETTINGS } from '../../shared/config.js';
import { FUNCTION_SPECS, type NotifyChannel } from './functions.js';
import {
  DEPLOY_ENV_FILE,
  functionEnv,
  parseSettingsYaml,
  renderSettingsYaml,
  resolveDeploySettings,
  type CliSettings,
} from './settings.js';
import type { FunctionName } from '../../functions/registry.js';
import type { CollectionDef } from '../../shared/ports/store.port.js';
import { alertPolicies, dashboard, logMetrics } from './monitoring.js';
import { ALERTS } from './runbook.js';
import { DASHBOARD_FILE, ROOT, metricFile } from './generate.js';
import { loadJobs } from './jobs.js';
import { deployPlan, renderPlan, shellLine, type CompositeIndex, type PlanInput, type Step } from './plan.js';
import { parseCli } from '../lib/cli.js';
import { refuseSecretArguments } from '../lib/secret-args.js';
import { ConfigurationError } from '../../shared/core/errors.js';

refuseSecretArguments('npm run deploy');

export type Runner = (argv: readonly string[], capture: boolean) => { code: number; stdout: string; stderr: string };

const spawnRunner: Runner = (argv, capture) => {
  const result = spawnSync(argv[0] as string, argv.slice(1), {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
  });
  return {
    code: result.status ?? 1,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? (result.error ? String(result.error) : ''),
  };
};

/** Every Firestore collection with a TTL, read from the collection definitions in shared/store/. */
export async function ttlCollections(storeDir = join(ROOT, 'shared/store')): Promise<string[]> {
  const names = new Set<string>();
  for (const file of readdirSync(storeDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    const mod = (await import(pathToFileURL(join(storeDir, file)).href)) as Record<string, unknown>;
    for (const value of Object.values(mod)) {
      const def = value as Partial<CollectionDef<unknown>> | undefined;
      if (def && typeof def === 'object' && typeof def.name === 'string' && def.ttl && typeof def.schema === 'object')
        names.add(def.name);
    }
  }
  return [...names].sort();
}

/** Alert policies with the notification channels filled in, written under dist/deploy/. */
function renderAlertFiles(channels: readonly string[]): Array<{ displayName: string; path: string }> {
  const dir = join(ROOT, 'dist/deploy/alerts');
  mkdirSync(dir, { recursive: true });
  return alertPolicies().map((policy, i) => {
    const path = `dist/deploy/alerts/${(ALERTS[i] as (typeof ALERTS)[number]).name}.json`;
    writeFileSync(join(ROOT, path), `${JSON.stringify({ ...policy, notificationChannels: [...channels] }, null, 2)}\n`);
    return { displayName: String(policy.displayName), path };
  });
}

/** The user's deploy.env.yaml (none: every setting at its default). */
export function readUserSettings(path = join(ROOT, DEPLOY_ENV_FILE)): Record<string, string> {
  return existsSync(path) ? parseSettingsYaml(readFileSync(path, 'utf8'), DEPLOY_ENV_FILE) : {};
}

/** Each function's --env-vars-file, written under dist/deploy/env/ (no secrets: they are mounted). */
function renderEnvFiles(
  env: (memory: string) => Record<string, string>,
): Record<FunctionName, { path: string; text: string }> {
  mkdirSync(join(ROOT, 'dist/deploy/env'), { recursive: true });
  const files = {} as Record<FunctionName, { path: string; text: string }>;
  for (const f of FUNCTION_SPECS) {
    const file = { path: `dist/deploy/env/${f.name}.yaml`, text: renderSettingsYaml(env(f.memory)) };
    writeFileSync(join(ROOT, file.path), file.text);
    files[f.name] = file;
  }
  return files;
}

export interface PlanOptions {
  project: string;
  region: string;
  mode?: 'paper' | 'live';
  channels: string[];
  bucket?: string;
  notify?: { channels: readonly NotifyChannel[]; telegramChatIds?: string; locale?: 'en' | 'ja' };
  /** deploy.env.yaml's settings (default: read from the repo root). */
  userSettings?: Record<string, string>;
}

export async function planInput(opts: PlanOptions): Promise<PlanInput> {
  const indexes = (
    JSON.parse(readFileSync(join(ROOT, 'firestore.indexes.json'), 'utf8')) as { indexes: CompositeIndex[] }
  ).indexes;
  const user = opts.userSettings ?? readUserSettings();
  const cli: CliSettings = {
    GCP_PROJECT: opts.project,
    BOT_MODE: opts.mode,
    BACKUP_BUCKET: opts.bucket ?? (user.BACKUP_BUCKET ? undefined : `${opts.project}-crypto-bot-backups`),
    TELEGRAM_CHAT_IDS: opts.notify?.telegramChatIds,
    NOTIFY_LOCALE: opts.notify?.locale,
  };
  const { config } = resolveDeploySettings(user, cli);
  return {
    project: opts.project,
    region: opts.region,
    mode: config.BOT_MODE,
    backupBucket: config.BACKUP_BUCKET as string,
    envFiles: renderEnvFiles((memory) => functionEnv({ memory }, config)),
    secrets: {
      key: SETTINGS.BITBANK_KEY_SECRET_NAME.schema.parse(undefined),
      secret: SETTINGS.BITBANK_SECRET_SECRET_NAME.schema.parse(undefined),
    },
    ttlCollections: await ttlCollections(),
    indexes,
    jobs: loadJobs(),
    ...(opts.notify ? { notify: { channels: opts.notify.channels } } : {}),
    files: {
      metrics: logMetrics().map((m) => ({ name: String(m.name), path: metricFile(String(m.name)) })),
      alerts: renderAlertFiles(opts.channels),
      dashboard: { displayName: String(dashboard().displayName), path: DASHBOARD_FILE },
    },
  };
}

const exists = (stderr: string): boolean => /already exists|ALREADY_EXISTS|409/i.test(stderr);

/** Runs the steps in order; stops at the first failure. Returns the number of steps done. */
export function applyPlan(
  steps: readonly Step[],
  run: Runner,
  log: (line: string) => void,
): { done: number; failed?: { step: Step; stderr: string } } {
  for (const [i, step] of steps.entries()) {
    log(`# ${i + 1}/${steps.length} ${step.what}`);
    if (step.kind === 'run') {
      const r = run(step.argv, step.okIfExists === true);
      if (r.code !== 0 && !(step.okIfExists && exists(r.stderr)))
        return { done: i, failed: { step, stderr: r.stderr } };
      continue;
    }
    const found = run(step.lookup, true);
    const name = found.code === 0 ? (found.stdout.trim().split('\n')[0]?.trim() ?? '') : '';
    const argv = name ? step.update.map((a) => a.replace('{FOUND}', name)) : step.create;
    log(`  ${name ? `update ${name}` : 'create'}: ${shellLine(argv)}`);
    const r = run(argv, false);
    if (r.code !== 0) return { done: i, failed: { step, stderr: r.stderr } };
  }
  return { done: steps.length };
}

export async function runDeployCli(
  argv: string[],
  io: { out: (l: string) => void; err: (l: string) => void } = { out: console.log, err: console.error },
  run: Runner = spawnRunner,
): Promise<number> {
  const program = new Command('deploy')
    .requiredOption('--project <id>', 'Google Cloud project id')
    .option('--region <region>', 'region of the functions, scheduler jobs, Firestore and the bucket', 'asia-northeast1')
    .addOption(
      new Option(
        '--mode <mode>',
        `BOT_MODE of the deployed functions (default: ${DEPLOY_ENV_FILE}'s, else paper)`,
      ).choices(['paper', 'live']),
    )
    .option(
      '--notification-channel <name>',
      'alert notification channel resource name (repeatable)',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option('--bucket <name>', 'backup bucket (default: <project>-crypto-bot-backups)')
    .option(
      '--notify <channel>',
      'enable a notification channel: discord, slack or telegram (repeatable); its secrets must exist in Secret Manager',
      (v: string, prev: string[] = []) => {
        if (!['discord', 'slack', 'telegram'].includes(v))
          throw new InvalidArgumentError('one of discord, slack, telegram');
        return [...prev, v];
      },
    )
    .option('--telegram-chat-ids <ids>', 'TELEGRAM_CHAT_IDS of the notify and telegram functions (comma-separated)')
    .addOption(
      new Option('--notify-locale <locale>', 'NOTIFY_LOCALE of the notify and telegram functions').choices([
        'en',
        'ja',
      ]),
    )
    .option(
      '--settings-file <path>',
      `the settings to deploy (a flat YAML mapping; keys and defaults in deploy.env.example.yaml)`,
      DEPLOY_ENV_FILE,
    )
    .option('--dry-run', 'print every command; apply nothing', false);
  const usage = parseCli(program, argv, io);
  if (usage !== undefined) return usage;
  const o = program.opts<{
    project: string;
    region: string;
    mode?: 'paper' | 'live';
    notificationChannel: string[];
    bucket?: string;
    dryRun: boolean;
    settingsFile: string;
    notify?: Array<'discord' | 'slack' | 'telegram'>;
    telegramChatIds?: string;
    notifyLocale?: 'en' | 'ja';
  }>();
  const notify = {
    channels: [...new Set(o.notify ?? [])],
    ...(o.telegramChatIds ? { telegramChatIds: o.telegramChatIds } : {}),
    ...(o.notifyLocale ? { locale: o.notifyLocale } : {}),
  };
  if (!SETTINGS.GCP_PROJECT.schema.safeParse(o.project).success) {
    io.err(`not a project id: ${o.project}`);
    return 2;
  }
  const settingsPath = resolve(ROOT, o.settingsFile);
  if (o.settingsFile !== DEPLOY_ENV_FILE && !existsSync(settingsPath)) {
    io.err(`no settings file at ${settingsPath}`);
    return 2;
  }
  let input: PlanInput;
  try {
    input = await planInput({
      userSettings: readUserSettings(settingsPath),
      project: o.project,
      region: o.region,
      ...(o.mode ? { mode: o.mode } : {}),
      channels: o.notificationChannel,
      notify,
      ...(o.bucket ? { bucket: o.bucket } : {}),
    });
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    io.err(`nothing deployed: ${error.message}`);
    return 2;
  }
  const steps = deployPlan(input);
  if (o.dryRun) {
    io.out(
      `# deploy plan for project ${o.project}, region ${o.region}, mode ${input.mode}: ${steps.length} steps (dry run: nothing applied)\n`,
    );
    io.out(renderPlan(steps));
    return 0;
  }
  const result = applyPlan(steps, run, io.out);
  if (result.failed) {
    io.err(
      `deploy stopped at "${result.failed.step.what}" after ${result.done} of ${steps.length} steps:\n${result.failed.stderr.trim()}`,
    );
    return 1;
  }
  io.out(`deploy done: ${steps.length} steps`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(ROOT, 'tools/deploy/main.ts')) {
  runDeployCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
