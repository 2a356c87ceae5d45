import { z } from 'zod';
import { collection, type CollectionDef } from '../ports/store.port.js';

/**
 * The trading collections as versions before the separation by mode kept them: top level
 * (`positions`, `orders`, `trades`), written by paper and live alike. Nothing writes them any more;
 * they are read only to refuse a store that still holds such state (`state-gate.ts`) and by the
 * command that moves it to the mode it belongs to (`npm run state -- migrate`). Any document
 * counts, whatever its fields.
 */
export interface LegacyCollection {
  readonly def: CollectionDef<Record<string, unknown>>;
  /** The field that names the pair (an intent names it in its request). */
  readonly pairField: string;
}

const anyRecord = z.record(z.string(), z.unknown());

export const LEGACY_TRADING_COLLECTIONS: readonly LegacyCollection[] = [
  { def: collection('positions', anyRecord), pairField: 'pair' },
  { def: collection('orders', anyRecord), pairField: 'request.pair' },
  { def: collection('trades', anyRecord), pairField: 'pair' },
];
