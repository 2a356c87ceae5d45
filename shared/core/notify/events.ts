import type { BookedTrade } from '../tick/booking.js';
import type { MirroredPosition } from '../tick/position.js';

/**
 * Notification events, pure: what happened, as data, with a deterministic id (the key that makes
 * "one message per event per channel" possible). The tick writes them to the outbox in the same
 * Firestore write as the booking that caused them; the `notify` function renders and sends them.
 */
export const CHANNEL_NAMES = ['discord', 'slack', 'telegram'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];
export const LOCALES = ['en', 'ja'] as const;
export type Locale = (typeof LOCALES)[number];

export interface PositionOpenedData {
  readonly pair: string;
  readonly side: 'long' | 'short';
  readonly amountBtc: string;
  readonly entryPriceJpy: number;
  /** Entry fee of the whole position, JPY (negative: a maker rebate). */
  readonly entryFeeJpy: number;
  readonly stopPriceJpy: string | null;
  readonly takeProfitPriceJpy: string | null;
  /** True when the bot found the position on the exchange without knowing how it got there. */
  readonly adopted: boolean;
}

export interface PositionClosedData {
  readonly pair: string;
  readonly side: 'long' | 'short';
  readonly amountBtc: string;
  readonly entryPriceJpy: number;
  readonly exitPriceJpy: number;
  readonly feesJpy: number;
  readonly interestJpy: number;
  /** Net of fees and interest. */
  readonly pnlJpy: number;
  readonly exitReason: string;
  readonly entryTimeMs: number;
}

export interface KillSwitchData {
  readonly active: boolean;
  readonly reason: string;
  readonly setBy: string;
}

export interface IncidentData {
  readonly code: string;
  readonly state: 'opened' | 'resolved';
  readonly message: string;
  readonly openedAtMs: number;
}

export interface ChannelFailingData {
  readonly channel: ChannelName;
  readonly failedRuns: number;
  readonly lastError: string;
}

export interface DailySummaryData {
  /** The UTC day summarised, YYYY-MM-DD. */
  readonly day: string;
  readonly mode: 'paper' | 'live';
  readonly equityJpy: number | null;
  readonly pnlDayJpy: number;
  readonly pnlWeekJpy: number;
  readonly pnlMonthJpy: number;
  readonly tradesDay: number;
  readonly position: {
    readonly side: 'long' | 'short';
    readonly amountBtc: string;
    readonly entryPriceJpy: number;
  } | null;
  /** Drawdown from the equity peak, a fraction (0.05 = 5 %); null when no equity is recorded. */
  readonly drawdown: number | null;
  /** Codes of the open incidents (empty: healthy). */
  readonly openIncidents: readonly string[];
  readonly killSwitch: boolean;
}

export interface ProtectiveFailedData {
  readonly side: 'long' | 'short';
  /**
   * What the exchange refused: the stop (the position is then closed at market), the take-profit (the
   * stop stays), or the market close of a position that cannot have its stop (a person must act).
   */
  readonly purpose: 'stop' | 'take-profit' | 'close';
  readonly code: string;
  readonly message: string;
}

export interface CredentialsFailedData {
  readonly code: string;
  readonly message: string;
}

export interface ModelData {
  readonly outcome: 'promoted' | 'kept';
  /** The model in use after the retrain ('none' when a first candidate lost). */
  readonly version: string;
  readonly reason: string;
}

interface EventOf<K extends string, D> {
  readonly eventId: string;
  readonly kind: K;
  /** When the thing happened (replayed time in a replay). */
  readonly atMs: number;
  readonly data: D;
}

export type NotifyEvent =
  | EventOf<'position-opened', PositionOpenedData>
  | EventOf<'position-closed', PositionClosedData>
  | EventOf<'protective-failed', ProtectiveFailedData>
  | EventOf<'incident', IncidentData>
  | EventOf<'kill-switch', KillSwitchData>
  | EventOf<'credentials-failed', CredentialsFailedData>
  | EventOf<'model', ModelData>
  | EventOf<'daily-summary', DailySummaryData>
  | EventOf<'channel-failing', ChannelFailingData>;

export type NotifyEventKind = NotifyEvent['kind'];
export const NOTIFY_EVENT_KINDS = [
  'position-opened',
  'position-closed',
  'protective-failed',
  'incident',
  'kill-switch',
  'credentials-failed',
  'model',
  'daily-summary',
  'channel-failing',
] as const satisfies readonly NotifyEventKind[];

/** What the tick books, and the events each causes (the one call the tick makes). */
export type Notable = { readonly trade: BookedTrade } | { readonly opened: MirroredPosition };

export function notificationEventsFor(subject: Notable): NotifyEvent[] {
  if ('trade' in subject) {
    const t = subject.trade;
    return [
      {
        eventId: `position-closed_${t.pair}_${t.closingOrderId}`,
        kind: 'position-closed',
        atMs: t.exitTimeMs,
        data: {
          pair: t.pair,
          side: t.side,
          amountBtc: t.amountBtc,
          entryPriceJpy: t.entryPriceJpy,
          exitPriceJpy: t.exitPriceJpy,
          feesJpy: t.feesJpy,
          interestJpy: t.interestJpy,
          pnlJpy: t.pnlJpy,
          exitReason: t.exitReason,
          entryTimeMs: t.entryTimeMs,
        },
      },
    ];
  }
  const p = subject.opened;
  return [
    {
      eventId: `position-opened_${p.pair}_${p.side}_${p.entryTimeMs}`,
      kind: 'position-opened',
      atMs: p.entryTimeMs,
      data: {
        pair: p.pair,
        side: p.side,
        amountBtc: p.amountBtc,
        entryPriceJpy: p.entryPriceJpy,
        entryFeeJpy: Number(p.amountBtc) * p.entryFeePerBtcJpy,
        stopPriceJpy: p.stopPriceJpy ?? null,
        takeProfitPriceJpy: p.takeProfitPriceJpy ?? null,
        adopted: p.adopted,
      },
    },
  ];
}

export function killSwitchEvent(record: KillSwitchData & { readonly setAtMs: number }): NotifyEvent {
  return {
    eventId: `kill-switch_${record.setAtMs}_${record.active ? 'on' : 'off'}`,
    kind: 'kill-switch',
    atMs: record.setAtMs,
    data: { active: record.active, reason: record.reason, setBy: record.setBy },
  };
}

export function incidentEvent(incidentDocId: string, data: IncidentData, atMs: number): NotifyEvent {
  return { eventId: `incident_${incidentDocId}_${data.state}`, kind: 'incident', atMs, data };
}

export function channelFailingEvent(data: ChannelFailingData, incidentDocId: string, atMs: number): NotifyEvent {
  return { eventId: `channel-failing_${data.channel}_${incidentDocId}`, kind: 'channel-failing', atMs, data };
}

export function dailySummaryEvent(data: DailySummaryData, atMs: number): NotifyEvent {
  return { eventId: `daily-summary_${data.day}`, kind: 'daily-summary', atMs, data };
}

/** A refused protective order (or refused close of an unprotected position): one event per refused intent. */
export function protectiveFailedEvent(intentId: string, data: ProtectiveFailedData, atMs: number): NotifyEvent {
  return { eventId: `protective-failed_${intentId}`, kind: 'protective-failed', atMs, data };
}

/** A retrain's verdict: `version` is the model in use after it (the new one, or the one kept). */
export function modelEvent(data: ModelData, candidateVersion: string, atMs: number): NotifyEvent {
  return { eventId: `model_${candidateVersion}`, kind: 'model', atMs, data };
}
