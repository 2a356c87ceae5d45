import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeWithEmulator } from '../support/emulator.js';

/**
 * `npm start -- --bars N --exit --json` as a user runs it (a child process through tsx), on the
 * test run's emulator (FIRESTORE_EMULATOR_HOST) to save starting another one. The check
 * is 72 bars; 24 keep the suite fast and take the same path (README: Local run), through one daily decision of
 * the default strategy, so the run holds a position on the default market (spot) when it ends.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const BARS = 24;

/** The environment without bitbank credentials (the usage case below needs them absent). */
function withoutKeys(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('BITBANK_API_')));
}

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'tools/start/main.ts', ...args],
      {
        cwd: root,
        env: { ...withoutKeys(process.env), METADATA_SERVER_DETECTION: 'none' },
        timeout: 240_000,
        maxBuffer: 16 << 20,
      },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describeWithEmulator('npm start (the main job, as a child process)', () => {
  it(`--bars ${BARS} --exit --json: every tick ok, positions match the exchange, health/logCheck/backup answered`, async () => {
    const { code, stdout, stderr } = await run(['--bars', String(BARS), '--exit', '--json']);
    expect(code, stderr.slice(-2000)).toBe(0);
    const lines = stdout.trim().split('\n');
    const summary = JSON.parse(lines[lines.length - 1] as string) as Record<string, unknown>;
    expect(summary).toMatchObject({
      bars: BARS,
      ticksOk: BARS,
      ticksFailed: 0,
      positionMatchesExchange: true,
      mode: 'paper',
    });
    expect(summary.ordersSent, 'the run trades: the match compares a held position').toBeGreaterThan(0);
    expect(summary.health).toMatchObject({ calls: BARS / 6, statuses: { 200: BARS / 6 } });
    expect(summary.logCheck).toMatchObject({ calls: BARS, statuses: { 200: BARS } });
    expect(summary.notify).toMatchObject({ calls: BARS + 1, statuses: { 200: BARS + 1 } }); // after every tick, and once at the end
    expect(stderr).toMatch(/telegram \/status +Mode: paper \| Position: /); // the fake Telegram's user asked; the telegram function answered
    expect(summary.backup).toMatchObject({
      status: 200,
      uri: expect.stringMatching(/^gs:\/\/crypto-bot-local-backups\/backups\/daily\//),
    });
    expect((summary.firestore as { writesPerTick: number }).writesPerTick).toBeGreaterThan(0);
    expect(lines[lines.length - 2]).toMatch(/^dashboard: http:\/\/127\.0\.0\.1:\d+\/dashboard$/);
    expect(stderr).toContain('scaled to JPY with quote-per-usd 150');
  }, 300_000);

  it('a usage mistake is one sentence and exit 1, before anything starts', async () => {
    const { code, stdout, stderr } = await run(['--mode', 'live', '--bars', '2', '--exit']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe(
      'npm start: --mode live needs BITBANK_API_KEY and BITBANK_API_SECRET in the environment (or BITBANK_API_KEY_FILE / BITBANK_API_SECRET_FILE): the fake bitbank is started with them.',
    );
  });
});
