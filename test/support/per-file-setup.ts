import { beforeAll, inject } from 'vitest';
import { EMULATOR_PROJECT_ID, clearFirestoreEmulator } from '../../tools/lib/firestore-emulator.js';

const host = inject('firestoreEmulatorHost');
if (host) {
  process.env.FIRESTORE_EMULATOR_HOST = host;
  process.env.GCP_PROJECT = EMULATOR_PROJECT_ID;
}

/** Each integration file starts from an empty database. */
beforeAll(async () => {
  if (host) await clearFirestoreEmulator(host);
});
