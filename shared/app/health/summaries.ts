import { DAY_MS, utcDayStartMs } from '../../core/candle.js';
import {
  daySummaryId,
  emptyDay,
  emptyWindow,
  ledgerOf,
  ledgerWithBooking,
  ledgerWithTrade,
  mergeMissing,
  windowWithDay,
  withEquity,
  withTick,
  emptyLedger,
  type DayEquity,
  type DaySummary,
  type DayTick,
  type Mode,
} from '../../core/health/day-summary.js';
import { AVAILABILITY_WINDOW_MS } from '../../core/incidents/availability.js';
import type { BookedTrade } from '../../core/tick/booking.js';
import type { Store, StoreTransaction } from '../../ports/store.port.js';
import {
  healthDays,
  healthWindowId,
  healthWindows,
  tradeLedgerId,
  tradeLedgers,
} from '../../store/health-collections.js';
import { equity, ticks, trades, type TickRecord } from '../../store/tick-collections.js';

/**
 * Writers of health's summaries. The tick adds itself to its day's summary inside the transaction
 * that finishes its record (so the two never disagree); a booking updates the trade ledger in the
 * transaction that creates the trade. History written before the summaries existed is repaired once
 * from the raw records (`ensureHealthSummaries`, called by logCheck).
 */

function dayTickOf(record: TickRecord): DayTick | undefined {
  if (record.outcome === undefined) return undefined;
  return {
    barOpenMs: record.barOpenMs,
    outcome: record.outcome,
    ...(record.code ? { code: record.code } : {}),
    ...(record.latencyMs !== undefined ? { latencyMs: record.latencyMs } : {}),
    ...(record.decision ? { decision: record.decision } : {}),
  };
}

/** In a transaction: reads the day's summary and the window, calls `change`, writes both (reads first, then writes). */
async function updateDay(
  tx: StoreTransaction,
  pair: string,
  mode: Mode,
  dayMs: number,
  nowMs: number,
  change: (day: DaySummary) => DaySummary,
): Promise<{ before: DaySummary; after: DaySummary }> {
  const id = daySummaryId(pair, mode, dayMs);
  const windowId = healthWindowId(pair, mode);
  const [stored, window] = await Promise.all([tx.get(healthDays, id), tx.get(healthWindows, windowId)]);
  const before = stored ?? emptyDay(pair, mode, dayMs, nowMs);
  const after = change(before);
  if (after !== before) {
    tx.set(healthDays, id, after);
    tx.set(healthWindows, windowId, windowWithDay(window ?? emptyWindow(pair, mode, nowMs), after, nowMs));
  }
  return { before, after };
}

/**
 * Inside the transaction that writes a finished tick record: reads the day's summary and writes it
 * with this tick (and its equity). Call it before the transaction's own writes (reads come first).
 */
export async function addTickToDaySummary(tx: StoreTransaction, record: TickRecord, nowMs: number): Promise<void> {
  const tick = dayTickOf(record);
  if (tick === undefined) return;
  const equityJpy = record.equityJpy;
  await updateDay(tx, record.pair, record.mode, record.barOpenMs, nowMs, (day) => {
    const withIt = withTick(day, tick, nowMs);
    return equityJpy === undefined ? withIt : withEquity(withIt, { atMs: record.barOpenMs, equityJpy }, nowMs);
  });
}

/**
 * In a booking's transaction (reads first, as Firestore requires): reads the mode's trade ledger and
 * returns the write that puts `next` in it (replacing `before`, the same closing order booked with
 * fewer fills). Call the returned function after every read of the transaction.
 */
export async function ledgerBooking(
  tx: StoreTransaction,
  mode: Mode,
  before: BookedTrade | undefined,
  next: BookedTrade,
  nowMs: number,
): Promise<() => void> {
  const ledgerId = tradeLedgerId(next.pair, mode);
  const ledger = (await tx.get(tradeLedgers, ledgerId)) ?? emptyLedger(next.pair, mode, nowMs);
  return () =>
    tx.set(
      tradeLedgers,
      ledgerId,
      ledgerWithBooking(ledger, before && closedTradeOf(before), closedTradeOf(next), nowMs),
    );
}

function closedTradeOf(trade: BookedTrade) {
  const { pair: _pair, closingOrderId: _order, tradeIds: _ids, exchangeProfitLossJpy: _pl, ...closed } = trade;
  return closed;
}

/**
 * Books a closed trade exactly once (`trades/{pair}_{closingOrderId}` created only if absent) and,
 * in the same transaction, adds it to the mode's trade ledger. Returns false when it was booked before.
 */
export async function bookTrade(store: Store, trade: BookedTrade, mode: Mode, nowMs: number): Promise<boolean> {
  const tradeId = `${trade.pair}_${trade.closingOrderId}`;
  const ledgerId = tradeLedgerId(trade.pair, mode);
  return store.runTransaction(async (tx) => {
    if (await tx.get(trades, tradeId)) return false;
    const ledger = (await tx.get(tradeLedgers, ledgerId)) ?? emptyLedger(trade.pair, mode, nowMs);
    const { pair: _pair, closingOrderId: _order, tradeIds: _ids, exchangeProfitLossJpy: _pl, ...closed } = trade;
    tx.create(trades, tradeId, trade);
    tx.set(tradeLedgers, ledgerId, ledgerWithTrade(ledger, closed, nowMs));
    return true;
  });
}

