import { InvalidArgumentError } from 'commander';
import { loadConfig, SECRET_SETTINGS, SETTINGS, type Config, type SettingName } from '../../shared/config.js';

/* Settings that are secrets (SECRET_SETTINGS) are never accepted on a command line: they would reach `ps` and shell history. */

/**
 * commander collector for a repeatable `--set NAME=VALUE`: NAME must be a setting of shared/config.ts
 * (its environment variable name) and not a secret. Values are validated as a whole by `configWithSets`.
 */
export function collectSet(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected NAME=VALUE, got "${value}"`);
  const name = value.slice(0, eq);
  if (!(name in SETTINGS))
    throw new InvalidArgumentError(`${name} is not a setting (see the README's configuration table)`);
  if (SECRET_SETTINGS.includes(name as SettingName))
    throw new InvalidArgumentError(`${name} is a secret: set it in the environment, not on the command line`);
  return { ...previous, [name]: value.slice(eq + 1) };
}

/** The configuration from `env` with the `--set` values on top, validated by the one schema (CONFIG.INVALID otherwise). */
export function configWithSets(
  env: Readonly<Record<string, string | undefined>>,
  sets: Readonly<Record<string, string>> = {},
): Config {
  return loadConfig({ ...env, ...sets });
}
