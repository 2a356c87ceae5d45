import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One metric family as Prometheus' official Python parser reads it (counter names without `_total`). */
export interface ParsedFamily {
  name: string;
  type: string;
  help: string;
  samples: Array<{ name: string; labels: Record<string, string>; value: number }>;
}

const SCRIPT = fileURLToPath(new URL('./prometheus_families.py', import.meta.url));
/** Debian's interpreter: apt's python3-prometheus-client installs there (a pyenv python does not see it). */
const PYTHON = process.env.PROMETHEUS_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

/**
 * Parses Prometheus text with `prometheus_client.parser.text_string_to_metric_families`, the
 * official client's parser (Debian package python3-prometheus-client, installed by .ci/run).
 * A text it rejects throws with the parser's message.
 */
export function parseWithOfficialParser(text: string): ParsedFamily[] {
  try {
    const json = execFileSync(PYTHON, [SCRIPT], { input: text, encoding: 'utf8', timeout: 20_000 });
    return JSON.parse(json) as ParsedFamily[];
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '');
    if (stderr.includes("No module named 'prometheus_client'")) {
      const hint = 'apt-get install python3-prometheus-client (or set PROMETHEUS_PYTHON)';
      throw new Error(`${PYTHON} lacks prometheus_client: ${hint}`);
    }
    throw new Error(`the Prometheus parser rejected the text: ${stderr || (error as Error).message}`);
  }
}
