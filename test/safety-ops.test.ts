import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeEach, expect, it } from 'vitest';
import { HOUR_MS } from '../shared/core/candle.js';
import { describeWithEmulator, emulatorHost, emulatorStore } from './support/emulator.js';
import { EMULATOR_PROJECT_ID, clearFirestoreEmulator } from '../tools/lib/firestore-emulator.js';
import { createFirestore } from '../shared/adapters/firestore/firestore-store.js';
import { createPaperExchange } from '../shared/adapters/paper/paper-exchange.js';
import { paperAccounts, paperOrders } from '../shared/adapters/paper/paper-state.js';
import { runTick } from '../shared/app/run-tick.js';
import { ReplayClock } from '../shared/app/replay-clock.js';
import type { TickDeps } from '../shared/app/tick-deps.js';
import { KILL_SWITCH_DOC, killSwitch, positions, trades } from '../shared/store/tick-collections.js';
import { audit } from '../shared/store/audit-collections.js';
import { equityPeaks } from '../shared/store/equity-peak-collections.js';
import type { TradePlan } from '../shared/core/plan.js';
import { runOpsCli } from '../tools/ops/ops.js';
import { candleTable, captureLogger, scriptedBrain, tableFeed } from './tick-helpers.js';

/**
 * Operator safety on the money path (issue 12, items 9 and 11), against the emulator and the paper
 * exchange: the kill switch through `npm run ops`, a hand-written bad kill-switch document, and the
 * drawdown breaker that latches into the kill switch.
 */
const T0 = Date.UTC(2026, 0, 1);
const at = (bar: number) => T0 + bar * HOUR_MS;
const flat = [10_000_000, 10_010_000, 9_990_000, 10_000_000] as const;
const ENTER: TradePlan = {
  action: 'enter',
  side: 'long',
  amountBtc: '0.001',
  stopPriceJpy: '9900000',
  takeProfitPriceJpy: '10200000',
  probabilityUp: 0.7,
  reasons: ['script'],
};
const EXIT: TradePlan = { action: 'exit', reason: 'signal', probabilityUp: 0.2, reasons: ['script'] };
const INITIAL_JPY = 1_000_000;

function setup(script: (nowMs: number, hasPosition: boolean) => TradePlan | undefined) {
  const store = emulatorStore('paper');
  const clock = new ReplayClock(at(5));
  const candles = candleTable(T0, Array(20).fill(flat));
  const exchange = createPaperExchange({
    store,
    market: tableFeed(candles, clock),
    clock,
    pair: 'btc_jpy',
    initialJpy: INITIAL_JPY,
  });
  const { logger, lines } = captureLogger();
  const brain = scriptedBrain(script);
  let n = 0;
  const tick = async (bar: number) => {
    clock.set(at(bar) + 2_000);
    const deps: TickDeps = {
      settings: {
        pair: 'btc_jpy',
        timeframe: '1h',
        mode: 'paper',
        tickDeadlineMs: 20_000,
        tooLateBars: 2,
        entryWindowMs: 600_000,
        maxDrawdown: 0.15,
      },
      clock,
      logger,
      store,
      exchange,
      brain,
      owner: `ops-test-${(n += 1)}`,
    };
    return runTick(deps, { scheduleTime: new Date(at(bar)).toISOString() });
  };
  const entries = async () =>
    (await store.list(paperOrders)).map((d) => d.data).filter((o) => o.type === 'market' && o.side === 'buy');
  /** Moves the paper account's cash (a loss booked elsewhere, a withdrawal or a deposit). */
  const moveCash = async (deltaJpy: number) => {
    // a paper account that never traded is not stored yet: it is the initial cash
    const account = (await store.get(paperAccounts, 'btc_jpy')) ?? {
      pair: 'btc_jpy',
      cashJpy: INITIAL_JPY,
      btc: '0',
      positions: [],
      processedUntilMs: Math.floor(clock.nowMs() / HOUR_MS) * HOUR_MS,
      nextOrderId: 1,
      nextTradeId: 1,
      updatedAtMs: clock.nowMs(),
    };
    await store.set(paperAccounts, 'btc_jpy', { ...account, cashJpy: account.cashJpy + deltaJpy });
  };
  return { store, clock, exchange, lines, tick, entries, moveCash };
}

const io = (nowMs = at(4)) => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), nowMs: () => nowMs } };
};
const opsEnv = () => ({ FIRESTORE_EMULATOR_HOST: emulatorHost() });

