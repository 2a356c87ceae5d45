import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createFirestore } from '../../shared/adapters/firestore/firestore-store.js';
import { dumpDatabase } from '../../shared/adapters/backup/firestore-dump.js';
import { EMULATOR_PROJECT_ID } from '../../tools/lib/firestore-emulator.js';
import { startFakeGcs, type FakeGcs } from '../../tools/fake-gcs/server.js';
import { startFakeLogging, type FakeLogging } from '../../tools/fake-logging/server.js';
import { startFakeWebhook, type FakeWebhook } from '../../tools/fake-webhook/server.js';
import { startFakeTelegram, type FakeTelegram } from '../../tools/fake-telegram/server.js';
import { describeWithEmulator } from '../support/emulator.js';
import { startHarness, type Harness } from './replay-harness.js';

/**
 * A live-mode replay (real signing against the fake bitbank) with a sentinel key and secret, and
 * sentinel notification secrets (Discord and Slack webhook URLs, Telegram token and webhook secret):
 * the sentinels appear in no log line, no HTTP answer of any function, no Firestore document and no
 * backup file. The fakes only accept the sentinels, so they were used.
 */
const KEY = 'SENTINELKEY7f3a9c1e';
const SECRET = 'SENTINELSECRETb84d2e06';
const DISCORD = 'SENTINELDISCORD3c9d1f7a';
const SLACK = 'SENTINELSLACK84b2e6c1';
const TG_TOKEN = '424242:SENTINELTGTOKEN5e1f0a9d';
const TG_SECRET = 'SENTINELTGWEBHOOK6d2c8b4e';
const CHAT = '5151';
const BUCKET = 'secrets-test-backups';
const leaks = (text: string): string[] =>
  [KEY, SECRET, DISCORD, SLACK, TG_TOKEN.split(':')[1] as string, TG_SECRET].filter((s) => text.includes(s));

describeWithEmulator('secrets: a live replay with sentinel credentials leaks them nowhere', () => {
  let h: Harness;
  let gcs: FakeGcs;
  let logging: FakeLogging;
  let receiver: FakeWebhook;
  let telegram: FakeTelegram;
  const answers: string[] = [];

  beforeAll(async () => {
    gcs = await startFakeGcs({ buckets: [BUCKET] });
    logging = await startFakeLogging();
    receiver = await startFakeWebhook();
    telegram = await startFakeTelegram({ token: TG_TOKEN });
    const env = {
      BACKUP_BUCKET: BUCKET,
      STORAGE_API_ENDPOINT: gcs.endpoint,
      LOGGING_API_ENDPOINT: logging.endpoint,
      NOTIFY_DISCORD_WEBHOOK_URL: receiver.discordUrl('1', DISCORD),
      NOTIFY_SLACK_WEBHOOK_URL: receiver.slackUrl(`T1/B1/${SLACK}`),
      TELEGRAM_BOT_TOKEN: TG_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
      TELEGRAM_CHAT_IDS: CHAT,
      TELEGRAM_API_URL: telegram.apiUrl,
    };
    h = await startHarness({ bars: 6, mode: 'live', apiKey: KEY, apiSecret: SECRET, logLevel: 'DEBUG', env });
    const get = async (url: string, init?: RequestInit): Promise<string> =>
      (await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) })).text();
    const { urls } = h.session;
    const notifyCall = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' };
    // a failing channel too: its errors and the incident must not carry the URL
    receiver.fault({ pathPrefix: '/slack', status: 'down' });
    for (let k = 0; k < 6; k += 1) {
      answers.push(...(await h.session.bar(k)).map((d) => JSON.stringify(d.body)));
      answers.push(await get(urls.notify, notifyCall));
    }
    await fetch(`${telegram.apiUrl}/bot${TG_TOKEN}/setWebhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: urls.telegram, secret_token: TG_SECRET }),
    });
    for (const command of ['/status', '/balance', '/stopentry sentinel test', '/help'])
      expect(await telegram.userSays(CHAT, command)).toBe(200);
    expect(await telegram.userSays(CHAT, '/status', { secretToken: 'wrong-secret-token-value' })).toBe(401);
    answers.push(await get(urls.notify, notifyCall)); // delivers the kill-switch event to Discord
    for (const path of ['', 'detailed', 'performance', 'metrics', 'dashboard', 'dashboard/data.json'])
      answers.push(await get(`${urls.health}${path}`));
    const post = (body: unknown): RequestInit => ({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    answers.push(
      await get(urls.backup, post({ kind: 'daily' })),
      await get(urls.logCheck, post({})),
      await get(urls.tick, post({ bar: 'not a time' })),
    );
  }, 240_000);
  afterAll(async () => {
    await h?.close();
    await gcs?.close();
    await logging?.close();
    await receiver?.close();
    await telegram?.close();
  });

  it('the live path ran: ticks ok, orders signed with the sentinel secret reached the fake', async () => {
    const summary = await h.session.summary();
    expect(summary).toMatchObject({ mode: 'live', ticksFailed: 0, positionMatchesExchange: true });
    expect(summary.ticksOk).toBe(6);
    expect(h.lines.some((l) => l.includes('credentials verified'))).toBe(true);
  });

  it('no log line, no HTTP answer', () => {
    expect(h.lines.length).toBeGreaterThan(20);
    expect(h.lines.filter((l) => leaks(l).length > 0)).toEqual([]);
    expect(answers.length).toBe(6 + 6 + 1 + 6 + 3);
    expect(telegram.messages(CHAT).length).toBeGreaterThanOrEqual(4); // the Telegram token was used
    expect(receiver.messages('/discord').length).toBeGreaterThan(0); // and the Discord URL
    expect(answers.filter((a) => leaks(a).length > 0)).toEqual([]);
  });

  it('no Firestore document', async () => {
    const db = createFirestore({ projectId: EMULATOR_PROJECT_ID });
    try {
      const text = JSON.stringify(await dumpDatabase(db));
      expect(text.length).toBeGreaterThan(1_000);
      expect(leaks(text)).toEqual([]);
    } finally {
      await db.terminate();
    }
  });

  it('no backup file', () => {
    const objects = [...gcs.objects(BUCKET).entries()];
    expect(objects.some(([name]) => name.endsWith('manifest.json'))).toBe(true);
    for (const [name, object] of objects) expect(leaks(object.bytes.toString('utf8')), name).toEqual([]);
  });
});

/**
 * The CLIs as a person runs them, through npm (whose echo of its command line is one of the places a
 * secret on the command line leaks): keys only from the environment; a key given as an argument is
 * refused (exit 2) without being echoed. Their whole output is searched: npm's echo, stdout, stderr,
 * and the bot log file `npm start` names.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
function npm(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BITBANK_API_')));
  return new Promise((resolve) => {
    execFile(
      'npm',
      args,
      {
        cwd: root,
        env: { ...clean, METADATA_SERVER_DETECTION: 'none', ...env },
        timeout: 280_000,
        maxBuffer: 32 << 20,
      },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}\n${stderr}` });
      },
    );
  });
}

