import { afterAll, beforeAll, expect, it } from 'vitest';
import { HOUR_MS } from '../shared/core/candle.js';
import { describeWithEmulator, emulatorHost, emulatorStore } from './support/emulator.js';
import { clearFirestoreEmulator } from '../tools/lib/firestore-emulator.js';
import { createPaperExchange } from '../shared/adapters/paper/paper-exchange.js';
import { paperOrders } from '../shared/adapters/paper/paper-state.js';
import { runTick } from '../shared/app/run-tick.js';
import { ReplayClock } from '../shared/app/replay-clock.js';
import type { TickDeps } from '../shared/app/tick-deps.js';
import type { TradePlan } from '../shared/core/plan.js';
import { KILL_SWITCH_DOC, killSwitch, trades } from '../shared/store/tick-collections.js';
import { outbox } from '../shared/store/outbox-collections.js';
import { audit } from '../shared/store/audit-collections.js';
import { startFakeTelegram, type FakeTelegram } from '../tools/fake-telegram/server.js';
import { rootCollections, serveFunction } from './reliability/http-harness.js';
import { candleTable, captureLogger, scriptedBrain, tableFeed } from './tick-helpers.js';

/**
 * The telegram function over HTTP (functions-framework in-process) as the webhook of the fake
 * Telegram Bot API: forged calls change nothing, commands answer, /stopentry stops entries but not
 * exits, /resume needs /confirm, every command is audited with its chat id, none places an order.
 */
const TOKEN = '777000:FAKEtelegramTOKENforTESTS';
const SECRET = 'webhook-secret-0123456789abcdef';
const CHAT = '4242';
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

