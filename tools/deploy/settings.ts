/**
 * Every setting reaches the cloud: the user's `deploy.env.yaml` (a flat `KEY: value` file; the keys
 * and defaults are listed in `deploy.env.example.yaml`, generated from shared/config.ts), merged with
 * the deploy's command-line options and validated by the same zod schema and cross-setting rules a
 * running function applies, becomes one `--env-vars-file` per function. Secrets never pass here:
 * they are mounted from Secret Manager with `--set-secrets`, and a secret key in the file is refused.
 */
import {
  SECRET_SETTINGS,
  SETTINGS,
  describeSettings,
  loadConfig,
  type Config,
  type SettingName,
} from '../../shared/config.js';
import { ConfigurationError } from '../../shared/core/errors.js';
import { memoryMiB } from './plan.js';
import type { FunctionSpec } from './functions.js';

export const DEPLOY_ENV_FILE = 'deploy.env.yaml';
export const DEPLOY_ENV_EXAMPLE_FILE = 'deploy.env.example.yaml';

const refuse = (message: string): never => {
  throw new ConfigurationError(message, { details: {} });
};

/**
 * Reads a flat YAML mapping of settings: `KEY: value`, `KEY: "double quoted"` or `KEY: 'single quoted'`,
 * `#` comments and blank lines. Anything else (nesting, lists, multi-line values, a key twice) is refused
 * with its line number rather than guessed at.
 */
export function parseSettingsYaml(text: string, file = DEPLOY_ENV_FILE): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trimEnd();
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const m = /^([A-Z][A-Z0-9_]*):(?:\s+(.*))?$/.exec(line);
    if (!m) return refuse(`${file}:${i + 1}: expected "KEY: value" (a flat mapping of setting names), got: ${line}`);
    const key = m[1] as string;
    if (key in out) return refuse(`${file}:${i + 1}: ${key} is set twice`);
    out[key] = scalar(m[2] ?? '', `${file}:${i + 1}`);
  }
  return out;
}

function scalar(value: string, where: string): string {
  if (value.startsWith('"')) {
    const end = /^("(?:[^"\\]|\\.)*")\s*(#.*)?$/.exec(value);
    if (!end) return refuse(`${where}: unterminated double-quoted value`);
    return JSON.parse(end[1] as string) as string;
  }
  if (value.startsWith("'")) {
    const end = /^'((?:[^']|'')*)'\s*(#.*)?$/.exec(value);
    if (!end) return refuse(`${where}: unterminated single-quoted value`);
    return (end[1] as string).replace(/''/g, "'");
  }
  if (/^[[{|>&*!%@`]/.test(value)) return refuse(`${where}: only plain or quoted scalars are allowed, got: ${value}`);
  return value.replace(/\s+#.*$/, '').trim();
}

/** A flat YAML mapping with every value double-quoted (gcloud's --env-vars-file wants strings). */
export function renderSettingsYaml(vars: Readonly<Record<string, string>>): string {
  return Object.entries(vars)
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
    .join('\n')
    .concat('\n');
}

/** What the deploy's own options say (--project, --mode, --bucket, --telegram-chat-ids, --notify-locale). */
export type CliSettings = Partial<
  Record<'GCP_PROJECT' | 'BOT_MODE' | 'BACKUP_BUCKET' | 'TELEGRAM_CHAT_IDS' | 'NOTIFY_LOCALE', string>
>;

/**
 * The configuration to deploy: the user's file and the command line (which must not contradict each
 * other), validated as a cold start would validate it, except that the live keys come from Secret
 * Manager. Throws a ConfigurationError naming each bad key.
 */
export function resolveDeploySettings(
  user: Readonly<Record<string, string>>,
  cli: CliSettings,
): { config: Config; chosen: Record<string, string> } {
  const problems: string[] = [];
  for (const key of Object.keys(user)) {
    if (!(key in SETTINGS)) problems.push(`${key}: not a setting (${DEPLOY_ENV_EXAMPLE_FILE} lists every key)`);
    else if (SECRET_SETTINGS.includes(key as SettingName)) {
      const where = 'store it in Secret Manager (mounted with --set-secrets)';
      problems.push(`${key}: a secret never goes in ${DEPLOY_ENV_FILE}: ${where}`);
    }
  }
  for (const [key, value] of Object.entries(cli)) {
    if (value === undefined || user[key] === undefined || user[key] === value) continue;
    const [inFile, onLine] = [JSON.stringify(user[key]), JSON.stringify(value)];
    problems.push(`${key}: ${DEPLOY_ENV_FILE} says ${inFile}, the command line ${onLine}: choose one`);
  }
  if (problems.length > 0) {
    const keys = problems.map((p) => p.split(':')[0]);
    throw new ConfigurationError(`invalid deploy settings: ${problems.join('; ')}`, { details: { keys } });
  }
  const chosen: Record<string, string> = { ...user };
  for (const [key, value] of Object.entries(cli)) if (value !== undefined) chosen[key] = value;
  return { config: loadConfig(chosen, { liveKeysFromSecretManager: true }), chosen };
}

/**
 * One function's environment: every non-secret setting (the chosen value, else the default), so the
 * deployed function runs what the user configured and nothing is left to a stale variable. NODE_ENV
 * keeps express (inside functions-framework) from answering stack traces; the heap cap at half the
 * instance memory leaves room for buffers and the runtime.
 */
export function functionEnv(f: Pick<FunctionSpec, 'memory'>, config: Config): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    const value = config[name];
    if (SECRET_SETTINGS.includes(name) || value === undefined) continue;
    env[name] = String(value);
  }
  env.NODE_ENV = 'production';
  env.NODE_OPTIONS = `--max-old-space-size=${Math.floor(memoryMiB(f.memory) / 2)}`;
  return env;
}

/** deploy.env.example.yaml: every setting with its meaning and default; secrets named but never set here. */
export function renderDeployEnvExample(): string {
  const lines = [
    '# crypto-bot deploy settings: copy to deploy.env.yaml, uncomment what you change,',
    '# then `npm run deploy -- --project P`. Every key of shared/config.ts with its default',
    '# (generated by `npx tsx tools/deploy/generate.ts`; a test keeps it current).',
    '# The deploy validates the file with the same schema and rules a cold start applies, and writes one',
    '# --env-vars-file per function under dist/deploy/env/. --project, --mode, --bucket, --telegram-chat-ids and',
    '# --notify-locale set GCP_PROJECT, BOT_MODE, BACKUP_BUCKET, TELEGRAM_CHAT_IDS and NOTIFY_LOCALE.',
    '',
  ];
  for (const s of describeSettings()) {
    lines.push(`# ${s.description}`);
    const secret = '(a secret: Secret Manager only, mounted with --set-secrets; refused in this file)';
    if (SECRET_SETTINGS.includes(s.name)) lines.push(`# ${s.name}: ${secret}`);
    else lines.push(`# ${s.name}: ${JSON.stringify(s.defaultValue)}`);
    lines.push('');
  }
  return lines.join('\n');
}
