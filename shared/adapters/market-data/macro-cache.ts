import { DAY_MS } from '../../core/candle.js';
import type { OutcomeCode } from '../../core/codes.js';
import { toBotError } from '../../core/errors.js';
import { MACRO_SERIES_NAMES, type MacroData, type MacroSeriesName } from '../../core/macro.js';
import {
  DEFAULT_MACRO_MAX_AGE_DAYS,
  macroStaleness,
  type MacroSeriesStatus as SeriesAge,
} from '../../core/features/macro-staleness.js';
import type { Clock } from '../../ports/clock.port.js';
import type { Logger } from '../../ports/logger.port.js';
import type { MacroSource } from '../../ports/macro-source.port.js';
import type { Store } from '../../ports/store.port.js';
import { macroCache, type MacroCacheRecord } from '../../store/market-data-collections.js';
import { finalPoints, isoDateOf, nextRefreshMs } from './macro-refresh.js';

/** The features engine's staleness (lastDate, ageDays, missing, stale) plus what the cache did. */
export interface MacroSeriesStatus extends SeriesAge {
  /** When the held points were fetched (0: never). */
  fetchedAtMs: number;
  /** True when this call asked the provider. */
  fetched: boolean;
  /** The last attempt's failure (this call's, or an earlier one not yet retried). */
  error?: { code: OutcomeCode; message: string };
}

export interface MacroLoad {
  /** Every series held, stale ones included (their status says so); never padded, never shifted. */
  data: MacroData;
  series: Record<MacroSeriesName, MacroSeriesStatus>;
  /** True when every series is fresh (within maxAgeDays). */
  usable: boolean;
  /** The worst problem: EXTERNAL.FETCH_FAILED when a stale series failed to refresh, DATA.MACRO_STALE when stale otherwise; also set (with usable=true) when a refresh failed but the held data is still fresh. */
  code: 'DATA.MACRO_STALE' | 'EXTERNAL.FETCH_FAILED' | undefined;
}

export interface LoadMacroArgs {
  nowMs: number;
  store: Store;
  source: MacroSource;
  clock: Clock;
  maxAgeDays?: number;
  /** Calendar days of history kept (warm-up of the macro features). */
  historyDays?: number;
  /** After a failed refresh, the next attempt waits at least this long (the next tick). */
  retryAfterFailureMs?: number;
  series?: readonly MacroSeriesName[];
  signal?: AbortSignal;
  /** One line per series fetched, failed or stale (with `code`); the tick's child logger carries `tick`. */
  logger?: Logger;
  /** The instance's copy of the records (see MacroMemo): read from Firestore only when one may have changed. */
  memo?: MacroMemo;
}

/**
 * Per instance: the last record of each series seen, used instead of a Firestore read while no
 * instance can have rewritten it, i.e. while it holds no error and its next refresh is not due
 * (every instance applies the same `isDue`); staleness is still judged every tick from its points.
 */
export type MacroMemo = Map<MacroSeriesName, MacroCacheRecord>;

/**
 * Daily macro series through a Firestore cache: each series is fetched at most once a day (after
 * its market's close), so ticks read Firestore, not the providers. Staleness and failures are
 * reported per series and as one outcome code; nothing is carried past maxAgeDays silently.
 */
