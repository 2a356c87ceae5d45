import { z } from 'zod';
import { modeCollection, type Store } from '../../ports/store.port.js';
import type { SpotLedger } from '../../core/tick/spot-holding.js';

/**
 * Where the spot ledger (shared/core/tick/spot-holding.ts) lives: `modes/{mode}/spotLedgers/{pair}`
 * in Firestore (current state, no TTL; paper and live keep their own), or memory for a test harness
 * that has no store. `update` applies a pure change atomically (a Firestore transaction).
 */
export interface SpotLedgerStore {
  read(pair: string): Promise<SpotLedger | undefined>;
  update(pair: string, change: (current: SpotLedger | undefined) => SpotLedger): Promise<SpotLedger>;
}

const ms = z.number().int();
const spotLedgerSchema: z.ZodType<SpotLedger> = z.object({
  pair: z.string().min(1),
  amountBtc: z.string().regex(/^\d+(\.\d+)?$/),
  averagePriceJpy: z.number().finite().min(0),
  botOrderIds: z.array(z.string().min(1)),
  appliedTradeIds: z.array(z.string().min(1)),
  syncedToMs: ms,
  updatedAtMs: ms,
});

export const spotLedgers = modeCollection('spotLedgers', spotLedgerSchema);

export function storeSpotLedgers(store: Store): SpotLedgerStore {
  return {
    read: (pair) => store.get(spotLedgers, pair),
    update: (pair, change) =>
      store.runTransaction(async (tx) => {
        const next = change(await tx.get(spotLedgers, pair));
        tx.set(spotLedgers, pair, next);
        return next;
      }),
  };
}

/** In memory, one update at a time (for harnesses without a store: the Exchange contract suite). */
export function memorySpotLedgers(): SpotLedgerStore {
  const ledgers = new Map<string, SpotLedger>();
  let queue: Promise<unknown> = Promise.resolve();
  return {
    read: async (pair) => ledgers.get(pair),
    update: (pair, change) => {
      const next = queue.then(() => {
        const updated = change(ledgers.get(pair));
        ledgers.set(pair, updated);
        return updated;
      });
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
