import { DAY_MS, utcDayStartMs } from '../candle.js';
import type { OutcomeCode } from '../codes.js';
import type { ClosedTrade } from '../plan.js';
import { addTrade, NO_TRADES, removeTrade, sumTotals, type TradeTotals } from '../performance/trade-totals.js';

/**
 * Health's history as summaries written while the day goes, so reading a month costs about 30
 * documents instead of every tick, equity point and trade (pure; the store holds the documents).
 */
export type Mode = 'paper' | 'live';

/** One finished tick as health needs it. */
export interface DayTick {
  readonly barOpenMs: number;
  readonly outcome: 'ok' | 'too-late' | 'failed';
  readonly code?: OutcomeCode;
  readonly latencyMs?: number;
  /** The plan's action (hold, enter, exit), for the dashboard's table. */
  readonly decision?: string;
}

export interface DayEquity {
  readonly atMs: number;
  readonly equityJpy: number;
}

/** `healthDays/{pair}_{mode}_{YYYY-MM-DD}`: the UTC day's finished ticks and equity points, in time order. */
export interface DaySummary {
  readonly pair: string;
  readonly mode: Mode;
  readonly day: string;
  readonly dayStartMs: number;
  readonly ticks: readonly DayTick[];
  readonly equity: readonly DayEquity[];
  readonly updatedAtMs: number;
}

export function isoDay(timeMs: number): string {
  return new Date(utcDayStartMs(timeMs)).toISOString().slice(0, 10);
}

export function daySummaryId(pair: string, mode: Mode, timeMs: number): string {
  return `${pair}_${mode}_${isoDay(timeMs)}`;
}

export function emptyDay(pair: string, mode: Mode, timeMs: number, nowMs: number): DaySummary {
  return {
    pair,
    mode,
    day: isoDay(timeMs),
    dayStartMs: utcDayStartMs(timeMs),
    ticks: [],
    equity: [],
    updatedAtMs: nowMs,
  };
}

/** A tick's entry replaces an earlier one of the same bar (a retry or takeover finishes the bar again). */
export function withTick(day: DaySummary, tick: DayTick, nowMs: number): DaySummary {
  const ticks = [...day.ticks.filter((t) => t.barOpenMs !== tick.barOpenMs), tick].sort(
    (a, b) => a.barOpenMs - b.barOpenMs,
  );
  return { ...day, ticks, updatedAtMs: nowMs };
}

/** An equity point replaces one at the same time. */
export function withEquity(day: DaySummary, point: DayEquity, nowMs: number): DaySummary {
  const equity = [...day.equity.filter((e) => e.atMs !== point.atMs), point].sort((a, b) => a.atMs - b.atMs);
  return { ...day, equity, updatedAtMs: nowMs };
}

/** Repair: entries from raw records added where the summary has none for that bar/time; the summary's own entries win. */
export function mergeMissing(
  day: DaySummary,
  raw: { ticks: readonly DayTick[]; equity: readonly DayEquity[] },
  nowMs: number,
): DaySummary {
  const haveTicks = new Set(day.ticks.map((t) => t.barOpenMs));
  const haveEquity = new Set(day.equity.map((e) => e.atMs));
  const ticks = [...day.ticks, ...raw.ticks.filter((t) => !haveTicks.has(t.barOpenMs))].sort(
    (a, b) => a.barOpenMs - b.barOpenMs,
  );
  const equity = [...day.equity, ...raw.equity.filter((e) => !haveEquity.has(e.atMs))].sort((a, b) => a.atMs - b.atMs);
  const changed = ticks.length !== day.ticks.length || equity.length !== day.equity.length;
  return changed ? { ...day, ticks, equity, updatedAtMs: nowMs } : day;
}

/**
 * `healthWindows/{pair}_{mode}`: the last WINDOW_DAYS UTC days of ticks and equity in one document,
 * written in the same transaction as the day summaries; health reads this one document for 30 days.
 */
export interface HealthWindow {
  readonly pair: string;
  readonly mode: Mode;
  readonly ticks: readonly DayTick[];
  readonly equity: readonly DayEquity[];
  readonly updatedAtMs: number;
}

/** 30 days of availability plus the partial day at the window's start. */
export const WINDOW_DAYS = 31;

export function emptyWindow(pair: string, mode: Mode, nowMs: number): HealthWindow {
  return { pair, mode, ticks: [], equity: [], updatedAtMs: nowMs };
}

