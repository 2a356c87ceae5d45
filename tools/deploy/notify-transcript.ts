/**
 * The README's transcript of every notification kind and of the Telegram commands, in English and
 * Japanese, rendered by the bot's own renderers (renderMessage, the Telegram words) from sample
 * events: `npx tsx tools/deploy/generate.ts` writes it, test/readme.test.ts fails when it drifts.
 */
import { HOUR_MS } from '../../shared/core/candle.js';
import {
  channelFailingEvent,
  dailySummaryEvent,
  incidentEvent,
  killSwitchEvent,
  modelEvent,
  notificationEventsFor,
  protectiveFailedEvent,
  LOCALES,
  NOTIFY_EVENT_KINDS,
  type NotifyEvent,
  type NotifyEventKind,
} from '../../shared/core/notify/events.js';
import { credentialAlertStep } from '../../shared/core/notify/credential-alert.js';
import { jpy, renderMessage } from '../../shared/core/notify/messages.js';
import { wordsFor } from '../../shared/app/telegram/answers.js';

const T = Date.UTC(2026, 0, 2, 5, 0);
const ENTRY = { pair: 'btc_jpy', side: 'long' as const, amountBtc: '0.0005', entryPriceJpy: 15_007_500 };
const AUTH_FAILED = { ok: false, code: 'EXCHANGE.AUTH', message: 'bitbank 20001: API authentication failed' };
const credentialsFailed = credentialAlertStep(undefined, AUTH_FAILED, T + 3 * HOUR_MS).event;
const OPENED = {
  ...ENTRY,
  entryTimeMs: T,
  entryFeePerBtcJpy: 18_009,
  adopted: false,
  updatedAtMs: T,
  stopPriceJpy: '14850000',
  takeProfitPriceJpy: '15320000',
};
const CLOSED = {
  ...ENTRY,
  entryTimeMs: T,
  exitTimeMs: T + 5 * HOUR_MS,
  exitPriceJpy: 14_850_000,
  pnlJpy: -96.2,
  feesJpy: 17.8,
  interestJpy: 0.6,
  exitReason: 'stop' as const,
  closingOrderId: 'o-2',
  tradeIds: ['t-2'],
};
type Purpose = 'stop' | 'take-profit' | 'close';
const refused = (id: string, side: 'long' | 'short', purpose: Purpose, code: string, message: string) =>
  protectiveFailedEvent(id, { side, purpose, code, message }, T);
const REJECTED = ['EXCHANGE.ORDER_REJECTED', 'bitbank 60004: amount below the minimum'] as const;
const CIRCUIT = ['EXCHANGE.CIRCUIT_BREAK', 'bitbank 70009: circuit break'] as const;
const kill = (active: boolean, reason: string, setAtMs: number) =>
  killSwitchEvent({ active, reason, setBy: 'telegram:4242', setAtMs });
const incident = (state: 'opened' | 'resolved', message: string, atMs: number) =>
  incidentEvent('i', { code: 'EXCHANGE.AUTH', state, message, openedAtMs: T }, atMs);
const model = (outcome: 'promoted' | 'kept', version: string, reason: string) =>
  modelEvent({ outcome, version, reason }, 'model-2026-01-01', T);
const PROMOTED = 'candidate log loss 0.66600 beats the no-skill baseline 0.66740 on 563 rows';
const KEPT = "candidate log loss 0.67010 does not beat the current model's 0.66820 on 563 rows";
const SLACK_DOWN = { channel: 'slack' as const, failedRuns: 3, lastError: 'slack: network error ECONNREFUSED' };
const DAY = {
  day: '2026-01-03',
  mode: 'paper' as const,
  equityJpy: 99_412,
  pnlDayJpy: -96,
  pnlWeekJpy: 213,
  pnlMonthJpy: -588,
  tradesDay: 1,
  position: null,
  drawdown: 0.0123,
  openIncidents: [],
  killSwitch: false,
};

