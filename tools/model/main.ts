import { runModelCli } from './cli.js';
import { refuseSecretArguments } from '../lib/secret-args.js';

refuseSecretArguments('npm run model');

process.exitCode = await runModelCli(process.argv.slice(2));
