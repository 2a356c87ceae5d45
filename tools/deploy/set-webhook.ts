/**
 * `npx tsx tools/deploy/set-webhook.ts --project=P --region=R`: the deploy's last Telegram step.
 * Registers the deployed `telegram` function as the bot's webhook with `setWebhook` and the secret
 * token Telegram will send in X-Telegram-Bot-Api-Secret-Token. The token and the secret are read
 * from Secret Manager through gcloud's stdout (never an argument, a log line or a file) and
 * nothing secret is printed.
 */
import { execFileSync } from 'node:child_process';
import { NOTIFY_SECRETS } from './functions.js';
import { SETTINGS } from '../../shared/config.js';
import { telegramMethodUrl } from '../../shared/adapters/notify/destinations.js';

function arg(name: string): string {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (!found) throw new Error(`--${name}=... is required`);
  return found.slice(name.length + 3);
}

const gcloud = (args: string[]): string =>
  execFileSync('gcloud', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 60_000 }).trim();

async function main(): Promise<void> {
  const project = arg('project');
  const region = arg('region');
  const secret = (name: string): string =>
    gcloud(['secrets', 'versions', 'access', 'latest', `--secret=${name}`, `--project=${project}`]);
  const token = secret(NOTIFY_SECRETS.TELEGRAM_BOT_TOKEN.secret);
  const webhookSecret = secret(NOTIFY_SECRETS.TELEGRAM_WEBHOOK_SECRET.secret);
  const url = gcloud([
    'functions',
    'describe',
    'telegram',
    '--gen2',
    `--region=${region}`,
    `--project=${project}`,
    '--format=value(serviceConfig.uri)',
  ]);
  const api = process.env.TELEGRAM_API_URL ?? SETTINGS.TELEGRAM_API_URL.schema.parse(undefined);
  const response = await fetch(telegramMethodUrl(api, token, 'setWebhook'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      url,
      secret_token: webhookSecret,
      allowed_updates: ['message'],
      drop_pending_updates: true,
    }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await response.json().catch(() => ({}))) as { ok?: boolean; description?: string };
  if (!response.ok || body.ok !== true)
    throw new Error(`setWebhook answered ${response.status}: ${body.description ?? 'no description'}`);
  console.log(`telegram webhook set to ${url} (secret token from ${NOTIFY_SECRETS.TELEGRAM_WEBHOOK_SECRET.secret})`);
}

main().catch((error: unknown) => {
  console.error(`set-webhook: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
