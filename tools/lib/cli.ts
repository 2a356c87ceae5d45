import type { Command } from 'commander';
import { userInfo } from 'node:os';

/** Where a CLI prints and what time it is (tests pass arrays and a fixed time). */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  nowMs(): number;
}

export const consoleIo: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l), nowMs: () => Date.now() };

/**
 * Parses `argv` (without node and script) with commander writing to `io` instead of exiting:
 * `undefined` when the options parsed, else the exit code (0 after --help, 2 for a usage error).
 */
export function parseCli(
  program: Command,
  argv: readonly string[],
  io: Pick<CliIo, 'out' | 'err'>,
): number | undefined {
  program
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  try {
    program.parse([...argv], { from: 'user' });
    return undefined;
  } catch (error) {
    return (error as { exitCode?: number }).exitCode ?? 2;
  }
}

/** Who runs the CLI, for audit records (`cli:<user>`, or `cli` when the OS cannot say). */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}
