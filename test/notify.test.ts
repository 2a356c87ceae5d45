import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { HOUR_MS } from '../shared/core/candle.js';
import { describeWithEmulator, emulatorHost, emulatorStore } from './support/emulator.js';
import { clearFirestoreEmulator } from '../tools/lib/firestore-emulator.js';
import { createPaperExchange } from '../shared/adapters/paper/paper-exchange.js';
import { runTick } from '../shared/app/run-tick.js';
import { ReplayClock } from '../shared/app/replay-clock.js';
import type { TickDeps } from '../shared/app/tick-deps.js';
import type { TradePlan } from '../shared/core/plan.js';
import { loadConfig } from '../shared/config.js';
import { destinationsFromConfig } from '../shared/adapters/notify/destinations.js';
import { runNotify } from '../shared/app/notify/run-notify.js';
import type { NotifyDeps } from '../shared/app/notify/notify-deps.js';
import { outbox, pendingRecord } from '../shared/store/outbox-collections.js';
import { killSwitchEvent } from '../shared/core/notify/events.js';
import { incidents } from '../shared/store/incident-collections.js';
import { trades } from '../shared/store/tick-collections.js';
import { startFakeWebhook, type FakeWebhook } from '../tools/fake-webhook/server.js';
import { startFakeTelegram, type FakeTelegram } from '../tools/fake-telegram/server.js';
import { candleTable, captureLogger, scriptedBrain, tableFeed } from './tick-helpers.js';