/** The window with `day`'s entries replacing what it held for that day, pruned to WINDOW_DAYS before `nowMs`'s day. */
export function windowWithDay(window: HealthWindow, day: DaySummary, nowMs: number): HealthWindow {
  const fromMs = utcDayStartMs(nowMs) - (WINDOW_DAYS - 1) * DAY_MS;
  const endMs = day.dayStartMs + DAY_MS;
  const outside = (t: number) => t < day.dayStartMs || t >= endMs;
  const ticks = [...window.ticks.filter((t) => outside(t.barOpenMs)), ...day.ticks]
    .filter((t) => t.barOpenMs >= fromMs)
    .sort((a, b) => a.barOpenMs - b.barOpenMs);
  const equity = [...window.equity.filter((e) => outside(e.atMs)), ...day.equity]
    .filter((e) => e.atMs >= fromMs)
    .sort((a, b) => a.atMs - b.atMs);
  return { ...window, ticks, equity, updatedAtMs: nowMs };
}

/** Trade totals of one UTC day (by exit time). */
export interface TradeDay extends TradeTotals {
  readonly day: string;
  readonly dayStartMs: number;
}

/**
 * `tradeLedgers/{pair}_{mode}`: a running summary of closed trades, updated in the same transaction
 * as each booking: totals per exit day for a year and the most recent trades themselves.
 */
export interface TradeLedger {
  readonly pair: string;
  readonly mode: Mode;
  readonly days: readonly TradeDay[];
  /** The newest closed trades (by exit time), at most RECENT_TRADES. */
  readonly recent: readonly ClosedTrade[];
  readonly updatedAtMs: number;
  /** When the ledger was rebuilt from the `trades` collection (once, for history booked before the ledger). */
  readonly backfilledAtMs?: number;
}

export const LEDGER_DAYS = 366;
export const RECENT_TRADES = 100;

export function emptyLedger(pair: string, mode: Mode, nowMs: number): TradeLedger {
  return { pair, mode, days: [], recent: [], updatedAtMs: nowMs };
}

/** Adds one booked trade (the caller books each trade once); days older than a year are dropped. */
export function ledgerWithTrade(ledger: TradeLedger, trade: ClosedTrade, nowMs: number): TradeLedger {
  const dayStartMs = utcDayStartMs(trade.exitTimeMs);
  const current = ledger.days.find((d) => d.dayStartMs === dayStartMs);
  const updated: TradeDay = { day: isoDay(dayStartMs), dayStartMs, ...addTrade(current ?? NO_TRADES, trade.pnlJpy) };
  const oldest = utcDayStartMs(nowMs) - (LEDGER_DAYS - 1) * DAY_MS;
  const days = [...ledger.days.filter((d) => d.dayStartMs !== dayStartMs), updated]
    .filter((d) => d.dayStartMs >= oldest)
    .sort((a, b) => a.dayStartMs - b.dayStartMs);
  const recent = [...ledger.recent, trade].sort((a, b) => a.exitTimeMs - b.exitTimeMs).slice(-RECENT_TRADES);
  return { ...ledger, days, recent, updatedAtMs: nowMs };
}

/**
 * The ledger after a booking: a first booking adds the trade; a later booking of the same closing
 * order (more fills of a partly filled order) replaces the trade as it was booked before.
 */
export function ledgerWithBooking(
  ledger: TradeLedger,
  before: ClosedTrade | undefined,
  next: ClosedTrade,
  nowMs: number,
): TradeLedger {
  if (before === undefined) return ledgerWithTrade(ledger, next, nowMs);
  const beforeDay = utcDayStartMs(before.exitTimeMs);
  const days = ledger.days
    .map((d) => (d.dayStartMs === beforeDay && d.count > 0 ? { ...d, ...removeTrade(d, before.pnlJpy) } : d))
    .filter((d) => d.count > 0);
  const i = ledger.recent.findIndex(
    (t) =>
      t.entryTimeMs === before.entryTimeMs &&
      t.exitTimeMs === before.exitTimeMs &&
      t.side === before.side &&
      t.pnlJpy === before.pnlJpy,
  );
  const recent = i < 0 ? ledger.recent : [...ledger.recent.slice(0, i), ...ledger.recent.slice(i + 1)];
  return ledgerWithTrade({ ...ledger, days, recent }, next, nowMs);
}

/** A ledger rebuilt from every closed trade (the repair path). */
export function ledgerOf(pair: string, mode: Mode, trades: readonly ClosedTrade[], nowMs: number): TradeLedger {
  return [...trades]
    .sort((a, b) => a.exitTimeMs - b.exitTimeMs)
    .reduce((l, t) => ledgerWithTrade(l, t, nowMs), emptyLedger(pair, mode, nowMs));
}

/** Totals of trades that exited at or after `fromMs` (whole UTC days: the day containing `fromMs` counts whole). */
export function totalsSince(ledger: TradeLedger, fromMs: number): TradeTotals {
  const fromDay = utcDayStartMs(fromMs);
  return sumTotals(ledger.days.filter((d) => d.dayStartMs >= fromDay));
}
