import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

export const EMULATOR_PROJECT_ID = 'demo-crypto-bot';
export const INSTALL_HINT =
  'The Cloud Firestore emulator is not installed: install the Google Cloud CLI (https://cloud.google.com/sdk/docs/install) and run `gcloud components install cloud-firestore-emulator` (or apt-get install google-cloud-cli-firestore-emulator), with Java 17+ on PATH.';

export interface RunningEmulator {
  /** host:port, the value for FIRESTORE_EMULATOR_HOST. */
  host: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * True when a missing emulator must fail the test run instead of skipping the integration tests:
 * `REQUIRE_FIRESTORE_EMULATOR=1` (or `true`), which `.ci/run` sets whenever the emulator is installed.
 * Any other non-empty value is a mistake and throws rather than being read as "not required".
 */
export function emulatorRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.REQUIRE_FIRESTORE_EMULATOR;
  if (value === undefined || value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new Error(`REQUIRE_FIRESTORE_EMULATOR must be 1/true or 0/false, got ${JSON.stringify(value)}`);
}

/** The emulator's launcher script, or undefined when the Cloud SDK component is absent. */
export function findEmulatorLauncher(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const roots: string[] = [];
  if (env.CLOUDSDK_ROOT_DIR) roots.push(env.CLOUDSDK_ROOT_DIR);
  try {
    const gcloud = execFileSync('sh', ['-c', 'command -v gcloud'], { encoding: 'utf8' }).trim();
    if (gcloud) roots.push(dirname(dirname(realpathSync(gcloud))));
  } catch {
    // no gcloud on PATH
  }
  roots.push('/usr/lib/google-cloud-sdk', '/usr/share/google-cloud-sdk', join(env.HOME ?? '/root', 'google-cloud-sdk'));
  for (const root of roots) {
    const launcher = join(root, 'platform', 'cloud-firestore-emulator', 'cloud_firestore_emulator');
    if (existsSync(launcher)) return launcher;
  }
  return undefined;
}

export function javaAvailable(): boolean {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the official emulator in its own process group on a free loopback port and resolves once
 * it answers HTTP. `stop()` kills the whole group (the launcher's Java child included).
 */
export async function startFirestoreEmulator(
  options: { port?: number; readyTimeoutMs?: number } = {},
): Promise<RunningEmulator> {
  const launcher = findEmulatorLauncher();
  if (launcher === undefined || !javaAvailable()) throw new Error(INSTALL_HINT);
  const port = options.port ?? (await freePort());
  const child = spawn(launcher, ['start', '--host=127.0.0.1', `--port=${port}`, '--database-mode=firestore-native'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const host = `127.0.0.1:${port}`;
  const stop = (): Promise<void> => killGroup(child);
  const onExit = (): void => {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.once('exit', onExit);
  try {
    await waitUntilReady(host, child, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    throw new Error(`Firestore emulator did not start on ${host}: ${(error as Error).message}\n${output}`);
  }
  return {
    host,
    port,
    stop: async () => {
      process.removeListener('exit', onExit);
      await stop();
    },
  };
}

async function waitUntilReady(host: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`launcher exited with ${child.exitCode}`);
    try {
      const response = await fetch(`http://${host}/`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no answer within ${timeoutMs} ms`);
}

async function killGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // gone
    }
  }, 3000);
  await exited;
  clearTimeout(timer);
  // The launcher may exit before its Java child: make sure nothing of the group survives.
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // group empty
  }
}

/** Deletes every document in the emulator's database (between test files). */
export async function clearFirestoreEmulator(host: string, projectId = EMULATOR_PROJECT_ID): Promise<void> {
  const response = await fetch(`http://${host}/emulator/v1/projects/${projectId}/databases/(default)/documents`, {
    method: 'DELETE',
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) throw new Error(`clearing the emulator failed: HTTP ${response.status}`);
}