/**
 * Notifications end to end on the emulator: ticks in paper mode book an entry and an exit (their
 * events written with the booking), `runNotify` delivers them to a webhook receiver playing Discord
 * and Slack and to the fake Telegram Bot API.
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
const TOKEN = '123456:TESTtelegramTOKEN_abc';
const CHAT = '4242';

function setup(hooks: { receiver: FakeWebhook; telegram: FakeTelegram }, locale: 'en' | 'ja' = 'en') {
  const store = emulatorStore('paper');
  const clock = new ReplayClock(at(5));
  const exchange = createPaperExchange({
    store,
    market: tableFeed(candleTable(T0, Array(12).fill(flat)), clock),
    clock,
    pair: 'btc_jpy',
    initialJpy: 1_000_000,
  });
  const { logger, lines } = captureLogger();
  const brain = scriptedBrain((nowMs, pos) =>
    nowMs === at(5) && !pos ? ENTER : nowMs === at(7) && pos ? EXIT : undefined,
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
      logger,
      store,
      exchange,
      brain,
      owner: `test-${(n += 1)}`,
    };
    return runTick(deps, { scheduleTime: new Date(at(bar)).toISOString() });
  };
  const config = loadConfig({
    NOTIFY_DISCORD_WEBHOOK_URL: hooks.receiver.discordUrl(),
    NOTIFY_SLACK_WEBHOOK_URL: hooks.receiver.slackUrl(),
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_CHAT_IDS: CHAT,
    TELEGRAM_API_URL: hooks.telegram.apiUrl,
    NOTIFY_LOCALE: locale,
  });
  const notifyDeps: NotifyDeps = {
    store,
    clock,
    logger,
    destinations: destinationsFromConfig(config, { clock, callTimeoutMs: 5_000 }),
    settings: { locale, mode: 'paper', pair: 'btc_jpy', dailySummaryHourUtc: 0, incidentAfterRuns: 2 },
  };
  return { store, clock, lines, tick, notify: () => runNotify(notifyDeps) };
}

describeWithEmulator('notifications: outbox written with the booking, delivered once per channel', () => {
  let receiver: FakeWebhook;
  let telegram: FakeTelegram;
  beforeAll(async () => {
    receiver = await startFakeWebhook();
    telegram = await startFakeTelegram({ token: TOKEN });
  });
  afterAll(async () => {
    await receiver?.close();
    await telegram?.close();
  });
  beforeEach(async () => {
    await clearFirestoreEmulator(emulatorHost());
    receiver.reset();
    telegram.reset();
  });

  it('an open and a close produce exactly one message each per channel, also when notify runs again', async () => {
    const s = setup({ receiver, telegram });
    for (const bar of [5, 6, 7, 8]) {
      expect((await s.tick(bar)).body).toMatchObject({ outcome: 'ok' });
      await s.notify();
    }
    await s.notify();
    const kinds = (await s.store.list(outbox)).map((d) => d.data.event.kind).sort();
    expect(kinds).toEqual(['position-closed', 'position-opened']);
    const discord = receiver.messages('/discord').map((m) => m.text);
    const slack = receiver.messages('/slack').map((m) => m.text);
    const tg = telegram.messages(CHAT).map((m) => m.text);
    for (const texts of [discord, slack, tg]) {
      expect(texts).toHaveLength(2);
      expect(texts[0]).toMatch(/^🟢 Position opened: LONG 0\.001 BTC \(btc_jpy\)/);
      expect(texts[1]).toMatch(/Position closed: LONG 0\.001 BTC \(btc_jpy\), exit: signal/);
    }
    const [trade] = (await s.store.list(trades)).map((d) => d.data);
    expect(discord[1]).toContain(
      `P&L ${trade!.pnlJpy < 0 ? '-' : '+'}¥${Math.abs(Math.round(trade!.pnlJpy)).toLocaleString('en-US')}`,
    );
    expect((await s.store.list(outbox)).every((d) => d.data.status === 'done')).toBe(true);
  });

  it('a channel answering 429 then 200 gets the message once, after the Retry-After it asked for', async () => {
    const s = setup({ receiver, telegram }, 'ja');
    await s.tick(5);
    // Discord's JSON retry_after; the Telegram Bot API's parameters.retry_after (Slack's header form is a unit test)
    receiver.fault({ pathPrefix: '/discord', status: 429, times: 1, retryAfterSeconds: 1, retryAfterIn: 'body' });
    telegram.fault({ status: 429, times: 1, retryAfterSeconds: 1 });
    const started = Date.now();
    const run = await s.notify();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(run.byDestination).toMatchObject({
      discord: { sent: 1, failed: 0, deferred: 0 },
      slack: { sent: 1 },
      [`telegram:${CHAT}`]: { sent: 1 },
    });
    expect(receiver.requests.filter((r) => r.endsWith('/discord/1234567890/fake-discord-token'))).toEqual([
      '429 /discord/1234567890/fake-discord-token',
      '204 /discord/1234567890/fake-discord-token',
    ]);
    expect(receiver.messages('/discord')).toHaveLength(1);
    expect(receiver.messages('/discord')[0]!.text).toMatch(/^🟢 新規建玉: ロング 0\.001 BTC/);
    expect(telegram.messages()).toHaveLength(1);
    expect(telegram.requests.slice(-2)).toEqual(['429 sendMessage', '200 sendMessage']);
    await s.notify();
    expect(receiver.messages('/discord')).toHaveLength(1);
    expect(telegram.messages()).toHaveLength(1);
  });

  it('a delivery claimed by a run that died is never sent again (at most once); the other destinations still get it', async () => {
    const s = setup({ receiver, telegram });
    const event = killSwitchEvent({ active: true, reason: 'crash test', setBy: 'tester', setAtMs: at(5) });
    s.clock.set(at(5) + 60_000);
    await s.store.set(outbox, event.eventId, {
      ...pendingRecord(event),
      channels: { discord: { status: 'sending', attempts: 1, leaseUntilMs: at(5) + 1_000 } },
    });
    const run = await s.notify();
    expect(run.byDestination).toMatchObject({
      discord: { failed: 1, sent: 0 },
      slack: { sent: 1 },
      [`telegram:${CHAT}`]: { sent: 1 },
    });
    expect(receiver.messages('/discord')).toHaveLength(0);
    expect((await s.store.get(outbox, event.eventId))?.channels.discord).toMatchObject({
      status: 'failed',
      lastError: expect.stringContaining('not resent'),
    });
    expect((await s.store.get(outbox, event.eventId))?.status).toBe('done');
  });

  it('a channel down for the whole run opens an incident; the others deliver and the ticks are unchanged', async () => {
    const s = setup({ receiver, telegram });
    receiver.fault({ pathPrefix: '/slack', status: 'down' });
    const outcomes: unknown[] = [];
    for (const bar of [5, 6, 7, 8]) {
      outcomes.push((await s.tick(bar)).body.outcome);
      await s.notify();
    }
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok']);
    const heads = (prefix: string) => receiver.messages(prefix).map((m) => m.text.split(':')[0]!.replace(/^\S+ /, ''));
    expect(heads('/discord').filter((h) => h.startsWith('Position'))).toEqual(['Position opened', 'Position closed']);
    expect(receiver.messages('/slack')).toHaveLength(0);
    const open = (await s.store.list(incidents)).map((d) => d.data).filter((i) => i.status === 'open');
    expect(open.map((i) => i.code)).toEqual(['NOTIFY.CHANNEL_FAILING']);
    expect(open[0]!.message).toContain('slack');
    expect(s.lines.some((l) => l.code === 'NOTIFY.CHANNEL_FAILING' && l.severity === 'ERROR')).toBe(true);
    // the incident's own notification reaches the channels that work
    await s.notify();
    expect(
      receiver.messages('/discord').some((m) => m.text.startsWith('📵 Notification channel slack keeps failing')),
    ).toBe(true);
    // slack comes back: its backlog is delivered in order, once, and the incident resolves
    receiver.fault(null);
    for (let i = 0; i < 8 && receiver.messages('/slack').length < 3; i += 1) {
      await new Promise((r) => setTimeout(r, 1_100));
      await s.notify();
    }
    expect(heads('/slack')).toEqual(heads('/discord'));
    expect(heads('/slack')).toEqual([
      'Position opened',
      'Notification channel slack keeps failing (2 runs)',
      'Position closed',
    ]); // in event time order
    expect((await s.store.list(incidents)).map((d) => d.data.status)).toEqual(['resolved']);
  });
});
