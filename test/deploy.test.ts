import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIREBASE_TOOLS, REQUIRED_APIS, deployPlan, renderPlan, type Step } from '../tools/deploy/plan.js';
import {
  DEPLOY_ENV_EXAMPLE_FILE,
  parseSettingsYaml,
  renderDeployEnvExample,
  renderSettingsYaml,
  resolveDeploySettings,
} from '../tools/deploy/settings.js';
import { SECRET_SETTINGS, SETTINGS, describeSettings, loadConfig, type SettingName } from '../shared/config.js';
import { ConfigurationError } from '../shared/core/errors.js';
import { applyPlan, planInput, runDeployCli, ttlCollections, type Runner } from '../tools/deploy/main.js';
import { FUNCTION_SPECS } from '../tools/deploy/functions.js';
import { ROOT } from '../tools/deploy/generate.js';
import { ticks } from '../shared/store/tick-collections.js';
import { audit } from '../shared/store/audit-collections.js';

const input = await planInput({
  project: 'my-bot',
  region: 'asia-northeast1',
  mode: 'paper',
  channels: ['projects/my-bot/notificationChannels/42'],
  userSettings: {},
});
const steps = deployPlan(input);
const runs = steps.filter((s): s is Extract<Step, { kind: 'run' }> => s.kind === 'run');
const upserts = steps.filter((s): s is Extract<Step, { kind: 'upsert' }> => s.kind === 'upsert');
const argvOf = (prefix: string[]): string[][] =>
  runs.map((s) => s.argv).filter((a) => prefix.every((p, i) => a[i] === p));

