import { describe } from 'vitest';
import { EMULATOR_PROJECT_ID } from '../../tools/lib/firestore-emulator.js';
import { FirestoreStore, createFirestore } from '../../shared/adapters/firestore/firestore-store.js';
import type { StateMode } from '../../shared/ports/store.port.js';

/** True when the global setup started the emulator for this run. */
export const emulatorHost = (): string => process.env.FIRESTORE_EMULATOR_HOST ?? '';

/** `describe` that runs only with the emulator (the global setup printed the loud skip line otherwise). */
export const describeWithEmulator = (name: string, body: () => void): void => {
  (emulatorHost() ? describe : describe.skip)(name, body);
};

/** The emulator's database; scoped to `mode`, it reaches that mode's trading state (positions, orders, trades). */
export function emulatorStore(mode?: StateMode): FirestoreStore {
  return new FirestoreStore(createFirestore({ projectId: EMULATOR_PROJECT_ID }), undefined, mode);
}
