import { z } from 'zod';
import { collection } from '../ports/store.port.js';
import { CHANNEL_NAMES, type ChannelName, type NotifyEvent } from '../core/notify/events.js';

/**
 * The notification outbox. `outbox/{eventId}` is written in the same Firestore write as the booking
 * that caused the event (trade, position, kill switch) and sent later by `notify`; each channel's
 * delivery is tracked on the document, so an event goes at most once to each channel. Kept 30 days.
 */
const ms = z.number().int();
const finite = z.number().finite();
const side = z.enum(['long', 'short']);
const text = (max: number) => z.string().max(max);
export const DESTINATION_KEY = /^(discord|slack|telegram:-?\d{1,20})$/;

const eventSchema: z.ZodType<NotifyEvent> = z.discriminatedUnion('kind', [
  z.object({
    eventId: z.string().min(1),
    kind: z.literal('position-opened'),
    atMs: ms,
    data: z.object({
      pair: z.string(),
      side,
      amountBtc: z.string(),
      entryPriceJpy: finite,
      entryFeeJpy: finite,
      stopPriceJpy: z.string().nullable(),
      takeProfitPriceJpy: z.string().nullable(),
      adopted: z.boolean(),
    }),
  }),
  z.object({
    eventId: z.string().min(1),
    kind: z.literal('position-closed'),
    atMs: ms,
    data: z.object({
      pair: z.string(),
      side,
      amountBtc: z.string(),
      entryPriceJpy: finite,
      exitPriceJpy: finite,
      feesJpy: finite,
      interestJpy: finite,
      pnlJpy: finite,
      exitReason: z.string(),
      entryTimeMs: ms,
    }),
  }),
  z.object({
    eventId: z.string().min(1),
    kind: z.literal('protective-failed'),
    atMs: ms,
    data: z.object({ side, purpose: z.enum(['stop', 'take-profit', 'close']), code: z.string(), message: text(500) }),
  }),
  z.object({
    eventId: z.string().min(1),
    kind: z.literal('incident'),
    atMs: ms,
    data: z.object({ code: z.string(), state: z.enum(['opened', 'resolved']), message: text(2000), openedAtMs: ms }),
  }),
  z.object({
    eventId: z.string().min(1),
    kind: z.literal('kill-switch'),
    atMs: ms,
    data: z.object({ active: z.boolean(), reason: text(500), setBy: text(200) }),
  }),
  z.object({
    eventId: z.string().min(1),
    kind: z.literal('credentials-failed'),
    atMs: ms,
    data: z.object({ code: z.string(), message: text(500) }),
  }),
  z.object({
    eventId: z.string().min(1),
    kind: z.literal('model'),
    atMs: ms,
    data: z.object({ outcome: z.enum(['promoted', 'kept']), version: z.string(), reason: text(500) }),
  }),
  z.object({
    eventId: z.string().min(1),
    kind: z.literal('daily-summary'),
    atMs: ms,
    data: z.object({
      day: z.string(),
      mode: z.enum(['paper', 'live']),
      equityJpy: finite.nullable(),
      pnlDayJpy: finite,
      pnlWeekJpy: finite,
      pnlMonthJpy: finite,
      tradesDay: z.number().int(),
      position: z.object({ side, amountBtc: z.string(), entryPriceJpy: finite }).nullable(),
      drawdown: finite.nullable(),
      openIncidents: z.array(z.string()),
      killSwitch: z.boolean(),
    }),
  }),
  z.object({
    eventId: z.string().min(1),
    kind: z.literal('channel-failing'),
    atMs: ms,
    data: z.object({ channel: z.enum(CHANNEL_NAMES), failedRuns: z.number().int(), lastError: text(500) }),
  }),
]);

export const deliverySchema = z.object({
  /** pending: waiting (deferred after a failure); sending: claimed by a run; sent; failed: given up (never resent). */
  status: z.enum(['pending', 'sending', 'sent', 'failed']),
  attempts: z.number().int().nonnegative(),
  /** While `sending`: another run must not send before this (a run that died mid-send is taken over after it). */
  leaseUntilMs: ms.optional(),
  nextAttemptAfterMs: ms.optional(),
  sentAtMs: ms.optional(),
  lastError: text(300).optional(),
});
export type Delivery = z.infer<typeof deliverySchema>;

export const outboxRecordSchema = z.object({
  event: eventSchema,
  atMs: ms,
  /** `pending` until every configured destination has `sent` or `failed` (given up). */
  status: z.enum(['pending', 'done']),
  /** By destination key: `discord`, `slack`, `telegram:<chatId>` (one Telegram message per chat). */
  channels: z.record(z.string().regex(DESTINATION_KEY), deliverySchema),
});
export type OutboxRecord = z.infer<typeof outboxRecordSchema>;

export const OUTBOX_RETENTION_DAYS = 30;
export const outbox = collection('outbox', outboxRecordSchema, { days: OUTBOX_RETENTION_DAYS, fromField: 'atMs' });

export function pendingRecord(event: NotifyEvent): OutboxRecord {
  return { event, atMs: event.atMs, status: 'pending', channels: {} };
}

/** `notifyChannels/{channel}`: a channel's health across runs (a channel that keeps failing opens an incident). */
export const channelHealthSchema = z.object({
  channel: z.enum(CHANNEL_NAMES),
  consecutiveFailedRuns: z.number().int().nonnegative(),
  lastError: text(300).nullable(),
  lastFailureAtMs: ms.nullable(),
  lastSuccessAtMs: ms.nullable(),
});
export type ChannelHealth = z.infer<typeof channelHealthSchema>;
export const notifyChannels = collection('notifyChannels', channelHealthSchema);
export type { ChannelName };

/**
 * `credentialAlerts/{mode}`: whether the mode's keys are failing now (see core/notify/credential-alert.ts),
 * so "live credentials failing" is announced once per incident, not once per tick.
 */
export const credentialAlerts = collection(
  'credentialAlerts',
  z.object({ failing: z.boolean(), sinceMs: ms.nullable(), code: z.string().nullable(), updatedAtMs: ms }),
);
