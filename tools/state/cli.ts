/**
 * `npm run state -- migrate --to paper|live [--apply] [--force] [--project P] [--database D]`
 * Moves trading state from before paper and live were kept apart to the mode it belongs to (see
 * migrate.ts). Without `--apply` it only reports what it would move. Against the emulator when
 * FIRESTORE_EMULATOR_HOST is set. An applied move appends a `config-change` audit record.
 */
import { Command } from 'commander';
import { loadConfig } from '../../shared/config.js';
import { toBotError } from '../../shared/core/errors.js';
import { appendAudit } from '../../shared/adapters/audit/audit-log.js';
import { FirestoreStore, createFirestore } from '../../shared/adapters/firestore/firestore-store.js';
import type { StateMode } from '../../shared/ports/store.port.js';
import { cliActor, consoleIo, parseCli, type CliIo } from '../lib/cli.js';
import { migrateLegacyState } from './migrate.js';

/** Runs the CLI with `argv` (without node and script) and an env; returns the exit code. */
export async function runStateCli(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  io: CliIo = consoleIo,
): Promise<number> {
  const program = new Command('state').description('trading state kept per mode (paper, live)');
  let run: (() => Promise<number>) | undefined;
  program
    .command('migrate')
    .description(
      'move trading state from before paper and live were kept apart (top-level positions, orders, trades) to the mode it belongs to',
    )
    .requiredOption('--to <mode>', 'the mode the state belongs to: paper or live')
    .option('--apply', 'move it (without: report what would move, write nothing)', false)
    .option('--force', 'move it even when the store shows the other mode ran here', false)
    .option('--project <id>', 'Google Cloud project (default: GCP_PROJECT)')
    .option('--database <id>', 'Firestore database (default: FIRESTORE_DATABASE)')
    .option('--actor <name>', 'who runs it, for the audit record', cliActor())
    .action(
      (opts: { to: string; apply: boolean; force: boolean; project?: string; database?: string; actor: string }) => {
        run = () => migrate(opts, env, io);
      },
    );
  const usage = parseCli(program, argv, io);
  if (usage !== undefined) return usage;
  if (run === undefined) {
    io.err(program.helpInformation().trimEnd());
    return 2;
  }
  return run();
}

async function migrate(
  opts: { to: string; apply: boolean; force: boolean; project?: string; database?: string; actor: string },
  env: NodeJS.ProcessEnv,
  io: CliIo,
): Promise<number> {
  if (opts.to !== 'paper' && opts.to !== 'live') {
    io.err(`--to must be paper or live, not ${JSON.stringify(opts.to)}`);
    return 2;
  }
  const to: StateMode = opts.to;
  try {
    const config = loadConfig(env);
    const db = createFirestore({
      projectId: opts.project ?? config.GCP_PROJECT,
      databaseId: opts.database ?? config.FIRESTORE_DATABASE,
    });
    try {
      const report = await migrateLegacyState(db, { to, apply: opts.apply, force: opts.force });
      const counts = Object.entries(report.moved)
        .map(([name, n]) => `${name} ${n}`)
        .join(', ');
      io.out(
        `${report.applied ? 'moved' : 'DRY RUN (nothing written), would move'} to ${to} (modes/${to}/...): ${counts}`,
      );
      io.out(
        `evidence: successful ticks by mode (30 days) ${JSON.stringify(report.evidence.tickModes)}, paper account ${report.evidence.paperAccount ? 'present' : 'absent'}`,
      );
      if (report.applied) {
        const auditId = await appendAudit(new FirestoreStore(db), {
          kind: 'config-change',
          atMs: io.nowMs(),
          actor: opts.actor,
          details: { action: 'state-migrate', to, moved: report.moved, forced: opts.force },
        });
        io.out(`audit record audit/${auditId} written`);
      } else {
        io.out('re-run with --apply to move it');
      }
      return 0;
    } finally {
      await db.terminate();
    }
  } catch (thrown) {
    const error = toBotError(thrown);
    io.err(`state migrate failed: ${error.code}: ${error.message}`);
    return 1;
  }
}