describe('deploy plan (pure)', () => {
  it('builds the bundles first', () => {
    expect(steps[0]).toMatchObject({ kind: 'run', argv: ['npm', 'run', 'build'] });
  });

  it('deploys every function as a private gen2 nodejs22 HTTP function from its bundle, with its own service account', () => {
    const deploys = argvOf(['gcloud', 'functions', 'deploy']);
    expect(deploys.map((a) => a[3])).toEqual(['tick', 'health', 'logCheck', 'backup', 'retrain', 'notify', 'telegram']);
    const accounts = new Set<string>();
    for (const argv of deploys) {
      const name = argv[3] as string;
      // telegram is Telegram's webhook: no Google identity calls it; it checks its own secret token
      expect(argv).toEqual(
        expect.arrayContaining([
          '--gen2',
          '--runtime=nodejs22',
          '--region=asia-northeast1',
          `--source=dist/${name}`,
          `--entry-point=${name}`,
          '--trigger-http',
          name === 'telegram' ? '--allow-unauthenticated' : '--no-allow-unauthenticated',
        ]),
      );
      const account = argv.find((a) => a.startsWith('--service-account='));
      expect(account).toMatch(/^--service-account=crypto-bot-[a-z]+@my-bot\.iam\.gserviceaccount\.com$/);
      accounts.add(String(account));
    }
    expect(accounts.size).toBe(7);
  });

  it('mounts the bitbank key and secret from Secret Manager as :latest only where the exchange is used', () => {
    for (const argv of argvOf(['gcloud', 'functions', 'deploy'])) {
      const secrets = argv.find((a) => a.startsWith('--set-secrets='));
      const spec = FUNCTION_SPECS.find((f) => f.name === argv[3]);
      expect(secrets, argv[3]).toBe(
        spec?.exchangeSecrets
          ? '--set-secrets=BITBANK_API_KEY=bitbank-api-key:latest,BITBANK_API_SECRET=bitbank-api-secret:latest'
          : undefined,
      );
    }
    const tickDeploy = argvOf(['gcloud', 'functions', 'deploy']).find((a) => a[3] === 'tick') ?? [];
    expect(tickDeploy).toContain('--memory=512Mi');
    expect(input.envFiles.tick.text).toContain('NODE_OPTIONS: "--max-old-space-size=256"\n');
  });

  it('grants least privilege: no owner/editor, backup reads Firestore and writes only its bucket', () => {
    const text = renderPlan(steps);
    expect(text).not.toMatch(/roles\/(owner|editor)\b/);
    const projectGrants = argvOf(['gcloud', 'projects', 'add-iam-policy-binding']);
    const backupRoles = projectGrants
      .filter((a) => a.some((x) => x.includes('crypto-bot-backup@')))
      .map((a) => a.find((x) => x.startsWith('--role=')));
    expect(backupRoles).toEqual(['--role=roles/datastore.viewer']);
    expect(argvOf(['gcloud', 'storage', 'buckets', 'add-iam-policy-binding'])).toEqual([
      [
        'gcloud',
        'storage',
        'buckets',
        'add-iam-policy-binding',
        'gs://my-bot-crypto-bot-backups',
        '--project=my-bot',
        '--member=serviceAccount:crypto-bot-backup@my-bot.iam.gserviceaccount.com',
        '--role=roles/storage.objectAdmin',
      ],
    ]);
    const invokers = argvOf(['gcloud', 'functions', 'add-invoker-policy-binding']);
    expect(invokers.map((a) => a[3])).toEqual(['tick', 'health', 'logCheck', 'backup', 'retrain', 'notify']);
  });

  it('applies TTL policies for every collection defined with a retention, and 30-day log retention', async () => {
    expect(ticks.ttl?.days).toBe(30);
    expect(audit.ttl?.days).toBe(365);
    const groups = argvOf(['gcloud', 'firestore', 'fields', 'ttls', 'update', 'expireAt']).map(
      (a) => a.find((x) => x.startsWith('--collection-group='))?.split('=')[1],
    );
    expect(groups).toEqual(await ttlCollections());
    expect(groups).toEqual(expect.arrayContaining(['ticks', 'audit', 'orders', 'trades']));
    expect(argvOf(['gcloud', 'logging', 'buckets', 'update', '_Default'])[0]).toContain('--retention-days=30');
  });

  it('upserts the 5 log metrics, 5 alert policies, the dashboard and the 8 scheduler jobs', () => {
    expect(upserts.filter((s) => s.create[1] === 'logging')).toHaveLength(5);
    expect(upserts.filter((s) => s.create[2] === 'policies')).toHaveLength(5);
    expect(upserts.filter((s) => s.create[2] === 'dashboards')).toHaveLength(1);
    const jobs = upserts.filter((s) => s.create[1] === 'scheduler');
    expect(jobs).toHaveLength(8);
    const tick = jobs.find((s) => s.create[5] === 'crypto-bot-tick')?.create ?? [];
    expect(tick).toEqual(
      expect.arrayContaining([
        '--schedule=0 * * * *',
        '--max-retry-attempts=5',
        '--oidc-service-account-email=crypto-bot-scheduler@my-bot.iam.gserviceaccount.com',
        '--oidc-token-audience=https://asia-northeast1-my-bot.cloudfunctions.net/tick',
      ]),
    );
  });

  it('names the project in every gcloud command', () => {
    for (const argv of [...runs.map((s) => s.argv), ...upserts.flatMap((s) => [s.lookup, s.update, s.create])].filter(
      (a) => a[0] === 'gcloud',
    )) {
      expect(argv.includes('--project=my-bot') || argv.includes('my-bot'), argv.join(' ')).toBe(true);
    }
  });

  it('puts the notification channels into the rendered alert policies', () => {
    expect(input.files.alerts).toHaveLength(5);
    for (const a of input.files.alerts)
      expect(JSON.parse(execFileSync('cat', [join(ROOT, a.path)], { encoding: 'utf8' })).notificationChannels).toEqual([
        'projects/my-bot/notificationChannels/42',
      ]);
  });
});

