/**
 * The deploy as data: a pure function from the target and the repo's files to the ordered list of
 * commands that build and apply everything. `main.ts` prints it (--dry-run) or runs it.
 */
import {
  BUILD_GRANTS,
  BUILD_SERVICE_ACCOUNT,
  FUNCTION_SPECS,
  NOTIFY_SECRETS,
  SCHEDULER_GRANTS,
  serviceAccountEmail,
  serviceAccountId,
  type FunctionSpec,
  type Grant,
  type NotifyChannel,
} from './functions.js';
import type { FunctionName } from '../../functions/registry.js';
import { jobCommand, schedulerServiceAccount, type DeployTarget, type SchedulerJob } from './jobs.js';

export type Step =
  /** Run; when `okIfExists`, a failure saying the resource already exists is fine. `file`: a file it reads, shown in the plan. */
  | { kind: 'run'; what: string; argv: string[]; okIfExists?: boolean; file?: { path: string; text: string } }
  /** Run `lookup`: non-empty output (the resource's name) -> `update` with {FOUND} replaced; else `create`. */
  | { kind: 'upsert'; what: string; lookup: string[]; update: string[]; create: string[] };

export interface CompositeIndex {
  collectionGroup: string;
  queryScope?: 'COLLECTION' | 'COLLECTION_GROUP';
  fields: Array<{ fieldPath: string; order?: 'ASCENDING' | 'DESCENDING'; arrayConfig?: 'CONTAINS' }>;
}

export interface PlanInput extends DeployTarget {
  /** BOT_MODE of the configuration deployed (for the plan's heading; the env files carry it). */
  mode: 'paper' | 'live';
  backupBucket: string;
  secrets: { key: string; secret: string };
  /** Notification channels to enable (their secrets must exist). */
  notify?: { channels: readonly NotifyChannel[] };
  /** Each function's --env-vars-file (every non-secret setting, tools/deploy/settings.ts), written by main.ts. */
  envFiles: Readonly<Record<FunctionName, { path: string; text: string }>>;
  /** Collections with a TTL (their `expireAt` field), from the collection definitions. */
  ttlCollections: readonly string[];
  indexes: readonly CompositeIndex[];
  jobs: readonly SchedulerJob[];
  /** Files the commands read: committed (metrics, dashboard) or rendered by main.ts (alert policies). */
  files: {
    metrics: ReadonlyArray<{ name: string; path: string }>;
    alerts: ReadonlyArray<{ displayName: string; path: string }>;
    dashboard: { displayName: string; path: string };
  };
}

/** The APIs the deploy enables, and what each is for (the plan lists them). */
export const REQUIRED_APIS = {
  'cloudfunctions.googleapis.com': 'the functions',
  'run.googleapis.com': 'the services gen2 functions run on',
  'cloudbuild.googleapis.com': 'building each function from its dist/<name>/ source',
  'artifactregistry.googleapis.com': 'the built images',
  'cloudscheduler.googleapis.com': 'the jobs that call the functions',
  'firestore.googleapis.com': "the bot's state",
  'firebaserules.googleapis.com': 'the Firestore security rules',
  'secretmanager.googleapis.com': 'the bitbank and notification secrets',
  'logging.googleapis.com': 'logs and log-based metrics',
  'monitoring.googleapis.com': 'alert policies and the dashboard',
  'storage.googleapis.com': 'the backup bucket',
  'iam.googleapis.com': 'the service accounts',
} as const;

/** The firebase-tools the rules deploy runs, at an exact version (npx fetches that one, never "latest"). */
export const FIREBASE_TOOLS = 'firebase-tools@15.34.2';

export const TTL_FIELD = 'expireAt';
export const LOG_RETENTION_DAYS = 30;