export interface RepairReport {
  readonly daysWritten: number;
  readonly ticksAdded: number;
  readonly equityAdded: number;
  readonly ledgerRebuilt: boolean;
  readonly reads: { ticks: number; equity: number; trades: number };
}

/**
 * Repair/backfill: adds the raw tick and equity records of the last `days` days that a summary lacks
 * (the summary's own entries win), and rebuilds the trade ledger from a year of `trades` unless it
 * was rebuilt before. Idempotent; reads every raw record of the window, so it runs once (see below).
 */
export async function repairHealthSummaries(
  store: Store,
  scope: { pair: string; mode: Mode; nowMs: number; windowMs?: number },
): Promise<RepairReport> {
  const { pair, mode, nowMs } = scope;
  const fromMs = utcDayStartMs(nowMs - (scope.windowMs ?? AVAILABILITY_WINDOW_MS));
  const [rawTicks, rawEquity] = await Promise.all([
    store.list(ticks, { where: [['barOpenMs', '>=', fromMs]], orderBy: { field: 'barOpenMs' } }),
    store.list(equity, { where: [['atMs', '>=', fromMs]], orderBy: { field: 'atMs' } }),
  ]);
  const byDay = new Map<number, { ticks: DayTick[]; equity: DayEquity[] }>();
  const bucket = (timeMs: number) => {
    const key = utcDayStartMs(timeMs);
    const b = byDay.get(key) ?? { ticks: [], equity: [] };
    byDay.set(key, b);
    return b;
  };
  for (const { data } of rawTicks) {
    const tick = data.pair === pair && data.mode === mode ? dayTickOf(data) : undefined;
    if (tick) bucket(tick.barOpenMs).ticks.push(tick);
  }
  for (const { data } of rawEquity)
    if (data.mode === mode) bucket(data.atMs).equity.push({ atMs: data.atMs, equityJpy: data.equityJpy });
  let daysWritten = 0;
  let ticksAdded = 0;
  let equityAdded = 0;
  for (const [dayStartMs, raw] of byDay) {
    const added = await store.runTransaction(async (tx) => {
      const { before, after } = await updateDay(tx, pair, mode, dayStartMs, nowMs, (day) =>
        mergeMissing(day, raw, nowMs),
      );
      return after === before
        ? undefined
        : { ticks: after.ticks.length - before.ticks.length, equity: after.equity.length - before.equity.length };
    });
    if (added) {
      daysWritten += 1;
      ticksAdded += added.ticks;
      equityAdded += added.equity;
    }
  }
  const ledgerId = tradeLedgerId(pair, mode);
  let tradeReads = 0;
  let ledgerRebuilt = false;
  if (!(await store.get(tradeLedgers, ledgerId))?.backfilledAtMs) {
    const year = (
      await store.list(trades, {
        where: [['exitTimeMs', '>=', nowMs - 365 * DAY_MS]],
        orderBy: { field: 'exitTimeMs' },
      })
    )
      .map((d) => d.data)
      .filter((t) => t.pair === pair);
    tradeReads = year.length;
    // The `trades` collection is the truth; a ledger started by bookings before this repair is replaced.
    const rebuilt = ledgerOf(
      pair,
      mode,
      year.map(({ pair: _p, closingOrderId: _o, tradeIds: _i, exchangeProfitLossJpy: _x, ...closed }) => closed),
      nowMs,
    );
    await store.set(tradeLedgers, ledgerId, { ...rebuilt, backfilledAtMs: nowMs });
    ledgerRebuilt = true;
  }
  return {
    daysWritten,
    ticksAdded,
    equityAdded,
    ledgerRebuilt,
    reads: { ticks: rawTicks.length, equity: rawEquity.length, trades: tradeReads },
  };
}

/** Instances that already know the summaries were repaired (a warm instance pays no read). */
const repaired = new Set<string>();

/**
 * Runs the repair once: when the mode's trade ledger says it was backfilled, nothing (one read, once
 * per instance); otherwise the full repair. Returns the repair's report when it ran.
 */
export async function ensureHealthSummaries(
  store: Store,
  scope: { pair: string; mode: Mode; nowMs: number },
): Promise<RepairReport | undefined> {
  const key = tradeLedgerId(scope.pair, scope.mode);
  if (repaired.has(key)) return undefined;
  const ledger = await store.get(tradeLedgers, key);
  const report = ledger?.backfilledAtMs ? undefined : await repairHealthSummaries(store, scope);
  repaired.add(key);
  return report;
}

/** For tests: forget which pairs this instance repaired. */
export function forgetRepairs(): void {
  repaired.clear();
}
