import { runModelCli } from './cli.js';

process.exitCode = await runModelCli(process.argv.slice(2));