describe('every setting reaches the cloud (deploy.env.yaml -> one --env-vars-file per function)', () => {
  const deployArgv = (plan: Step[], name: string): string[] =>
    plan.flatMap((st) => (st.kind === 'run' && st.argv[2] === 'deploy' && st.argv[3] === name ? [st.argv] : []))[0] ??
    [];

  it("writes every non-secret setting (chosen, else its default) to each function's env file, and no --set-env-vars", async () => {
    const chosen = {
      RISK_PER_TRADE: '0.01',
      BOT_STRATEGY: 'ml',
      MAX_POSITION_BTC: '0.002',
      LOG_LEVEL: 'DEBUG',
      TELEGRAM_CHAT_IDS: '5',
    };
    const p = await planInput({
      project: 'my-bot',
      region: 'asia-northeast1',
      mode: 'live',
      channels: [],
      userSettings: chosen,
    });
    const plan = deployPlan(p);
    const nonSecret = (Object.keys(SETTINGS) as SettingName[]).filter((k) => !SECRET_SETTINGS.includes(k));
    for (const f of FUNCTION_SPECS) {
      expect(deployArgv(plan, f.name)).toContain(`--env-vars-file=dist/deploy/env/${f.name}.yaml`);
      expect(deployArgv(plan, f.name).some((a) => a.startsWith('--set-env-vars'))).toBe(false);
      const written = parseSettingsYaml(readFileSync(join(ROOT, `dist/deploy/env/${f.name}.yaml`), 'utf8'));
      expect(written).toEqual(parseSettingsYaml(p.envFiles[f.name].text));
      const expected = loadConfig(
        { ...chosen, GCP_PROJECT: 'my-bot', BOT_MODE: 'live', BACKUP_BUCKET: 'my-bot-crypto-bot-backups' },
        { liveKeysFromSecretManager: true },
      );
      for (const key of nonSecret)
        if (expected[key] !== undefined) expect(written[key], `${f.name} ${key}`).toBe(String(expected[key]));
      for (const key of SECRET_SETTINGS) expect(written[key]).toBeUndefined();
      expect(written).toMatchObject({
        RISK_PER_TRADE: '0.01',
        BOT_STRATEGY: 'ml',
        BOT_MODE: 'live',
        GCP_PROJECT: 'my-bot',
        NODE_ENV: 'production',
      });
    }
  });

  it('refuses, before any command runs, a secret, an unknown key, a bad value, a broken cross-setting rule and a file contradicting the command line', async () => {
    const refusal = async (userSettings: Record<string, string>, mode?: 'paper' | 'live'): Promise<string> =>
      planInput({
        project: 'my-bot',
        region: 'asia-northeast1',
        channels: [],
        userSettings,
        ...(mode ? { mode } : {}),
      }).then(
        () => 'accepted',
        (error: unknown) => (error instanceof ConfigurationError ? error.message : `unexpected ${String(error)}`),
      );
    expect(await refusal({ BITBANK_API_SECRET: 'x' })).toMatch(
      /BITBANK_API_SECRET: a secret never goes in deploy\.env\.yaml: store it in Secret Manager/,
    );
    expect(await refusal({ TELEGRAM_BOT_TOKEN: '1:abcdefghijk' })).toMatch(/TELEGRAM_BOT_TOKEN: a secret/);
    expect(await refusal({ RISK_PER_TRAD: '0.01' })).toMatch(/RISK_PER_TRAD: not a setting/);
    expect(await refusal({ MAX_POSITION_BTC: 'lots' })).toMatch(/MAX_POSITION_BTC: /);
    expect(await refusal({ TICK_DEADLINE_MS: '300000' })).toMatch(
      /TICK_DEADLINE_MS: 300000 ms must end at least 10000 ms before the tick function's timeout \(120 s\)/,
    );
    expect(await refusal({ BOT_MODE: 'live' }, 'paper')).toMatch(
      /BOT_MODE: deploy\.env\.yaml says "live", the command line "paper"/,
    );
    expect(await refusal({ BOT_MODE: 'live' })).toBe('accepted');
  });

  it('the CLI answers a refused setting with exit 2, naming the key, and runs nothing', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'deploy-env-')), 'deploy.env.yaml');
    writeFileSync(file, '# mine\nTICK_DEADLINE_MS: "200000"\nRISK_PER_TRADE: 0.01\n');
    expect(parseSettingsYaml(readFileSync(file, 'utf8'))).toEqual({
      TICK_DEADLINE_MS: '200000',
      RISK_PER_TRADE: '0.01',
    });
    const err: string[] = [];
    const code = await runDeployCli(
      ['--project', 'my-bot', '--settings-file', file],
      { out: () => undefined, err: (l) => err.push(l) },
      () => {
        throw new Error('a refused setting must not run commands');
      },
    );
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(/^nothing deployed: invalid configuration: TICK_DEADLINE_MS: 200000 ms must end/);
    expect(() => parseSettingsYaml('BOT_MODE:\n  nested: 1\n')).toThrow(/deploy\.env\.yaml:2: expected "KEY: value"/);
  });

  it('the flat YAML reader and writer agree on every kind of value', () => {
    const values = { A: 'plain', B: 'with "quotes" and \\ and # hash', C: 'ünïcode: 1,2', D: '' };
    expect(parseSettingsYaml(renderSettingsYaml(values))).toEqual(values);
    expect(parseSettingsYaml("A: 'it''s' # note\nB: 12 # comment\nC: \"x\"")).toEqual({ A: "it's", B: '12', C: 'x' });
  });

  it('deploy.env.example.yaml lists every setting with its meaning and default, and is current', () => {
    const committed = readFileSync(join(ROOT, DEPLOY_ENV_EXAMPLE_FILE), 'utf8');
    expect(committed).toBe(renderDeployEnvExample());
    for (const s of describeSettings()) expect(committed).toContain(`# ${s.description}\n# ${s.name}: `);
    // Uncommented, the example is a valid deploy.env.yaml that changes nothing.
    const uncommented = committed
      .split('\n')
      .filter((l) => /^# [A-Z_]+: "/.test(l))
      .map((l) => l.slice(2))
      .join('\n');
    const all = parseSettingsYaml(uncommented);
    expect(Object.keys(all).length).toBe(Object.keys(SETTINGS).length - SECRET_SETTINGS.length);
    expect(() => resolveDeploySettings(all, { GCP_PROJECT: 'demo-crypto-bot' })).not.toThrow();
  });

  it('pins every tool it runs and builds with its own service account', () => {
    for (const argv of runs.map((st) => st.argv).filter((a) => a[0] === 'npx')) {
      const pkg = argv.find((a, i) => i > 0 && !a.startsWith('--'));
      expect(argv.includes('--no-install') || /@\d+\.\d+\.\d+$/.test(String(pkg)), argv.join(' ')).toBe(true);
    }
    expect(renderPlan(steps)).toContain(`npx --yes ${FIREBASE_TOOLS} deploy`);
    for (const f of FUNCTION_SPECS) {
      expect(argvOf(['gcloud', 'functions', 'deploy', f.name])[0]).toContain(
        '--build-service-account=projects/my-bot/serviceAccounts/crypto-bot-build@my-bot.iam.gserviceaccount.com',
      );
    }
    const enable = runs.find((st) => st.argv[1] === 'services' && st.argv[2] === 'enable');
    expect(enable?.what).toContain('cloudbuild.googleapis.com (building each function');
    expect(enable?.argv).toEqual(expect.arrayContaining(Object.keys(REQUIRED_APIS)));
  });
});