describeWithEmulator(
  'operator safety: kill switch command, unreadable switch, latched drawdown breaker (emulator + paper)',
  () => {
    beforeEach(async () => {
      await clearFirestoreEmulator(emulatorHost());
    });

    it('npm run ops -- kill-switch on|off|status: writes the switch and an audit record; a tick then enters no position', async () => {
      const on = io();
      expect(
        await runOpsCli(
          ['kill-switch', 'on', '--reason', 'exchange incident', '--project', EMULATOR_PROJECT_ID, '--actor', 'alice'],
          opsEnv(),
          on.io,
        ),
      ).toBe(0);
      expect(on.out.join('\n')).toContain(`(emulator ${emulatorHost()})`);
      const store = emulatorStore();
      expect(await store.get(killSwitch, KILL_SWITCH_DOC)).toEqual({
        active: true,
        reason: 'exchange incident',
        setBy: 'alice',
        setAtMs: at(4),
      });
      const records = (await store.list(audit)).map((d) => d.data);
      expect(records).toEqual([
        {
          kind: 'kill-switch',
          atMs: at(4),
          actor: 'alice',
          details: { active: true, reason: 'exchange incident', previous: 'off' },
        },
      ]);

      const s = setup((nowMs) => (nowMs === at(5) ? ENTER : undefined));
      expect((await s.tick(5)).body).toMatchObject({ outcome: 'ok', decision: 'enter', ordersSent: 0 });
      expect(await s.entries()).toEqual([]);

      // the real npm script, as a person runs it (a child process, against the emulator)
      const { stdout } = await promisify(execFile)(
        'npm',
        ['run', '--silent', 'ops', '--', 'kill-switch', 'status', '--project', EMULATOR_PROJECT_ID],
        { env: { ...process.env, ...opsEnv() }, timeout: 60_000 },
      );
      expect(stdout).toContain('kill switch ON: exchange incident (by alice,');

      const off = io(at(6));
      expect(
        await runOpsCli(
          ['kill-switch', 'off', '--reason', 'incident over', '--project', EMULATOR_PROJECT_ID],
          opsEnv(),
          off.io,
        ),
      ).toBe(0);
      expect((await store.get(killSwitch, KILL_SWITCH_DOC))?.active).toBe(false);
      expect((await store.list(audit)).map((d) => d.data.details.active)).toEqual([true, false]);

      // refused without a reason or a project, nothing written
      const bad = io();
      // commander's exit code for a missing required option is 1
      expect(await runOpsCli(['kill-switch', 'on', '--project', EMULATOR_PROJECT_ID], opsEnv(), bad.io)).toBe(1);
      expect(await runOpsCli(['kill-switch', 'on', '--reason', 'x'], opsEnv(), bad.io)).toBe(1);
      expect(bad.err.join('\n')).toMatch(
        /required option '--reason <text>' not specified[\s\S]*required option '--project <id>' not specified/,
      );
      expect(
        await runOpsCli(['kill-switch', 'maybe', '--reason', 'x', '--project', EMULATOR_PROJECT_ID], opsEnv(), bad.io),
      ).toBe(2);
      expect(await store.list(audit)).toHaveLength(2);
    });

    it('a hand-written bad kill-switch document ({active: true}, as the README once said) counts as ON: no entry, the exit still runs, the tick is ok', async () => {
      const s = setup((nowMs, pos) =>
        nowMs === at(5) && !pos ? ENTER : nowMs === at(6) ? EXIT : nowMs === at(7) ? ENTER : undefined,
      );
      expect((await s.tick(5)).body).toMatchObject({ outcome: 'ok', decision: 'enter', ordersSent: 3 });
      const db = createFirestore({ projectId: EMULATOR_PROJECT_ID });
      await db.collection('killSwitch').doc('global').set({ active: true });
      await db.terminate();

      const exit = await s.tick(6);
      expect(exit.status).toBe(200);
      expect(exit.body).toMatchObject({ outcome: 'ok', code: 'TICK.OK', decision: 'exit' });
      expect(await s.store.list(positions)).toEqual([]);
      expect((await s.store.list(trades)).map((d) => d.data.exitReason)).toEqual(['signal']);
      expect(s.lines.some((l) => l.code === 'RISK.KILL_SWITCH_UNREADABLE' && l.severity === 'ERROR')).toBe(true);

      const blocked = await s.tick(7);
      expect(blocked.body).toMatchObject({ outcome: 'ok', code: 'TICK.OK', decision: 'enter', ordersSent: 0 });
      expect(await s.entries()).toHaveLength(1);

      // the operator rewrites it with the command; the next bar may enter again
      const fix = io();
      expect(
        await runOpsCli(
          ['kill-switch', 'off', '--reason', 'rewrite the bad document', '--project', EMULATOR_PROJECT_ID],
          opsEnv(),
          fix.io,
        ),
      ).toBe(0);
      expect((await s.store.list(audit)).map((d) => d.data.details)).toContainEqual(
        expect.objectContaining({ previous: 'unreadable', active: false }),
      );
    });

    it('the drawdown breaker latches: equity cut to 80 % by a booked loss, entries blocked; balance restored, the next bar does NOT enter', async () => {
      const s = setup((nowMs) => (nowMs >= at(6) ? ENTER : undefined));
      expect((await s.tick(5)).body).toMatchObject({ outcome: 'ok', decision: 'hold' });
      expect(await s.store.get(equityPeaks, 'paper')).toMatchObject({ mode: 'paper', peakJpy: INITIAL_JPY });

      // a trade booked with a 200,000 JPY loss, and the cash it took
      await s.store.set(trades, 'btc_jpy_loss-1', {
        pair: 'btc_jpy',
        side: 'long',
        amountBtc: '0.1',
        entryTimeMs: at(5) + 60_000,
        exitTimeMs: at(5) + 1_800_000,
        entryPriceJpy: 10_000_000,
        exitPriceJpy: 8_000_000,
        pnlJpy: -200_000,
        feesJpy: 0,
        interestJpy: 0,
        exitReason: 'stop',
        closingOrderId: 'loss-1',
        tradeIds: [],
      });
      await s.moveCash(-200_000);
      const tripped = await s.tick(6);
      expect(tripped.body).toMatchObject({ outcome: 'ok', decision: 'enter', ordersSent: 0 });
      const latched = await s.store.get(killSwitch, KILL_SWITCH_DOC);
      expect(latched).toMatchObject({ active: true, setBy: 'tick:drawdown-breaker', setAtMs: at(6) });
      expect(latched?.reason).toMatch(/^drawdown breaker \(paper\): drawdown 20\.00 % >= 15\.00 %/);
      expect((await s.store.list(audit)).map((d) => d.data)).toContainEqual(
        expect.objectContaining({ kind: 'kill-switch', actor: 'tick:drawdown-breaker' }),
      );

      // the balance comes back (a deposit: no booked P&L explains it): the switch stays on
      await s.moveCash(200_000);
      const after = await s.tick(7);
      expect(after.body).toMatchObject({ outcome: 'ok', decision: 'enter', ordersSent: 0 });
      expect(await s.entries()).toEqual([]);
      expect(
        s.lines.some(
          (l) =>
            typeof l.message === 'string' && l.message.startsWith('cash movement of 200000 JPY detected (deposit)'),
        ),
      ).toBe(true);

      // a person turns it off and resets the peak (both audited): entries resume
      const ops = io();
      expect(
        await runOpsCli(
          ['kill-switch', 'off', '--reason', 'loss reviewed', '--project', EMULATOR_PROJECT_ID],
          opsEnv(),
          ops.io,
        ),
      ).toBe(0);
      expect(ops.out.join('\n')).toContain('reset the peak with npm run ops -- reset-peak');
      expect(
        await runOpsCli(
          ['reset-peak', '--mode', 'paper', '--reason', 'loss reviewed', '--project', EMULATOR_PROJECT_ID],
          opsEnv(),
          ops.io,
        ),
      ).toBe(0);
      expect(await s.store.get(equityPeaks, 'paper')).toBeUndefined();
      expect((await s.store.list(audit)).map((d) => d.data.kind)).toContain('equity-peak-reset');
      expect((await s.tick(8)).body).toMatchObject({ outcome: 'ok', decision: 'enter', ordersSent: 3 });
      expect(await s.entries()).toHaveLength(1);
    });

    it('a withdrawal is not a loss: cash cut by 20 % with no booked trade leaves the breaker open; the peaks of paper and live are separate', async () => {
      const s = setup((nowMs) => (nowMs === at(7) ? ENTER : undefined));
      await s.tick(5);
      await s.store.set(equityPeaks, 'live', {
        mode: 'live',
        peakJpy: 5_000_000,
        atMs: at(5),
        equityJpy: 5_000_000,
        cashJpy: 5_000_000,
        cashMovementsJpy: 0,
        anchorMs: at(4),
        bookedSinceAnchorJpy: 0,
      });
      await s.moveCash(-200_000);
      expect((await s.tick(6)).body).toMatchObject({ outcome: 'ok', decision: 'hold' });
      expect(await s.store.get(equityPeaks, 'paper')).toMatchObject({ peakJpy: 800_000, cashMovementsJpy: -200_000 });
      expect(await s.store.get(killSwitch, KILL_SWITCH_DOC)).toBeUndefined();
      expect((await s.tick(7)).body).toMatchObject({ outcome: 'ok', decision: 'enter', ordersSent: 3 });
      // the live peak was neither read nor touched by paper ticks
      expect((await s.store.get(equityPeaks, 'live'))?.peakJpy).toBe(5_000_000);
    });
  },
);
