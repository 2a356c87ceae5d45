/**
 * Each function's runtime settings and its own service account with only the roles it needs.
 * The README's service-account table is rendered from here (and a test keeps them equal).
 */
import type { FunctionName } from '../../functions/registry.js';
import { FUNCTION_TIMEOUT_SECONDS } from '../../shared/config-rules.js';

export interface Grant {
  role: string;
  /** Where the role is granted: the project, the bitbank secrets, the notification secrets mounted, or the backup bucket. */
  on: 'project' | 'secrets' | 'notify-secrets' | 'backup-bucket' | 'functions';
  why: string;
}

export interface FunctionSpec {
  name: FunctionName;
  memory: string;
  timeoutSeconds: number;
  maxInstances: number;
  /** Mounts the bitbank key and secret from Secret Manager (`:latest`). */
  exchangeSecrets: boolean;
  /** Notification settings it mounts from Secret Manager, for the channels the deploy enables. */
  notifySecrets?: readonly NotifySecretSetting[];
  /** Callable without a Google identity (Telegram's webhook): the function checks its own secret token. */
  public?: boolean;
  grants: Grant[];
}

export type NotifyChannel = 'discord' | 'slack' | 'telegram';
export type NotifySecretSetting =
  'NOTIFY_DISCORD_WEBHOOK_URL' | 'NOTIFY_SLACK_WEBHOOK_URL' | 'TELEGRAM_BOT_TOKEN' | 'TELEGRAM_WEBHOOK_SECRET';

/** The Secret Manager secret behind each notification setting, and the channel that needs it. */
export const NOTIFY_SECRETS: Record<NotifySecretSetting, { secret: string; channel: NotifyChannel }> = {
  NOTIFY_DISCORD_WEBHOOK_URL: { secret: 'crypto-bot-discord-webhook-url', channel: 'discord' },
  NOTIFY_SLACK_WEBHOOK_URL: { secret: 'crypto-bot-slack-webhook-url', channel: 'slack' },
  TELEGRAM_BOT_TOKEN: { secret: 'crypto-bot-telegram-bot-token', channel: 'telegram' },
  TELEGRAM_WEBHOOK_SECRET: { secret: 'crypto-bot-telegram-webhook-secret', channel: 'telegram' },
};

const secretAccess: Grant = {
  role: 'roles/secretmanager.secretAccessor',
  on: 'secrets',
  why: 'read the bitbank key and secret (only those two secrets)',
};
const firestoreWrite: Grant = {
  role: 'roles/datastore.user',
  on: 'project',
  why: 'read and write Firestore documents',
};
const notifySecretAccess: Grant = {
  role: 'roles/secretmanager.secretAccessor',
  on: 'notify-secrets',
  why: 'read the webhook URLs / Telegram token it mounts (only those secrets)',
};

export const FUNCTION_SPECS: readonly FunctionSpec[] = [
  {
    name: 'tick',
    memory: '512Mi',
    timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.tick,
    maxInstances: 2,
    exchangeSecrets: true,
    grants: [firestoreWrite, secretAccess],
  },
  {
    name: 'health',
    memory: '256Mi',
    timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.health,
    maxInstances: 3,
    exchangeSecrets: true,
    grants: [
      { role: 'roles/datastore.viewer', on: 'project', why: 'read ticks, trades, positions, incidents (never writes)' },
      secretAccess,
    ],
  },
  {
    name: 'logCheck',
    memory: '256Mi',
    timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.logCheck,
    maxInstances: 1,
    exchangeSecrets: true,
    grants: [firestoreWrite, { role: 'roles/logging.viewer', on: 'project', why: 'run the log queries' }, secretAccess],
  },
  {
    name: 'backup',
    memory: '512Mi',
    timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.backup,
    maxInstances: 1,
    exchangeSecrets: false,
    grants: [
      { role: 'roles/datastore.viewer', on: 'project', why: 'read every collection (export only)' },
      {
        role: 'roles/storage.objectAdmin',
        on: 'backup-bucket',
        why: 'write backups and delete expired ones, in the backup bucket only',
      },
    ],
  },
  {
    name: 'retrain',
    memory: '1Gi',
    timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.retrain,
    maxInstances: 1,
    exchangeSecrets: false,
    grants: [firestoreWrite],
  },
  {
    name: 'notify',
    memory: '256Mi',
    timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.notify,
    maxInstances: 1,
    exchangeSecrets: false,
    notifySecrets: ['NOTIFY_DISCORD_WEBHOOK_URL', 'NOTIFY_SLACK_WEBHOOK_URL', 'TELEGRAM_BOT_TOKEN'],
    grants: [firestoreWrite, notifySecretAccess],
  },
  {
    name: 'telegram',
    memory: '256Mi',
    timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.telegram,
    maxInstances: 2,
    exchangeSecrets: false,
    notifySecrets: ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET'],
    public: true,
    grants: [firestoreWrite, notifySecretAccess],
  },
];

/** The account Cloud Scheduler signs its OIDC tokens with: may invoke the functions, nothing else. */
export const SCHEDULER_GRANTS: readonly Grant[] = [
  {
    role: 'roles/run.invoker',
    on: 'functions',
    why: 'call each function with an OIDC token (per function, not project-wide)',
  },
];

/** The account Cloud Build builds the functions with (`--build-service-account`): Google's documented roles for a source deploy. */
export const BUILD_SERVICE_ACCOUNT = 'build';
export const BUILD_GRANTS: readonly Grant[] = [
  { role: 'roles/logging.logWriter', on: 'project', why: 'write the build logs' },
  { role: 'roles/artifactregistry.writer', on: 'project', why: 'store the built images' },
  {
    role: 'roles/storage.objectAdmin',
    on: 'project',
    why: "read the uploaded source and write build artifacts (Google's documented role for a source deploy)",
  },
];

export const serviceAccountId = (fn: string): string => `crypto-bot-${fn.toLowerCase()}`;
export const serviceAccountEmail = (fn: string, project: string): string =>
  `${serviceAccountId(fn)}@${project}.iam.gserviceaccount.com`;

/** The README table (between its markers). */
export function renderServiceAccountTable(): string {
  const rows = [
    '| service account | used by | role | granted on | why |',
    '|---|---|---|---|---|',
    ...FUNCTION_SPECS.flatMap((f) =>
      f.grants.map((g) => `| \`${serviceAccountId(f.name)}\` | \`${f.name}\` | \`${g.role}\` | ${g.on} | ${g.why} |`),
    ),
    ...SCHEDULER_GRANTS.map(
      (g) => `| \`crypto-bot-scheduler\` | Cloud Scheduler jobs | \`${g.role}\` | ${g.on} | ${g.why} |`,
    ),
    ...BUILD_GRANTS.map(
      (g) =>
        `| \`${serviceAccountId(BUILD_SERVICE_ACCOUNT)}\` | Cloud Build (function builds) | \`${g.role}\` | ${g.on} | ${g.why} |`,
    ),
  ];
  return rows.join('\n');
}
