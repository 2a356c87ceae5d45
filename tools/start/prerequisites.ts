import { createServer } from 'node:net';
import { findEmulatorLauncher, javaAvailable } from '../lib/firestore-emulator.js';

/** How many consecutive ports the functions take from `--port` (one each, in registry order: functions/registry.ts). */
export const FUNCTION_PORTS = 7;

export interface PrerequisiteProbe {
  nodeVersion: string;
  java(): boolean;
  emulator(): string | undefined;
  portFree(port: number): Promise<boolean>;
  /** FIRESTORE_EMULATOR_HOST: an emulator already running, so none has to be started. */
  emulatorHost?: string | undefined;
}

export const systemProbe: PrerequisiteProbe = {
  nodeVersion: process.versions.node,
  java: javaAvailable,
  emulator: () => findEmulatorLauncher(),
  portFree,
  emulatorHost: process.env.FIRESTORE_EMULATOR_HOST,
};

export async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The oldest Node the dependencies run on (package.json `engines`: eslint and commander need 22.13). */
const MIN_NODE = { major: 22, minor: 13 } as const;

/**
 * What `npm start` needs before it starts anything: Node 22.13, Java and the Firestore emulator
 * (unless FIRESTORE_EMULATOR_HOST names a running one), and free ports when `--port` is given.
 * Returns one sentence saying what to install or change, or undefined when all is there.
 */
export async function missingPrerequisite(probe: PrerequisiteProbe, firstPort: number): Promise<string | undefined> {
  const [major = 0, minor = 0] = probe.nodeVersion.split('.').map(Number);
  if (!(major > MIN_NODE.major || (major === MIN_NODE.major && minor >= MIN_NODE.minor))) {
    return `Node ${probe.nodeVersion} is too old: crypto-bot needs Node ${MIN_NODE.major}.${MIN_NODE.minor} or newer (install it, or run \`npm install --prefix .ci/.node --no-save node@22\` and put .ci/.node/node_modules/.bin first on PATH).`;
  }
  if (!probe.emulatorHost) {
    if (!probe.java())
      return 'Java is not installed: the Firestore emulator needs Java 17 or newer on PATH (for example `apt-get install openjdk-17-jre-headless`).';
    if (probe.emulator() === undefined) {
      return 'The Cloud Firestore emulator is not installed: install the Google Cloud CLI and run `gcloud components install cloud-firestore-emulator` (or `apt-get install google-cloud-cli-firestore-emulator`).';
    }
  }
  if (firstPort !== 0) {
    if (!Number.isInteger(firstPort) || firstPort < 1 || firstPort + FUNCTION_PORTS - 1 > 65_535)
      return `--port ${firstPort} is not a usable port: give a number from 1 to ${65_535 - FUNCTION_PORTS + 1} (or 0 for free ports).`;
    for (let port = firstPort; port < firstPort + FUNCTION_PORTS; port += 1) {
      if (!(await probe.portFree(port)))
        return `Port ${port} on 127.0.0.1 is busy: stop what uses it or pick other ports with --port N (the functions use N to N+${FUNCTION_PORTS - 1}).`;
    }
  }
  return undefined;
}
