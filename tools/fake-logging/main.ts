import { startFakeLogging } from './server.js';
import { refuseSecretArguments } from '../lib/secret-args.js';

refuseSecretArguments('fake-logging');

/** `npx tsx tools/fake-logging/main.ts [--port N]`: serves the fake Logging API until stopped. */
const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 0;
const fake = await startFakeLogging({ port });
console.log(`fake-logging listening on ${fake.endpoint} (set LOGGING_API_ENDPOINT=${fake.endpoint})`);
const stop = (): void => void fake.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
