import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialsFromEnv, secretArgumentProblem } from './secret-args.js';

const SENTINEL = 'SENTINELb84d2e06';

describe('secrets on the command line', () => {
  it.each([
    [['--api-key', SENTINEL]],
    [[`--api-key=${SENTINEL}`]],
    [['--bars', '2', '--api-secret', SENTINEL]],
    [['--set', `BITBANK_API_SECRET=${SENTINEL}`]],
  ])('%j is refused without echoing the value', (argv) => {
    const problem = secretArgumentProblem(argv);
    expect(problem).toMatch(/not accepted on the command line/);
    expect(problem).not.toContain(SENTINEL);
  });
  it('other arguments pass', () => {
    expect(secretArgumentProblem(['--mode', 'live', '--bars', '2', '--api-key-file-not-a-flag'])).toBeUndefined();
  });
  it('credentials come from the environment or files it names', () => {
    expect(credentialsFromEnv({})).toBeUndefined();
    expect(credentialsFromEnv({ BITBANK_API_KEY: 'k', BITBANK_API_SECRET: 's' })).toEqual({
      apiKey: 'k',
      apiSecret: 's',
    });
    const dir = mkdtempSync(join(tmpdir(), 'creds-'));
    writeFileSync(join(dir, 'key'), 'k2\n');
    writeFileSync(join(dir, 'secret'), 's2\n');
    expect(
      credentialsFromEnv({ BITBANK_API_KEY_FILE: join(dir, 'key'), BITBANK_API_SECRET_FILE: join(dir, 'secret') }),
    ).toEqual({ apiKey: 'k2', apiSecret: 's2' });
    expect(() => credentialsFromEnv({ BITBANK_API_KEY: 'k' })).toThrow('BITBANK_API_SECRET is missing');
    expect(() => credentialsFromEnv({ BITBANK_API_KEY: 'k', BITBANK_API_SECRET_FILE: join(dir, 'nope') })).toThrow(
      /cannot be read \(ENOENT\)/,
    );
  });
});