export async function loadMacro(args: LoadMacroArgs): Promise<MacroLoad> {
  const maxAgeDays = args.maxAgeDays ?? DEFAULT_MACRO_MAX_AGE_DAYS;
  const names = args.series ?? MACRO_SERIES_NAMES;
  const loaded = await Promise.all(names.map((name) => loadOne(name, args)));
  const data: MacroData = {};
  for (const { record } of loaded) {
    if (record && record.dates.length > 0)
      data[record.name as MacroSeriesName] = {
        name: record.name as MacroSeriesName,
        points: record.dates.map((date, j) => ({ date, value: record.values[j] as number })),
      };
  }
  const ages = macroStaleness(data, args.nowMs, maxAgeDays);
  const series = {} as Record<MacroSeriesName, MacroSeriesStatus>;
  let code: MacroLoad['code'];
  for (const [i, name] of names.entries()) {
    const { record, fetched } = loaded[i] as { record: MacroCacheRecord | undefined; fetched: boolean };
    const error = record?.lastError ?? undefined;
    const stale = ages[name].stale;
    series[name] = { ...ages[name], fetchedAtMs: record?.fetchedAtMs ?? 0, fetched, ...(error ? { error } : {}) };
    logSeries(args.logger, name, series[name]);
    if (stale) code = error || code === 'EXTERNAL.FETCH_FAILED' ? 'EXTERNAL.FETCH_FAILED' : 'DATA.MACRO_STALE';
    else if (error && code === undefined) code = 'EXTERNAL.FETCH_FAILED';
  }
  const usable = names.every((name) => !series[name].stale);
  return { data, series, usable, code };
}

function logSeries(logger: Logger | undefined, name: MacroSeriesName, status: MacroSeriesStatus): void {
  const fields = { series: name, lastDate: status.lastDate, ageDays: status.ageDays, fetched: status.fetched };
  if (status.stale)
    logger?.warn(`macro series ${name} is stale`, {
      ...fields,
      code: status.error ? 'EXTERNAL.FETCH_FAILED' : 'DATA.MACRO_STALE',
      error: status.error?.message,
    });
  else if (status.error)
    logger?.warn(`macro series ${name} could not be refreshed; held data still fresh`, {
      ...fields,
      code: 'EXTERNAL.FETCH_FAILED',
      error: status.error.message,
    });
  else if (status.fetched) logger?.info(`macro series ${name} refreshed`, fields);
}

async function loadOne(
  name: MacroSeriesName,
  args: LoadMacroArgs,
): Promise<{ record: MacroCacheRecord | undefined; fetched: boolean }> {
  const retryMs = args.retryAfterFailureMs ?? 30 * 60_000;
  const memo = args.memo?.get(name);
  if (memo && memo.lastError === null && !isDue(name, memo, args.nowMs, retryMs))
    return { record: memo, fetched: false };
  const held = await args.store.get(macroCache, name);
  if (held) args.memo?.set(name, held);
  if (!isDue(name, held, args.nowMs, retryMs)) return { record: held, fetched: false };
  const fromDate = isoDateOf(args.nowMs - (args.historyDays ?? 400) * DAY_MS);
  let record: MacroCacheRecord;
  try {
    const fetched = await args.source.fetchDaily(name, fromDate, args.signal);
    const points = finalPoints(name, fetched.points, args.nowMs);
    record = {
      name,
      dates: points.map((p) => p.date),
      values: points.map((p) => p.value),
      fetchedAtMs: args.nowMs,
      lastAttemptMs: args.nowMs,
      lastError: null,
    };
  } catch (thrown) {
    const error = toBotError(thrown);
    const code = error.code === 'DATA.MACRO_STALE' ? error.code : 'EXTERNAL.FETCH_FAILED';
    record = {
      name,
      dates: held?.dates ?? [],
      values: held?.values ?? [],
      fetchedAtMs: held?.fetchedAtMs ?? 0,
      lastAttemptMs: args.nowMs,
      lastError: { code, message: error.message.slice(0, 500) },
    };
  }
  await args.store.set(macroCache, name, record);
  args.memo?.set(name, record);
  return { record, fetched: true };
}

/** Due when never fetched, when the next close after the last fetch has passed, or to retry a failure. */
function isDue(
  name: MacroSeriesName,
  held: MacroCacheRecord | undefined,
  nowMs: number,
  retryAfterFailureMs: number,
): boolean {
  if (held === undefined) return true;
  if (held.lastError !== null) return nowMs - held.lastAttemptMs >= retryAfterFailureMs;
  return nowMs >= nextRefreshMs(name, held.fetchedAtMs);
}