describeWithEmulator('secrets: the CLIs take keys from the environment only and never print them', () => {
  it('npm start -- --mode live with the sentinels in the environment: runs, and no output or log line carries them', async () => {
    const { code, output } = await npm(['start', '--', '--mode', 'live', '--bars', '2', '--exit', '--json'], {
      BITBANK_API_KEY: KEY,
      BITBANK_API_SECRET: SECRET,
    });
    expect(code, output.slice(-2000)).toBe(0);
    const summary = JSON.parse(
      output
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .pop() as string,
    ) as Record<string, unknown>;
    expect(summary).toMatchObject({ mode: 'live', ticksOk: 2, ticksFailed: 0 });
    const logFile = /bot log lines in (\S+)/.exec(output)?.[1];
    expect(logFile, 'npm start names its log file').toBeDefined();
    const log = readFileSync(logFile as string, 'utf8');
    expect(log.length).toBeGreaterThan(1_000);
    expect(leaks(output)).toEqual([]);
    expect(leaks(log)).toEqual([]);
  }, 300_000);

  it.each([
    ['start', '--', '--mode', 'live', '--api-key', KEY, '--api-secret', SECRET],
    ['start', '--', `--api-secret=${SECRET}`],
    ['run', 'replay', '--', '--candles', 'x.csv', '--api-key', KEY],
    ['run', 'fake-bitbank', '--', '--candles', 'x.csv', `--api-secret=${SECRET}`],
    ['run', 'backtest', '--', '--set', `BITBANK_API_SECRET=${SECRET}`],
    ['run', 'ops', '--', 'kill-switch', 'status', '--api-key', KEY],
  ])(
    'npm %s ...: a key as an argument is refused with exit 2 and echoed nowhere',
    async (...args) => {
      const { code, output } = await npm(['--silent', ...args], {});
      expect(code, output).toBe(2);
      expect(output).toMatch(/is not accepted on the command line/);
      expect(leaks(output)).toEqual([]);
    },
    120_000,
  );
});