describe('deploy plan with notifications (--notify discord --notify telegram)', () => {
  it("mounts only the enabled channels' secrets, passes the chat ids, and registers the Telegram webhook without a secret on any command line", async () => {
    const plan = deployPlan(
      await planInput({
        project: 'my-bot',
        region: 'asia-northeast1',
        mode: 'paper',
        channels: [],
        notify: { channels: ['discord', 'telegram'], telegramChatIds: '111,-222', locale: 'ja' },
        userSettings: {},
      }),
    );
    const argvs = plan.filter((s): s is Extract<Step, { kind: 'run' }> => s.kind === 'run').map((s) => s.argv);
    const deployOf = (name: string) => argvs.find((a) => a[2] === 'deploy' && a[3] === name) ?? [];
    expect(deployOf('notify')).toContain(
      '--set-secrets=NOTIFY_DISCORD_WEBHOOK_URL=crypto-bot-discord-webhook-url:latest,TELEGRAM_BOT_TOKEN=crypto-bot-telegram-bot-token:latest',
    );
    expect(deployOf('telegram')).toContain(
      '--set-secrets=TELEGRAM_BOT_TOKEN=crypto-bot-telegram-bot-token:latest,TELEGRAM_WEBHOOK_SECRET=crypto-bot-telegram-webhook-secret:latest',
    );
    expect(deployOf('notify')).toContain('--env-vars-file=dist/deploy/env/notify.yaml');
    expect(readFileSync(join(ROOT, 'dist/deploy/env/notify.yaml'), 'utf8')).toMatch(
      /^TELEGRAM_CHAT_IDS: "111,-222"\n(.*\n)*NOTIFY_LOCALE: "ja"\n/m,
    );
    expect(deployOf('tick').find((a) => a.startsWith('--set-secrets='))).toBe(
      '--set-secrets=BITBANK_API_KEY=bitbank-api-key:latest,BITBANK_API_SECRET=bitbank-api-secret:latest',
    );
    expect(argvs.filter((a) => a[1] === 'secrets' && a[2] === 'describe').map((a) => a[3])).toEqual([
      'bitbank-api-key',
      'bitbank-api-secret',
      'crypto-bot-discord-webhook-url',
      'crypto-bot-telegram-bot-token',
      'crypto-bot-telegram-webhook-secret',
    ]);
    expect(
      argvs
        .filter((a) => a[2] === 'add-iam-policy-binding' && a[3] === 'crypto-bot-telegram-webhook-secret')
        .map((a) => a.find((x) => x.startsWith('--member='))),
    ).toEqual(['--member=serviceAccount:crypto-bot-telegram@my-bot.iam.gserviceaccount.com']);
    expect(renderPlan(plan)).not.toContain('crypto-bot-slack-webhook-url');
    const setWebhook = plan.at(-1 - plan.filter((s) => s.kind === 'upsert').length);
    expect(setWebhook).toMatchObject({
      kind: 'run',
      argv: [
        'npx',
        '--no-install',
        'tsx',
        'tools/deploy/set-webhook.ts',
        '--project=my-bot',
        '--region=asia-northeast1',
      ],
    });
    expect(plan.findIndex((s) => s === setWebhook)).toBeGreaterThan(
      plan.findIndex((s) => s.kind === 'run' && s.argv[3] === 'telegram'),
    );
  });
});