export function deployPlan(p: PlanInput): Step[] {
  const project = `--project=${p.project}`;
  const steps: Step[] = [
    { kind: 'run', what: 'build the function bundles (dist/<name>/)', argv: ['npm', 'run', 'build'] },
  ];
  const apis = Object.entries(REQUIRED_APIS);
  steps.push({
    kind: 'run',
    what: `enable the APIs: ${apis.map(([api, why]) => `${api} (${why})`).join(', ')}`,
    argv: ['gcloud', 'services', 'enable', ...apis.map(([api]) => api), project],
  });

  const buildAccount = serviceAccountEmail(BUILD_SERVICE_ACCOUNT, p.project);
  const accounts = [
    ...FUNCTION_SPECS.map((f) => ({
      id: serviceAccountId(f.name),
      email: serviceAccountEmail(f.name, p.project),
      grants: f.grants,
      who: f.name as string,
    })),
    { id: 'crypto-bot-scheduler', email: schedulerServiceAccount(p), grants: SCHEDULER_GRANTS, who: 'Cloud Scheduler' },
    // New projects (since July 2024) build with a default account that may lack these roles: the build gets its own.
    {
      id: serviceAccountId(BUILD_SERVICE_ACCOUNT),
      email: buildAccount,
      grants: BUILD_GRANTS,
      who: 'Cloud Build (building the functions)',
    },
  ];
  for (const a of accounts) {
    steps.push({
      kind: 'run',
      what: `service account for ${a.who}`,
      argv: ['gcloud', 'iam', 'service-accounts', 'create', a.id, project, `--display-name=crypto-bot ${a.who}`],
      okIfExists: true,
    });
  }
  const channels = p.notify?.channels ?? [];
  const mounted = (f: FunctionSpec) =>
    (f.notifySecrets ?? []).filter((k) => channels.includes(NOTIFY_SECRETS[k].channel));
  const notifySecretNames = [
    ...new Set(FUNCTION_SPECS.flatMap((f) => mounted(f).map((k) => NOTIFY_SECRETS[k].secret))),
  ];
  const grant = (email: string, g: Grant, f?: FunctionSpec): Step[] => {
    const member = `--member=serviceAccount:${email}`;
    const role = `--role=${g.role}`;
    if (g.on === 'project')
      return [
        {
          kind: 'run',
          what: `${g.role} for ${email}`,
          argv: ['gcloud', 'projects', 'add-iam-policy-binding', p.project, member, role, '--condition=None'],
        },
      ];
    if (g.on === 'secrets')
      return [p.secrets.key, p.secrets.secret].map((s) => ({
        kind: 'run' as const,
        what: `${g.role} on secret ${s} for ${email}`,
        argv: ['gcloud', 'secrets', 'add-iam-policy-binding', s, project, member, role],
      }));
    if (g.on === 'notify-secrets')
      return (f ? mounted(f) : []).map((k) => ({
        kind: 'run' as const,
        what: `${g.role} on secret ${NOTIFY_SECRETS[k].secret} for ${email}`,
        argv: ['gcloud', 'secrets', 'add-iam-policy-binding', NOTIFY_SECRETS[k].secret, project, member, role],
      }));
    return []; // bucket and function grants follow once those exist
  };
  for (const s of [p.secrets.key, p.secrets.secret, ...notifySecretNames]) {
    steps.push({
      kind: 'run',
      what: `check the Secret Manager secret ${s} exists (add its value by hand: never through this script)`,
      argv: ['gcloud', 'secrets', 'describe', s, project, '--format=value(name)'],
    });
  }
  for (const a of accounts)
    for (const g of a.grants)
      steps.push(
        ...grant(
          a.email,
          g,
          FUNCTION_SPECS.find((f) => f.name === a.who),
        ),
      );

  steps.push({
    kind: 'run',
    what: 'Firestore database (native mode)',
    argv: ['gcloud', 'firestore', 'databases', 'create', project, `--location=${p.region}`, '--type=firestore-native'],
    okIfExists: true,
  });
  steps.push({
    kind: 'run',
    what: 'Firestore security rules from firebase.json (firestore.rules: deny every client SDK access)',
    argv: [
      'npx',
      '--yes',
      FIREBASE_TOOLS,
      'deploy',
      '--only',
      'firestore:rules',
      '--project',
      p.project,
      '--non-interactive',
    ],
  });
  for (const index of p.indexes) {
    steps.push({
      kind: 'run',
      what: `Firestore index on ${index.collectionGroup}`,
      argv: [
        'gcloud',
        'firestore',
        'indexes',
        'composite',
        'create',
        project,
        `--collection-group=${index.collectionGroup}`,
        `--query-scope=${(index.queryScope ?? 'COLLECTION').toLowerCase().replace('_', '-')}`,
        ...index.fields.map(
          (f) =>
            `--field-config=field-path=${f.fieldPath},${f.arrayConfig ? 'array-config=contains' : `order=${(f.order ?? 'ASCENDING').toLowerCase()}`}`,
        ),
      ],
      okIfExists: true,
    });
  }
  for (const group of [...p.ttlCollections].sort()) {
    steps.push({
      kind: 'run',
      what: `TTL policy: ${group} documents expire at ${TTL_FIELD}`,
      argv: [
        'gcloud',
        'firestore',
        'fields',
        'ttls',
        'update',
        TTL_FIELD,
        `--collection-group=${group}`,
        '--enable-ttl',
        project,
        '--async',
      ],
    });
  }

  const bucket = `gs://${p.backupBucket}`;
  steps.push({
    kind: 'run',
    what: 'backup bucket',
    argv: [
      'gcloud',
      'storage',
      'buckets',
      'create',
      bucket,
      project,
      `--location=${p.region}`,
      '--uniform-bucket-level-access',
      '--public-access-prevention',
    ],
    okIfExists: true,
  });
  for (const f of FUNCTION_SPECS) {
    for (const g of f.grants.filter((x) => x.on === 'backup-bucket')) {
      steps.push({
        kind: 'run',
        what: `${g.role} on the backup bucket for ${f.name}`,
        argv: [
          'gcloud',
          'storage',
          'buckets',
          'add-iam-policy-binding',
          bucket,
          project,
          `--member=serviceAccount:${serviceAccountEmail(f.name, p.project)}`,
          `--role=${g.role}`,
        ],
      });
    }
  }
  steps.push({
    kind: 'run',
    what: `log bucket retention ${LOG_RETENTION_DAYS} days`,
    argv: [
      'gcloud',
      'logging',
      'buckets',
      'update',
      '_Default',
      '--location=global',
      `--retention-days=${LOG_RETENTION_DAYS}`,
      project,
    ],
  });

  for (const f of FUNCTION_SPECS) {
    const envFile = p.envFiles[f.name];
    const secretMounts = [
      ...(f.exchangeSecrets
        ? [`BITBANK_API_KEY=${p.secrets.key}:latest`, `BITBANK_API_SECRET=${p.secrets.secret}:latest`]
        : []),
      ...mounted(f).map((k) => `${k}=${NOTIFY_SECRETS[k].secret}:latest`),
    ];
    steps.push({
      kind: 'run',
      what: `deploy function ${f.name}`,
      argv: [
        'gcloud',
        'functions',
        'deploy',
        f.name,
        '--gen2',
        '--runtime=nodejs22',
        `--region=${p.region}`,
        project,
        `--source=dist/${f.name}`,
        `--entry-point=${f.name}`,
        '--trigger-http',
        f.public ? '--allow-unauthenticated' : '--no-allow-unauthenticated',
        `--service-account=${serviceAccountEmail(f.name, p.project)}`,
        `--build-service-account=projects/${p.project}/serviceAccounts/${buildAccount}`,
        `--memory=${f.memory}`,
        `--timeout=${f.timeoutSeconds}s`,
        `--max-instances=${f.maxInstances}`,
        // Every setting, from a file: --set-env-vars would replace the function's variables with only those listed.
        `--env-vars-file=${envFile.path}`,
        ...(secretMounts.length > 0 ? [`--set-secrets=${secretMounts.join(',')}`] : []),
      ],
      file: envFile,
    });
    if (f.public) continue; // Telegram calls it without a Google identity; it checks its own secret token
    steps.push({
      kind: 'run',
      what: `Cloud Scheduler may invoke ${f.name}`,
      argv: [
        'gcloud',
        'functions',
        'add-invoker-policy-binding',
        f.name,
        `--region=${p.region}`,
        project,
        `--member=serviceAccount:${schedulerServiceAccount(p)}`,
      ],
    });
  }
  if (channels.includes('telegram')) {
    steps.push({
      kind: 'run',
      what: "register the telegram function as the bot's webhook (setWebhook with the secret token; both read from Secret Manager, never on a command line)",
      argv: [
        'npx',
        '--no-install',
        'tsx',
        'tools/deploy/set-webhook.ts',
        `--project=${p.project}`,
        `--region=${p.region}`,
      ],
    });
  }

  for (const m of p.files.metrics) {
    steps.push({
      kind: 'upsert',
      what: `log-based metric ${m.name}`,
      lookup: ['gcloud', 'logging', 'metrics', 'describe', m.name, project, '--format=value(name)'],
      update: ['gcloud', 'logging', 'metrics', 'update', m.name, project, `--config-from-file=${m.path}`],
      create: ['gcloud', 'logging', 'metrics', 'create', m.name, project, `--config-from-file=${m.path}`],
    });
  }
  for (const a of p.files.alerts) {
    steps.push({
      kind: 'upsert',
      what: `alert policy "${a.displayName}"`,
      lookup: [
        'gcloud',
        'monitoring',
        'policies',
        'list',
        project,
        `--filter=displayName="${a.displayName}"`,
        '--format=value(name)',
        '--limit=1',
      ],
      update: ['gcloud', 'monitoring', 'policies', 'update', '{FOUND}', project, `--policy-from-file=${a.path}`],
      create: ['gcloud', 'monitoring', 'policies', 'create', project, `--policy-from-file=${a.path}`],
    });
  }
  const d = p.files.dashboard;
  steps.push({
    kind: 'upsert',
    what: `dashboard "${d.displayName}"`,
    lookup: [
      'gcloud',
      'monitoring',
      'dashboards',
      'list',
      project,
      `--filter=displayName="${d.displayName}"`,
      '--format=value(name)',
      '--limit=1',
    ],
    update: ['gcloud', 'monitoring', 'dashboards', 'update', '{FOUND}', project, `--config-from-file=${d.path}`],
    create: ['gcloud', 'monitoring', 'dashboards', 'create', project, `--config-from-file=${d.path}`],
  });
  for (const job of p.jobs) {
    steps.push({
      kind: 'upsert',
      what: `scheduler job ${job.name} (${job.schedule} ${job.timeZone})`,
      lookup: [
        'gcloud',
        'scheduler',
        'jobs',
        'describe',
        job.name,
        project,
        `--location=${p.region}`,
        '--format=value(name)',
      ],
      update: jobCommand(job, p, 'update'),
      create: jobCommand(job, p, 'create'),
    });
  }
  return steps;
}

/** One command as a copy-pastable shell line. */
export function shellLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./{}-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** The plan as text: every command, numbered, with what it is for. */
export function renderPlan(steps: readonly Step[]): string {
  return steps
    .map((s, i) => {
      const head = `# ${i + 1}. ${s.what}`;
      const file =
        s.kind === 'run' && s.file ? `\n# ${s.file.path}:\n${s.file.text.trimEnd().replace(/^/gm, '#   ')}` : '';
      if (s.kind === 'run')
        return `${head}${s.okIfExists ? ' (already there is fine)' : ''}\n${shellLine(s.argv)}${file}`;
      return `${head}\n${shellLine(s.lookup)}\n#   found -> ${shellLine(s.update)}\n#   else  -> ${shellLine(s.create)}`;
    })
    .join('\n\n');
}

/** '512Mi' -> 512, '1Gi' -> 1024: the Cloud Functions memory setting in MiB. */
export function memoryMiB(setting: string): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(setting);
  if (!match) throw new RangeError(`memory must look like 256Mi or 1Gi, got ${setting}`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}
