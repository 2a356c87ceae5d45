import { fileURLToPath } from 'node:url';
import { startFakeMarketData } from './fake-market-data.js';
import { refuseSecretArguments } from '../lib/secret-args.js';

refuseSecretArguments('fake-yahoo');

/** `npx tsx tools/fake-yahoo/main.ts [port]`: serves the repo's fixtures and daily CSVs until stopped. */
const root = fileURLToPath(new URL('../../data/', import.meta.url));
const fake = await startFakeMarketData({
  port: Number(process.argv[2] ?? 0),
  macroDir: `${root}macro`,
  fixturesDir: `${root}fixtures/yahoo-finance2`,
});
console.log(JSON.stringify({ YAHOO_BASE_URL: fake.yahooBaseUrl, FEAR_GREED_URL: fake.fearGreedBaseUrl }));
const stop = (): void => void fake.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
