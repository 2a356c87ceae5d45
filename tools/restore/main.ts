import { runRestoreCli } from './restore.js';
import { refuseSecretArguments } from '../lib/secret-args.js';

refuseSecretArguments('npm run restore');

runRestoreCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
