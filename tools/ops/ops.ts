/**
 * `npm run ops -- <command>`: the operator's commands on the bot's Firestore state, each audited.
 *
 *   kill-switch on  --reason TEXT --project P   stop new entries (exits, stops, reconciliation go on)
 *   kill-switch off --reason TEXT --project P   allow entries again
 *   kill-switch status --project P              print the switch (and whether it is readable)
 *   reset-peak --mode paper|live --reason TEXT --project P
 *                                               forget the drawdown breaker's equity peak of one mode;
 *                                               the next tick starts it at the equity it sees
 *
 * `--database D` picks a named Firestore database; with FIRESTORE_EMULATOR_HOST set the commands act
 * on the emulator (the Firestore client honours it), which the output says.
 */
import { Command } from 'commander';
import { SETTINGS } from '../../shared/config.js';
import { toBotError } from '../../shared/core/errors.js';
import { appendAudit } from '../../shared/adapters/audit/audit-log.js';
import { FirestoreStore, createFirestore } from '../../shared/adapters/firestore/firestore-store.js';
import { readKillSwitch, setKillSwitch } from '../../shared/app/kill-switch.js';
import { equityPeaks } from '../../shared/store/equity-peak-collections.js';
import { cliActor, consoleIo, parseCli, type CliIo } from '../lib/cli.js';

const USAGE = [
  'usage: npm run ops -- kill-switch on|off --reason TEXT --project P [--database D] [--actor NAME]',
  '       npm run ops -- kill-switch status --project P [--database D]',
  '       npm run ops -- reset-peak --mode paper|live --reason TEXT --project P [--database D] [--actor NAME]',
].join('\n');

interface Target {
  project: string;
  database?: string;
  actor: string;
}

function targetOptions(program: Command): Command {
  return program
    .requiredOption('--project <id>', 'the Google Cloud project whose Firestore holds the bot state')
    .option('--database <id>', 'Firestore database (default: FIRESTORE_DATABASE or (default))')
    .option('--actor <name>', 'who acts, for the audit record', cliActor());
}

async function withStore<T>(
  target: Target,
  env: NodeJS.ProcessEnv,
  io: CliIo,
  work: (store: FirestoreStore) => Promise<T>,
): Promise<T> {
  const databaseId = target.database ?? SETTINGS.FIRESTORE_DATABASE.schema.parse(env.FIRESTORE_DATABASE);
  const db = createFirestore({ projectId: target.project, databaseId });
  io.out(
    `project ${target.project}, database ${databaseId}${env.FIRESTORE_EMULATOR_HOST ? ` (emulator ${env.FIRESTORE_EMULATOR_HOST})` : ''}`,
  );
  try {
    return await work(new FirestoreStore(db));
  } finally {
    await db.terminate();
  }
}

async function killSwitchCommand(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const [action, ...rest] = argv;
  if (action !== 'on' && action !== 'off' && action !== 'status') {
    io.err(`kill-switch needs on, off or status\n${USAGE}`);
    return 2;
  }
  const program = targetOptions(new Command(`ops kill-switch ${action}`));
  if (action !== 'status') program.requiredOption('--reason <text>', 'why (kept in the switch and the audit log)');
  const usage = parseCli(program, rest, io);
  if (usage !== undefined) return usage;
  const opts = program.opts<Target & { reason?: string }>();
  if (action !== 'status' && (opts.reason ?? '').trim() === '') {
    io.err('--reason must not be empty');
    return 2;
  }
  return withStore(opts, env, io, async (store) => {
    if (action === 'status') {
      const state = await readKillSwitch(store);
      if (state.unreadable) io.out(`kill switch UNREADABLE (counts as ON: no entries): ${state.message}`);
      else if (!state.record) io.out('kill switch off (never set)');
      else
        io.out(
          `kill switch ${state.active ? 'ON' : 'off'}: ${state.record.reason} (by ${state.record.setBy}, ${new Date(state.record.setAtMs).toISOString()})`,
        );
      return 0;
    }
    const before = await readKillSwitch(store);
    const auditId = await setKillSwitch(store, {
      active: action === 'on',
      reason: opts.reason as string,
      actor: opts.actor,
      atMs: io.nowMs(),
      details: { previous: before.unreadable ? 'unreadable' : before.active ? 'on' : 'off' },
    });
    io.out(
      `kill switch ${action === 'on' ? 'ON: new entries stop at the next tick (exits, stops and reconciliation go on)' : 'off: entries allowed from the next tick'}`,
    );
    io.out(`audit record audit/${auditId} written`);
    if (action === 'off' && !before.unreadable && before.record?.setBy === 'tick:drawdown-breaker') {
      io.out(
        `note: the drawdown breaker set it (${before.record.reason}); unless equity is back within MAX_DRAWDOWN of its peak it trips again at the next tick: reset the peak with npm run ops -- reset-peak --mode M --reason TEXT --project ${opts.project}`,
      );
    }
    return 0;
  });
}

async function resetPeakCommand(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const program = targetOptions(new Command('ops reset-peak'))
    .requiredOption('--mode <mode>', 'paper or live: the peak of that mode only')
    .requiredOption('--reason <text>', 'why (kept in the audit log)');
  const usage = parseCli(program, argv, io);
  if (usage !== undefined) return usage;
  const opts = program.opts<Target & { mode: string; reason: string }>();
  if (opts.mode !== 'paper' && opts.mode !== 'live') {
    io.err(`--mode must be paper or live, got ${JSON.stringify(opts.mode)}`);
    return 2;
  }
  if (opts.reason.trim() === '') {
    io.err('--reason must not be empty');
    return 2;
  }
  const mode = opts.mode;
  return withStore(opts, env, io, async (store) => {
    const previous = await store.get(equityPeaks, mode);
    await store.delete(equityPeaks, mode);
    const auditId = await appendAudit(store, {
      kind: 'equity-peak-reset',
      atMs: io.nowMs(),
      actor: opts.actor,
      details: {
        mode,
        reason: opts.reason.trim(),
        previousPeakJpy: previous?.peakJpy ?? null,
        previousEquityJpy: previous?.equityJpy ?? null,
      },
    });
    io.out(
      `${mode} equity peak reset${previous ? ` (was ${previous.peakJpy.toFixed(0)} JPY)` : ' (none was kept)'}: the next ${mode} tick starts it at the equity it sees`,
    );
    io.out(`audit record audit/${auditId} written`);
    return 0;
  });
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function runOpsCli(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  io: CliIo = consoleIo,
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'kill-switch') return await killSwitchCommand(rest, env, io);
    if (command === 'reset-peak') return await resetPeakCommand(rest, env, io);
    io.err(
      command === undefined || command === '--help' || command === '-h'
        ? USAGE
        : `unknown command ${JSON.stringify(command)}\n${USAGE}`,
    );
    return command === '--help' || command === '-h' ? 0 : 2;
  } catch (thrown) {
    const error = toBotError(thrown);
    io.err(`ops ${command} failed: ${error.code}: ${error.message}`);
    return 1;
  }
}
