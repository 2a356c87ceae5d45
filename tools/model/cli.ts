/**
 * `npm run model -- --list | --rollback | --promote FILE` against the Firestore named by the
 * environment (GCP_PROJECT, FIRESTORE_DATABASE; FIRESTORE_EMULATOR_HOST for local runs).
 * `--promote` verifies the file (checksum, the engine's feature names) before storing it.
 * Promotions and rollbacks append a `model-promotion` audit record.
 */
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../../shared/config.js';
import { StrategyError, toBotError } from '../../shared/core/errors.js';
import { FEATURE_NAMES } from '../../shared/core/features/index.js';
import { loadModel } from '../../shared/core/model/load.js';
import { appendAudit } from '../../shared/adapters/audit/audit-log.js';
import { FirestoreStore, createFirestore } from '../../shared/adapters/firestore/firestore-store.js';
import { ModelStore } from '../../shared/adapters/model-store/model-store.js';
import { cliActor, consoleIo, parseCli, type CliIo } from '../lib/cli.js';

export type ModelCliIo = CliIo;

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function runModelCli(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  io: ModelCliIo = consoleIo,
): Promise<number> {
  const program = new Command('model')
    .option('--list', 'list stored versions, newest first, marking the current one')
    .option('--rollback', 'make the previously current version current again')
    .option('--promote <file>', 'verify, store and make current a model artifact file')
    .option('--keep <n>', 'versions kept when promoting', (v) => Number(v), 5)
    .option('--actor <name>', 'who acts, for the audit record', cliActor());
  const usage = parseCli(program, argv, io);
  if (usage !== undefined) return usage;
  const o = program.opts<{ list?: boolean; rollback?: boolean; promote?: string; keep: number; actor: string }>();
  if ([o.list, o.rollback, o.promote].filter(Boolean).length !== 1) {
    io.err('give exactly one of --list, --rollback, --promote FILE');
    return 2;
  }
  try {
    const config = loadConfig(env);
    const db = createFirestore({ projectId: config.GCP_PROJECT, databaseId: config.FIRESTORE_DATABASE });
    try {
      const store = new FirestoreStore(db);
      const models = new ModelStore(store, o.keep);
      if (o.list) {
        io.out(JSON.stringify(await models.list(), null, 2));
        return 0;
      }
      const nowMs = io.nowMs();
      let pointer;
      if (o.rollback) {
        const before = await models.getPointer();
        pointer = await models.rollback(nowMs);
        await appendAudit(store, {
          kind: 'model-promotion',
          atMs: nowMs,
          actor: o.actor,
          details: { action: 'rollback', from: before?.version ?? null, to: pointer.version },
        });
      } else {
        const model = loadModel(readArtifactFile(o.promote as string), FEATURE_NAMES);
        await models.save(model.artifact, nowMs, `promoted by ${o.actor} from ${o.promote}`);
        pointer = await models.promote(model.artifact.version, nowMs, `manual promote by ${o.actor}`);
        await appendAudit(store, {
          kind: 'model-promotion',
          atMs: nowMs,
          actor: o.actor,
          details: {
            action: 'promote',
            to: pointer.version,
            previous: pointer.history[pointer.history.length - 1] ?? null,
          },
        });
      }
      io.out(JSON.stringify({ current: pointer.version, history: pointer.history }));
      return 0;
    } finally {
      await db.terminate();
    }
  } catch (thrown) {
    const error = toBotError(thrown);
    io.err(`model failed: ${error.code}: ${error.message}`);
    return 1;
  }
}

/** The artifact file's JSON; a missing or unparsable file is MODEL.MISSING naming the file, not an internal error. */
function readArtifactFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw new StrategyError('MODEL.MISSING', `${path} is not a readable model artifact: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
