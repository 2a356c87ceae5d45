import { InvalidArgumentError } from 'commander';
import type { SettingName } from '../../shared/config.js';
import { configWithSets } from '../lib/set-options.js';

/** Settings the local replay sets itself (fakes' URLs, the emulator project, mode, macro, log level): not settable by --set. */
export const REPLAY_OWNED_SETTINGS: readonly SettingName[] = [
  'BOT_MODE',
  'GCP_PROJECT',
  'BITBANK_PUBLIC_URL',
  'BITBANK_PRIVATE_URL',
  'BITBANK_MARKETS_URL',
  'MACRO_MODE',
  'LOG_LEVEL',
  'YAHOO_BASE_URL',
  'FEAR_GREED_URL',
];

/**
 * The `--set NAME=VALUE` settings of `npm run replay` / `npm start`, checked before anything starts:
 * none of the replay's own, every value valid under the one schema (CONFIG.INVALID otherwise).
 * Returned as the environment the replayed functions get.
 */
export function replaySets(
  sets: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const owned = Object.keys(sets).filter((name) => REPLAY_OWNED_SETTINGS.includes(name as SettingName));
  if (owned.length > 0)
    throw new InvalidArgumentError(`${owned.join(', ')}: set by the replay itself (use --mode, --macro, --verbose)`);
  configWithSets({ ...env, BOT_MODE: 'paper' }, sets);
  return { ...sets };
}
