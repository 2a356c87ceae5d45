/**
 * `npm start`: starts the Firestore emulator and serves all five functions locally in paper mode,
 * printing their URLs, until Ctrl-C. (The full replay demo replaces this with the tick issue.)
 */
import { INSTALL_HINT, EMULATOR_PROJECT_ID, startFirestoreEmulator } from '../lib/firestore-emulator.js';

async function main(): Promise<void> {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) {
    console.error(`Node ${process.versions.node} is too old: crypto-bot needs Node 22 (npm install --prefix .ci/.node --no-save node@22 and put .ci/.node/node_modules/.bin first on PATH).`);
    process.exit(1);
  }
  let emulator;
  try {
    emulator = await startFirestoreEmulator();
  } catch (error) {
    console.error((error as Error).message.startsWith(INSTALL_HINT) ? INSTALL_HINT : `Could not start the Firestore emulator: ${(error as Error).message}`);
    process.exit(1);
  }
  process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
  process.env.GCP_PROJECT = EMULATOR_PROJECT_ID;
  process.env.BOT_MODE ??= 'paper';
  const { serveFunctions } = await import('../lib/serve-functions.js');
  const served = await serveFunctions();
  console.log(`Firestore emulator: ${emulator.host} (project ${EMULATOR_PROJECT_ID})`);
  for (const [name, url] of Object.entries(served.urls)) console.log(`${name.padEnd(9)} ${url}`);
  const shutdown = async (): Promise<void> => {
    await served.close();
    await emulator.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  if (process.argv.includes('--exit')) await shutdown();
}

void main();
