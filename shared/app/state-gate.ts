import { BotError, StoreError } from '../core/errors.js';
import type { Store } from '../ports/store.port.js';
import { LEGACY_TRADING_COLLECTIONS } from '../store/legacy-collections.js';
import type { TickSettings } from './tick-deps.js';

/** The command that moves legacy trading state to its mode (README, "State per mode"). */
export const MIGRATE_COMMAND = 'npm run state -- migrate --to paper|live --apply';

/** Stores (per instance) whose pair already passed the legacy check: the check costs 3 reads once, not per tick. */
const checked = new WeakMap<Store, Set<string>>();

/**
 * Refuses to trade on a store that is not this mode's, or that still holds trading state from
 * before paper and live were kept apart (top-level `positions`, `orders` or `trades` for the
 * pair): that state could be the other mode's (a paper position, paper trades in live's Kelly and
 * loss streak) or this mode's own (a live position whose stop only the old intents know), and the
 * bot cannot tell which. STORE.MIXED_MODES (HTTP 500) names the command that moves it.
 */
export async function assertStateSeparated(store: Store, settings: Pick<TickSettings, 'pair' | 'mode'>): Promise<void> {
  const { pair, mode } = settings;
  if (store.mode !== mode)
    throw new BotError('INTERNAL', `the tick runs in ${mode} mode on a store scoped to ${store.mode ?? 'no mode'}`);
  if (checked.get(store)?.has(pair)) return;
  const found = await Promise.all(
    LEGACY_TRADING_COLLECTIONS.map(async ({ def, pairField }) =>
      (await store.list(def, { where: [[pairField, '==', pair]], limit: 1 })).length > 0 ? def.name : undefined,
    ),
  );
  const held = found.filter((name): name is string => name !== undefined);
  if (held.length > 0) {
    throw new StoreError(
      'STORE.MIXED_MODES',
      `${mode} refuses to trade: shared ${held.join(', ')} hold ${pair} state from before paper and live were kept apart. Move it to its mode: ${MIGRATE_COMMAND}`,
      { retryable: false, details: { collections: held, pair, mode } },
    );
  }
  checked.set(store, new Set([...(checked.get(store) ?? []), pair]));
}
