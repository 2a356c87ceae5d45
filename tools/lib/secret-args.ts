import { readFileSync } from 'node:fs';

/**
 * Secrets never travel as command-line arguments: they would show in `ps`, in npm's echo of its
 * command line and in shell history. Every CLI refuses them before parsing (commander's own error
 * would echo the value of `--api-key=VALUE`), and takes the bitbank key and secret from the
 * environment (`BITBANK_API_KEY` / `BITBANK_API_SECRET`) or from files named by
 * `BITBANK_API_KEY_FILE` / `BITBANK_API_SECRET_FILE` (as Secret Manager mounts them).
 */
const SECRET_FLAGS = ['--api-key', '--api-secret'] as const;
const SECRET_SETTINGS = ['BITBANK_API_KEY', 'BITBANK_API_SECRET'] as const;

/** The sentence refusing a secret on the command line (naming the flag, never the value), or undefined. */
export function secretArgumentProblem(argv: readonly string[]): string | undefined {
  for (const arg of argv) {
    const flag = SECRET_FLAGS.find((f) => arg === f || arg.startsWith(`${f}=`));
    if (flag)
      return `${flag} is not accepted on the command line (ps, npm's echo and shell history would keep it): export BITBANK_API_KEY and BITBANK_API_SECRET, or name files holding them with BITBANK_API_KEY_FILE and BITBANK_API_SECRET_FILE.`;
    const setting = SECRET_SETTINGS.find((s) => arg.includes(`${s}=`));
    if (setting)
      return `${setting} is a secret and is not accepted on the command line: set it in the environment (or ${setting}_FILE).`;
  }
  return undefined;
}

/** Exits with 2 and one sentence on stderr when `argv` carries a secret (call first in every CLI's main). */
export function refuseSecretArguments(program: string, argv: readonly string[] = process.argv.slice(2)): void {
  const problem = secretArgumentProblem(argv);
  if (problem === undefined) return;
  process.stderr.write(`${program}: ${problem}\n`);
  process.exit(2);
}

export interface ApiCredentials {
  readonly apiKey: string;
  readonly apiSecret: string;
}

function fromEnvOrFile(env: NodeJS.ProcessEnv, name: (typeof SECRET_SETTINGS)[number]): string | undefined {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct && file) throw new Error(`both ${name} and ${name}_FILE are set: keep one`);
  if (direct) return direct;
  if (!file) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(
      `${name}_FILE names a file that cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  const value = text.replace(/\r?\n$/, '');
  if (value === '') throw new Error(`${name}_FILE names an empty file`);
  return value;
}

/** The bitbank key and secret from the environment (or files it names); undefined when neither is set. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): ApiCredentials | undefined {
  const apiKey = fromEnvOrFile(env, 'BITBANK_API_KEY');
  const apiSecret = fromEnvOrFile(env, 'BITBANK_API_SECRET');
  if (apiKey === undefined && apiSecret === undefined) return undefined;
  if (apiKey === undefined || apiSecret === undefined)
    throw new Error(
      `${apiKey === undefined ? 'BITBANK_API_KEY' : 'BITBANK_API_SECRET'} is missing (set both, or neither)`,
    );
  return { apiKey, apiSecret };
}