/** One sample per message variant, titled; together they cover every event kind. */
export const SAMPLES: ReadonlyArray<{ title: string; event: NotifyEvent }> = [
  { title: 'position opened', event: notificationEventsFor({ opened: OPENED })[0]! },
  { title: 'position closed', event: notificationEventsFor({ trade: CLOSED })[0]! },
  { title: 'a stop the exchange refused', event: refused('i-1', 'long', 'stop', ...REJECTED) },
  { title: 'a take-profit the exchange refused', event: refused('i-2', 'long', 'take-profit', ...CIRCUIT) },
  { title: 'closing an unprotected position refused', event: refused('i-3', 'short', 'close', ...CIRCUIT) },
  { title: 'kill switch set', event: kill(true, 'exchange maintenance tonight', T + 6 * HOUR_MS) },
  { title: 'kill switch cleared', event: kill(false, 'resumed from Telegram (confirmed)', T + 9 * HOUR_MS) },
  { title: 'incident opened (logCheck)', event: incident('opened', '3 matching log line(s) in 15 min', T) },
  { title: 'incident resolved (logCheck)', event: incident('resolved', '', T + 45 * 60_000) },
  { title: 'live credentials failing (once per incident)', event: credentialsFailed! },
  { title: 'model promoted (retrain)', event: model('promoted', 'model-2026-01-01', PROMOTED) },
  { title: 'model kept (retrain)', event: model('kept', 'model-2025-12-01', KEPT) },
  { title: 'a notification channel keeps failing', event: channelFailingEvent(SLACK_DOWN, 'i', T) },
  { title: 'daily summary', event: dailySummaryEvent(DAY, Date.UTC(2026, 0, 3)) },
];

/** The Telegram conversation, in one locale, answered by the bot's own words. */
function telegramTranscript(locale: 'en' | 'ja'): string {
  const w = wordsFor(locale);
  const stops = { stop: jpy(14_850_000), takeProfit: jpy(15_320_000) };
  const position = w.position({ side: 'long', amountBtc: '0.0005', entryPriceJpy: 15_007_500, ...stops });
  const lastTick = w.lastTick({ barMs: T + 2 * HOUR_MS, outcome: 'ok', code: 'TICK.OK' });
  const say = (command: string, answer: string): string => `> ${command}\n${answer}`;
  return [
    say('/status', w.status({ mode: 'paper', position, lastTick, killSwitch: false, incidents: [] })),
    say('/profit', w.profit({ day: -96, week: 213, month: -588, all: -1_204, trades: 31, wins: 12 })),
    say('/balance', w.balance({ equityJpy: 99_412, peakJpy: 100_640, atMs: T + 2 * HOUR_MS })),
    say(
      '/trades 2',
      w.trades([
        w.tradeLine({ exitTimeMs: T, side: 'long', amountBtc: '0.0005', pnlJpy: -96, exitReason: 'stop' }),
        w.tradeLine({
          exitTimeMs: T - 22 * HOUR_MS,
          side: 'short',
          amountBtc: '0.0005',
          pnlJpy: 140,
          exitReason: 'take-profit',
        }),
      ]),
    ),
    say('/health', w.health({ lastTick, incidents: ['NOTIFY.CHANNEL_FAILING'], killSwitch: false })),
    say('/stopentry exchange maintenance tonight', w.stopped('exchange maintenance tonight')),
    `${say('/resume', w.confirmAsk(2))}\n${say('/confirm', w.resumed)}`,
  ].join('\n\n');
}

export function renderNotifyTranscript(): string {
  const covered = new Set<NotifyEventKind>(SAMPLES.map((s) => s.event.kind));
  const missing = NOTIFY_EVENT_KINDS.filter((k) => !covered.has(k));
  if (missing.length > 0) throw new Error(`no transcript sample for ${missing.join(', ')}`);
  const fence = (text: string): string => ['```text', text, '```'].join('\n');
  const messages = SAMPLES.map((s) => {
    const both = LOCALES.map((l) => renderMessage(s.event, l)).join('\n\n');
    return [`**${s.title}**`, '', fence(both)].join('\n');
  });
  return [
    'Every message kind, in English then Japanese (rendered by `renderMessage` from sample events):',
    '',
    messages.join('\n\n'),
    '',
    'Telegram, in English:',
    '',
    fence(telegramTranscript('en')),
    '',
    'and in Japanese:',
    '',
    fence(telegramTranscript('ja')),
  ].join('\n');
}