describe('applying the plan', () => {
  const fakeRunner = (
    behaviour: (argv: readonly string[]) => { code: number; stdout?: string; stderr?: string },
  ): { run: Runner; calls: string[][] } => {
    const calls: string[][] = [];
    return { calls, run: (argv) => (calls.push([...argv]), { stdout: '', stderr: '', ...behaviour(argv) }) };
  };

  it('creates what is missing, updates what exists (by the looked-up name) and accepts "already exists"', () => {
    const { run, calls } = fakeRunner((argv) => {
      if (argv.includes('policies') && argv.includes('list'))
        return { code: 0, stdout: 'projects/my-bot/alertPolicies/123\n' };
      if (argv.includes('describe') && argv.includes('scheduler')) return { code: 1, stderr: 'NOT_FOUND' };
      if (argv.includes('service-accounts'))
        return {
          code: 1,
          stderr:
            'ERROR: (gcloud.iam.service-accounts.create) Resource in projects [my-bot] is the subject of a conflict: Service account crypto-bot-tick already exists',
        };
      return { code: 0 };
    });
    const result = applyPlan(steps, run, () => undefined);
    expect(result).toEqual({ done: steps.length });
    expect(
      calls.some((c) => c.join(' ').startsWith('gcloud monitoring policies update projects/my-bot/alertPolicies/123')),
    ).toBe(true);
    expect(calls.some((c) => c.join(' ').startsWith('gcloud scheduler jobs create http crypto-bot-tick'))).toBe(true);
    expect(calls.some((c) => c.includes('{FOUND}'))).toBe(false);
  });

  it('stops at the first real failure and names the step', () => {
    const { run, calls } = fakeRunner((argv) =>
      argv[1] === 'functions' && argv[2] === 'deploy' ? { code: 1, stderr: 'Build failed' } : { code: 0 },
    );
    const result = applyPlan(steps, run, () => undefined);
    expect(result.failed?.step.what).toBe('deploy function tick');
    expect(result.failed?.stderr).toBe('Build failed');
    expect(calls.filter((c) => c[2] === 'deploy')).toHaveLength(1);
  });

  it('--dry-run prints the full plan and runs nothing', async () => {
    const out: string[] = [];
    const code = await runDeployCli(
      ['--project', 'my-bot', '--dry-run'],
      { out: (l) => out.push(l), err: (l) => out.push(l) },
      () => {
        throw new Error('dry run must not run commands');
      },
    );
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toContain('dry run: nothing applied');
    expect(text).toContain('gcloud functions deploy tick --gen2 --runtime=nodejs22 --region=asia-northeast1');
    expect(text.match(/^# \d+\. /gm)).toHaveLength(steps.length);
    for (const f of FUNCTION_SPECS)
      expect(text).toContain(`# dist/deploy/env/${f.name}.yaml:\n#   BOT_MODE: "paper"\n`);
    expect(text).toContain('#   MAX_POSITION_BTC: "0.0005"');
  });
});

describe('npm run deploy -- --project my-bot --dry-run (the real script)', () => {
  it('prints every command and calls no gcloud', () => {
    const bin = mkdtempSync(join(tmpdir(), 'fake-gcloud-'));
    const marker = join(bin, 'called');
    writeFileSync(join(bin, 'gcloud'), `#!/bin/sh\necho "$@" >> ${marker}\n`);
    chmodSync(join(bin, 'gcloud'), 0o755);
    const out = execFileSync('npm', ['run', '--silent', 'deploy', '--', '--project', 'my-bot', '--dry-run'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
      timeout: 60_000,
    });
    expect(out).toContain('# deploy plan for project my-bot, region asia-northeast1');
    expect(out).toContain('gcloud scheduler jobs create http crypto-bot-backup-monthly');
    expect(existsSync(marker)).toBe(false);
  });
});
