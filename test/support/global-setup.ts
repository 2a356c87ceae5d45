import type { TestProject } from 'vitest/node';
import {
  EMULATOR_PROJECT_ID,
  INSTALL_HINT,
  emulatorRequired,
  findEmulatorLauncher,
  javaAvailable,
  startFirestoreEmulator,
  type RunningEmulator,
} from '../../tools/lib/firestore-emulator.js';

let emulator: RunningEmulator | undefined;

/**
 * Starts the official Firestore emulator once for the integration run; stops it at the end, also on
 * failure. An emulator that is installed but does not start fails the run; one that is missing skips
 * the emulator tests with a loud line, unless REQUIRE_FIRESTORE_EMULATOR=1 (set by .ci/run), which fails it.
 */
export async function setup(project: TestProject): Promise<void> {
  if (findEmulatorLauncher() === undefined || !javaAvailable()) {
    if (emulatorRequired()) throw new Error(`REQUIRE_FIRESTORE_EMULATOR is set: ${INSTALL_HINT}`);
    process.stderr.write(`\n!!! FIRESTORE EMULATOR TESTS SKIPPED !!! ${INSTALL_HINT}\n\n`);
    project.provide('firestoreEmulatorHost', '');
    return;
  }
  emulator = await startFirestoreEmulator();
  process.stderr.write(`Firestore emulator running at ${emulator.host} (project ${EMULATOR_PROJECT_ID})\n`);
  project.provide('firestoreEmulatorHost', emulator.host);
}

export async function teardown(): Promise<void> {
  await emulator?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    firestoreEmulatorHost: string;
  }
}