describeWithEmulator('telegram remote control (fake Bot API -> telegram function -> emulator)', () => {
  let tg: FakeTelegram;
  let served: { url: string; close(): Promise<void> };
  const saved = { ...process.env };
  const store = emulatorStore('paper');
  const answers = (): string[] => tg.messages(CHAT).map((m) => m.text);
  const say = async (text: string): Promise<string> => {
    const before = answers().length;
    expect(await tg.userSays(CHAT, text)).toBe(200);
    expect(answers()).toHaveLength(before + 1);
    return answers()[before] as string;
  };

  beforeAll(async () => {
    await clearFirestoreEmulator(emulatorHost());
    tg = await startFakeTelegram({ token: TOKEN });
    Object.assign(process.env, {
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_CHAT_IDS: `${CHAT},-100200`,
      TELEGRAM_API_URL: tg.apiUrl,
      NOTIFY_LOCALE: 'en',
      LOG_LEVEL: 'ERROR',
    });
    const { resetRuntime } = await import('../functions/runtime.js');
    resetRuntime();
    served = await serveFunction('telegram');
    const set = await fetch(`${tg.apiUrl}/bot${TOKEN}/setWebhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: served.url, secret_token: SECRET }),
    });
    expect(set.status).toBe(200);
  });
  afterAll(async () => {
    await served?.close();
    await tg?.close();
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it('a forged call (wrong or no secret token, unknown chat) changes nothing and gets no answer', async () => {
    expect(await tg.userSays(CHAT, '/stopentry forged', { secretToken: 'not-the-secret-token-at-all' })).toBe(401);
    expect(await tg.userSays(CHAT, '/stopentry forged', { secretToken: null })).toBe(401);
    expect(await tg.userSays('999', '/stopentry forged')).toBe(200);
    expect(await rootCollections()).toEqual([]);
    expect(tg.messages()).toEqual([]);
    const get = await fetch(served.url);
    expect(get.status).toBe(405);
  });

  it('/stopentry then ticks: no entry, the exit still runs; /resume asks, /confirm clears; every command audited', async () => {
    const clock = new ReplayClock(at(5));
    const exchange = createPaperExchange({
      store,
      market: tableFeed(candleTable(T0, Array(12).fill(flat)), clock),
      clock,
      pair: 'btc_jpy',
      initialJpy: 1_000_000,
    });
    const brain = scriptedBrain((nowMs, pos) =>
      nowMs === at(5) && !pos ? ENTER : nowMs === at(6) && pos ? EXIT : nowMs === at(7) && !pos ? ENTER : undefined,
    );
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
        logger: captureLogger().logger,
        store,
        exchange,
        brain,
        owner: `t-${(n += 1)}`,
      };
      return (await runTick(deps, { scheduleTime: new Date(at(bar)).toISOString() })).body;
    };
    expect(await tick(5)).toMatchObject({ outcome: 'ok', decision: 'enter', ordersSent: 3 });

    expect(await say('/help')).toContain('/stopentry <reason>');
    expect(await say('/stopentry')).toMatch(/^Usage: \/stopentry <reason>/);
    expect((await store.get(killSwitch, KILL_SWITCH_DOC))?.active ?? false).toBe(false);
    const ordersBefore = (await store.list(paperOrders)).length;
    expect(await say('/stopentry exchange maintenance tonight')).toContain('Kill switch ON');
    expect(await store.get(killSwitch, KILL_SWITCH_DOC)).toMatchObject({
      active: true,
      reason: 'exchange maintenance tonight',
      setBy: `telegram:${CHAT}`,
    });
    expect((await store.list(outbox)).map((d) => d.data.event.kind)).toContain('kill-switch');
    expect(await say('/status')).toMatch(
      /Mode: paper\nPosition: LONG 0\.001 BTC @ ¥10,005,000 · stop ¥9,900,000 · take-profit ¥10,200,000\nLast tick: 2026-01-01 05:00 UTC ok \(TICK\.OK\)\nKill switch: ON/,
    );
    expect((await store.list(paperOrders)).length).toBe(ordersBefore); // no command placed an order

    expect(await tick(6)).toMatchObject({ outcome: 'ok', decision: 'exit', ordersSent: 1 });
    expect((await store.list(trades)).map((d) => d.data.exitReason)).toEqual(['signal']);
    expect(await tick(7)).toMatchObject({ outcome: 'ok', decision: 'enter', ordersSent: 0 });

    expect(await say('/trades 3')).toMatch(/^Last trades:\n2026-01-01 06:00 UTC LONG 0\.001 BTC -¥\d+ \(signal\)$/);
    expect(await say('/profit')).toMatch(/Since start -¥\d+ over 1 trades \(0 won\)/);
    expect(await say('/balance')).toMatch(/^Equity ¥[\d,]+ \(peak ¥[\d,]+\) at 2026-01-01 07:00 UTC$/);
    expect(await say('/health')).toContain('Kill switch: ON');
    expect(await say('/confirm')).toMatch(/^Nothing to confirm/);
    expect(await say('/resume')).toBe('Resume new entries? Reply /confirm within 2 minutes.');
    expect((await store.get(killSwitch, KILL_SWITCH_DOC))?.active).toBe(true);
    expect(await say('/confirm')).toBe('Kill switch OFF: new entries allowed again.');
    expect(await store.get(killSwitch, KILL_SWITCH_DOC)).toMatchObject({ active: false, setBy: `telegram:${CHAT}` });
    expect(await say('/sell 1 BTC')).toBe('Unknown command /sell. /help lists the commands.');

    const records = (await store.list(audit)).map((d) => d.data);
    const commands = records.filter((r) => r.kind === 'remote-command');
    expect(commands.map((r) => r.details.command)).toEqual([
      'help',
      'stopentry',
      'stopentry',
      'status',
      'trades',
      'profit',
      'balance',
      'health',
      'confirm',
      'resume',
      'confirm',
      'unknown',
    ]);
    expect(commands.every((r) => r.actor === `telegram:${CHAT}`)).toBe(true);
    expect(records.filter((r) => r.kind === 'kill-switch').map((r) => r.details.active)).toEqual([true, false]);
    expect((await store.list(outbox)).filter((d) => d.data.event.kind === 'kill-switch')).toHaveLength(2);
  });
});
