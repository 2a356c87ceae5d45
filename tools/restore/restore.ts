/**
 * `npm run restore -- --from gs://BUCKET/backups/daily/20261126T180000Z [--dry-run]`
 * Verifies the backup (manifest, sha-256 and count of every file), refuses a database that is not
 * empty, writes every document, re-reads the database to check the bytes match, then appends a
 * `restore` audit record. `--dry-run` does all the checks and writes nothing.
 */
import { Command } from 'commander';
import { loadConfig } from '../../shared/config.js';
import { parseGsUri } from '../../shared/core/backup/layout.js';
import { toBotError } from '../../shared/core/errors.js';
import { restoreBackup, type RestoreReport } from '../../shared/adapters/backup/backup-service.js';
import { appendAudit } from '../../shared/adapters/audit/audit-log.js';
import { FirestoreStore, createFirestore } from '../../shared/adapters/firestore/firestore-store.js';
import { GcsBlobStore, createStorage } from '../../shared/adapters/storage/gcs-blob-store.js';
import { cliActor, consoleIo, parseCli, type CliIo } from '../lib/cli.js';

export type RestoreIo = CliIo;

/** Runs the CLI with `argv` (without node and script) and an env; returns the exit code. */
export async function runRestoreCli(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  io: RestoreIo = consoleIo,
): Promise<number> {
  const program = new Command('restore')
    .requiredOption('--from <uri>', 'the backup: gs://BUCKET/backups/<kind>/<stamp> (or its manifest.json)')
    .option('--dry-run', 'verify the backup and that the database is empty; write nothing', false)
    .option('--project <id>', 'target Google Cloud project (default: GCP_PROJECT)')
    .option('--database <id>', 'target Firestore database (default: FIRESTORE_DATABASE)')
    .option('--actor <name>', 'who runs the restore, for the audit record', cliActor());
  const usage = parseCli(program, argv, io);
  if (usage !== undefined) return usage;
  const opts = program.opts<{ from: string; dryRun: boolean; project?: string; database?: string; actor: string }>();
  try {
    const config = loadConfig(env);
    const { bucket, prefix } = parseGsUri(opts.from);
    const projectId = opts.project ?? config.GCP_PROJECT;
    const db = createFirestore({ projectId, databaseId: opts.database ?? config.FIRESTORE_DATABASE });
    const blobs = new GcsBlobStore(
      createStorage({
        projectId,
        ...(config.STORAGE_API_ENDPOINT ? { apiEndpoint: config.STORAGE_API_ENDPOINT } : {}),
      }),
      { bucket },
    );
    try {
      const report = await restoreBackup({ db, blobs, prefix, dryRun: opts.dryRun });
      if (!opts.dryRun) {
        const auditId = await appendAudit(new FirestoreStore(db), {
          kind: 'restore',
          atMs: io.nowMs(),
          actor: opts.actor,
          details: {
            from: opts.from,
            documents: report.documents,
            collections: report.collections.length,
            backupCreatedAt: report.manifest.createdAt,
            sourceProject: report.manifest.source.projectId,
          },
        });
        io.out(`audit record audit/${auditId} written`);
      }
      printReport(report, opts.from, io);
      return 0;
    } finally {
      await db.terminate();
    }
  } catch (thrown) {
    const error = toBotError(thrown);
    io.err(`restore failed: ${error.code}: ${error.message}`);
    return 1;
  }
}

function printReport(report: RestoreReport, from: string, io: RestoreIo): void {
  io.out(
    `${report.dryRun ? 'DRY RUN (nothing written): ' : ''}${from} (${report.manifest.kind}, ${report.manifest.createdAt}, from ${report.manifest.source.projectId})`,
  );
  for (const c of report.collections) io.out(`  ${c.path.padEnd(40)} ${String(c.count).padStart(8)} documents`);
  io.out(`${report.documents} documents ${report.dryRun ? 'verified' : 'restored and verified (counts and sha-256)'}`);
}
