import { beforeEach, expect, it } from 'vitest';
import { describeWithEmulator, emulatorHost, emulatorStore } from './support/emulator.js';
import { EMULATOR_PROJECT_ID, clearFirestoreEmulator } from '../tools/lib/firestore-emulator.js';
import { createFirestore } from '../shared/adapters/firestore/firestore-store.js';
import { recentAudit } from '../shared/adapters/audit/audit-log.js';
import { orders, positions, trades } from '../shared/store/tick-collections.js';
import { runStateCli } from '../tools/state/cli.js';

/** `npm run state -- migrate`: moves pre-separation trading state to its mode, only when told, never over existing state. */
describeWithEmulator('npm run state -- migrate (emulator)', () => {
  const db = createFirestore({ projectId: EMULATOR_PROJECT_ID });
  const env = { GCP_PROJECT: EMULATOR_PROJECT_ID };
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runStateCli(argv, env, {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      nowMs: () => 1_764_000_000_000,
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const legacyCount = async () =>
    (await Promise.all(['positions', 'orders', 'trades'].map(async (c) => (await db.collection(c).get()).size))).reduce(
      (a, b) => a + b,
      0,
    );
  beforeEach(async () => {
    await clearFirestoreEmulator(emulatorHost());
    await db.collection('positions').doc('btc_jpy_short').set({
      pair: 'btc_jpy',
      side: 'short',
      amountBtc: '0.0005',
      entryPriceJpy: 10_000_000,
      entryTimeMs: 1_000,
      entryFeePerBtcJpy: 12_000,
      stopPriceJpy: '10300000',
      adopted: false,
      updatedAtMs: 1_000,
    });
    await db
      .collection('orders')
      .doc('btc_jpy_1h_0_entry')
      .set({
        intentId: 'btc_jpy_1h_0_entry',
        tickId: 'btc_jpy_1h_0',
        barOpenMs: 0,
        purpose: 'entry',
        request: { pair: 'btc_jpy', side: 'sell', positionSide: 'short', type: 'market', amountBtc: '0.0005' },
        stopPriceJpy: '10300000',
        status: 'sent',
        attempt: 1,
        createdAtMs: 1_000,
        updatedAtMs: 1_000,
        orderId: '42',
      });
    await db
      .collection('trades')
      .doc('btc_jpy_41')
      .set({
        pair: 'btc_jpy',
        side: 'long',
        amountBtc: '0.001',
        entryTimeMs: 0,
        exitTimeMs: 500,
        entryPriceJpy: 1e7,
        exitPriceJpy: 1e7,
        pnlJpy: -24,
        feesJpy: 24,
        interestJpy: 0,
        exitReason: 'signal',
        closingOrderId: '41',
        tradeIds: ['7'],
      });
  });

  it('without --apply it reports and writes nothing; with it the state moves, fields and ids kept, and an audit record is written', async () => {
    const dry = await run('migrate', '--to', 'live');
    expect(dry).toMatchObject({ code: 0 });
    expect(dry.out).toContain(
      'DRY RUN (nothing written), would move to live (modes/live/...): positions 1, orders 1, trades 1',
    );
    expect(await legacyCount()).toBe(3);
    expect(await emulatorStore('live').list(positions)).toEqual([]);

    const applied = await run('migrate', '--to', 'live', '--apply', '--actor', 'tester');
    expect(applied.code).toBe(0);
    expect(await legacyCount()).toBe(0);
    const live = emulatorStore('live');
    expect((await live.list(positions)).map((d) => [d.id, d.data.stopPriceJpy])).toEqual([
      ['btc_jpy_short', '10300000'],
    ]);
    expect((await live.list(orders)).map((d) => [d.id, d.data.status, d.data.orderId])).toEqual([
      ['btc_jpy_1h_0_entry', 'sent', '42'],
    ]);
    expect((await live.list(trades)).map((d) => d.data.pnlJpy)).toEqual([-24]);
    expect(await emulatorStore('paper').list(positions)).toEqual([]);
    const [audit] = await recentAudit(emulatorStore(), 1);
    expect(audit?.record).toMatchObject({
      kind: 'config-change',
      actor: 'tester',
      details: { action: 'state-migrate', to: 'live', moved: { positions: 1, orders: 1, trades: 1 } },
    });
    // A re-run finds nothing left to move.
    expect((await run('migrate', '--to', 'live', '--apply')).out).toContain('positions 0, orders 0, trades 0');
  });

  it('refuses a move the store contradicts (paper ran here, --to live) unless --force', async () => {
    await db.collection('paperAccounts').doc('btc_jpy').set({
      pair: 'btc_jpy',
      cashJpy: 100_000,
      btc: '0',
      positions: [],
      processedUntilMs: 0,
      nextOrderId: 1,
      nextTradeId: 1,
      updatedAtMs: 0,
    });
    await db.collection('ticks').doc('btc_jpy_1h_0').set({ mode: 'paper', outcome: 'ok' });
    const refused = await run('migrate', '--to', 'live', '--apply');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('STORE.MIXED_MODES');
    expect(refused.err).toContain('--force');
    expect(await legacyCount()).toBe(3);
    expect(await emulatorStore('live').list(positions)).toEqual([]);
    // Paper is what the evidence says: no contradiction.
    expect((await run('migrate', '--to', 'paper', '--apply')).code).toBe(0);
    expect((await emulatorStore('paper').list(positions)).map((d) => d.id)).toEqual(['btc_jpy_short']);
  });

  it('--force moves it anyway', async () => {
    await db.collection('ticks').doc('btc_jpy_1h_0').set({ mode: 'paper', outcome: 'ok' });
    expect((await run('migrate', '--to', 'live', '--apply', '--force')).code).toBe(0);
    expect(await legacyCount()).toBe(0);
  });

  it('never overwrites: a document already at its destination refuses the whole move', async () => {
    await emulatorStore('paper').set(positions, 'btc_jpy_short', {
      pair: 'btc_jpy',
      side: 'short',
      amountBtc: '0.002',
      entryPriceJpy: 9e6,
      entryTimeMs: 2_000,
      entryFeePerBtcJpy: 10_800,
      adopted: true,
      updatedAtMs: 2_000,
    });
    const refused = await run('migrate', '--to', 'paper', '--apply');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('modes/paper/positions/btc_jpy_short');
    expect(await legacyCount()).toBe(3);
    expect((await emulatorStore('paper').get(positions, 'btc_jpy_short'))?.amountBtc).toBe('0.002');
  });

  it('a mode that is neither paper nor live is a usage error', async () => {
    expect((await run('migrate', '--to', 'both')).code).toBe(2);
    expect((await run('migrate')).code).toBe(2);
    expect(await legacyCount()).toBe(3);
  });
});
