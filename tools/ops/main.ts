import { runOpsCli } from './ops.js';
import { refuseSecretArguments } from '../lib/secret-args.js';

refuseSecretArguments('npm run ops');

runOpsCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
