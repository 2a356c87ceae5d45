import { TIMEFRAME_MS } from '../../core/candle.js';
import type { OutcomeCode } from '../../core/codes.js';
import { toBotError } from '../../core/errors.js';
import { ageInDays } from '../../core/features/macro-staleness.js';
import { withDeadline } from '../../core/retry.js';
import { paperOrders } from '../../adapters/paper/paper-state.js';
import { incidents } from '../../store/incident-collections.js';
import { affectsTrading } from '../../core/incidents/incidents.js';
import { candleDays, macroCache } from '../../store/market-data-collections.js';
import { CURRENT_POINTER_ID, modelPointers } from '../../store/model-collections.js';
import { positions, ticks } from '../../store/tick-collections.js';
import { readKillSwitch } from '../kill-switch.js';
import { DEFAULT_CHECK_TIMEOUT_MS, type HealthDeps } from './health-deps.js';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skipped';

export interface Check {
  readonly status: CheckStatus;
  /** The failing (or warning) code; every failing check names one. */
  readonly codes?: OutcomeCode[];
  readonly detail: string;
  readonly data?: Record<string, unknown>;
}

const ok = (detail: string, data?: Record<string, unknown>): Check => ({
  status: 'ok',
  detail,
  ...(data ? { data } : {}),
});
const fail = (code: OutcomeCode, detail: string, data?: Record<string, unknown>): Check => ({
  status: 'fail',
  codes: [code],
  detail,
  ...(data ? { data } : {}),
});

/** Runs one check under its deadline; a thrown error or a missed deadline is a failure named by its code. */
export async function runCheck(
  deps: HealthDeps,
  kind: 'store' | 'exchange',
  work: (signal: AbortSignal) => Promise<Check>,
): Promise<Check> {
  try {
    return await withDeadline(work, {
      clock: deps.clock,
      timeoutMs: deps.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
      code: kind === 'store' ? 'STORE.UNAVAILABLE' : 'EXCHANGE.TIMEOUT',
      what: `${kind} check`,
    });
  } catch (thrown) {
    const error = toBotError(thrown);
    return fail(error.code, error.code === 'INTERNAL' ? 'internal error' : error.message.slice(0, 300));
  }
}

/** Last tick (bar, outcome, age); failing when no tick succeeded for 2 bars: alive but not trading. */
export async function lastTickCheck(deps: HealthDeps): Promise<Check> {
  const barMs = TIMEFRAME_MS[deps.settings.timeframe];
  const nowMs = deps.clock.nowMs();
  const recent = (await deps.store.list(ticks, { orderBy: { field: 'barOpenMs', direction: 'desc' }, limit: 6 }))
    .map((d) => d.data)
    .filter((t) => t.pair === deps.settings.pair);
  const last = recent[0];
  const lastOk = recent.find((t) => t.outcome === 'ok');
  const data = {
    last: last
      ? {
          bar: new Date(last.barOpenMs).toISOString(),
          status: last.status,
          outcome: last.outcome ?? null,
          code: last.code ?? null,
          ageMs: nowMs - last.barOpenMs,
          latencyMs: last.latencyMs ?? null,
        }
      : null,
    lastOkBar: lastOk ? new Date(lastOk.barOpenMs).toISOString() : null,
    barsSinceOk: lastOk ? (nowMs - lastOk.barOpenMs) / barMs : null,
  };
  if (!lastOk || nowMs - lastOk.barOpenMs > 2 * barMs)
    return fail(
      'TICK.MISSED',
      lastOk ? `no successful tick since ${data.lastOkBar}` : 'no successful tick recorded',
      data,
    );
  return ok(`last successful tick ${data.lastOkBar}`, data);
}

/** The newest stored candle should be the bar before the current one (the tick stores it each bar). */
export async function candlesCheck(deps: HealthDeps): Promise<Check> {
  const barMs = TIMEFRAME_MS[deps.settings.timeframe];
  const nowMs = deps.clock.nowMs();
  const newest = (await deps.store.list(candleDays, { orderBy: { field: 'seriesDay', direction: 'desc' }, limit: 3 }))
    .map((d) => d.data)
    .find((d) => d.pair === deps.settings.pair && d.openTimesMs.length > 0);
  const lastOpenMs = newest ? (newest.openTimesMs[newest.openTimesMs.length - 1] as number) : null;
  const data = {
    lastBar: lastOpenMs === null ? null : new Date(lastOpenMs).toISOString(),
    ageBars: lastOpenMs === null ? null : (nowMs - lastOpenMs - barMs) / barMs,
  };
  if (lastOpenMs === null) return fail('DATA.MISSING_CANDLES', 'no candles stored', data);
  if (nowMs - lastOpenMs > 3 * barMs) return fail('DATA.STALE_CANDLES', `newest stored candle ${data.lastBar}`, data);
  return ok(`newest stored candle ${data.lastBar}`, data);
}

/** Each macro series' newest date and age; stale series fail when macro data is required. */
export async function macroCheck(deps: HealthDeps): Promise<Check> {
  const nowMs = deps.clock.nowMs();
  const docs = (await deps.store.list(macroCache)).map((d) => d.data);
  const series = Object.fromEntries(
    docs.map((d) => {
      const lastDate = d.dates[d.dates.length - 1] ?? null;
      const ageDays = lastDate === null ? null : ageInDays(lastDate, nowMs);
      return [
        d.name,
        {
          lastDate,
          ageDays,
          stale: ageDays === null || ageDays > deps.settings.macroMaxAgeDays,
          lastError: d.lastError?.code ?? null,
        },
      ];
    }),
  );
  const stale = Object.entries(series)
    .filter(([, s]) => s.stale)
    .map(([name]) => name);
  if (deps.settings.macroMode === 'off') return { status: 'skipped', detail: 'MACRO_MODE=off', data: { series } };
  if (docs.length === 0) return fail('DATA.MACRO_STALE', 'no macro series cached', { series });
  if (stale.length > 0) return fail('DATA.MACRO_STALE', `stale: ${stale.join(', ')}`, { series });
  return ok(`${docs.length} series fresh`, { series });
}

/** The current model version and how long ago it was promoted. */
export async function modelCheck(deps: HealthDeps): Promise<Check> {
  const pointer = await deps.store.get(modelPointers, CURRENT_POINTER_ID);
  if (!pointer) return fail('MODEL.MISSING', 'no current model');
  const ageDays = (deps.clock.nowMs() - pointer.updatedAtMs) / 86_400_000;
  return ok(`model ${pointer.version}`, {
    version: pointer.version,
    promotedAt: new Date(pointer.updatedAtMs).toISOString(),
    ageDays: Math.round(ageDays * 10) / 10,
  });
}

/**
 * The kill switch is a deliberate stop of entries, shown as a warning (not a failure); a document
 * that fails its schema counts as on for the tick and fails here, so a person rewrites it.
 */
export async function killSwitchCheck(deps: HealthDeps): Promise<Check> {
  const state = await readKillSwitch(deps.store);
  if (state.unreadable)
    return {
      status: 'fail',
      codes: ['RISK.KILL_SWITCH_UNREADABLE'],
      detail: `unreadable (counted as on): ${state.message.slice(0, 200)}`,
      data: { active: true, unreadable: true },
    };
  const kill = state.record;
  if (kill?.active)
    return {
      status: 'warn',
      codes: ['RISK.KILL_SWITCH'],
      detail: `active: ${kill.reason}`,
      data: { active: true, reason: kill.reason, setBy: kill.setBy, setAt: new Date(kill.setAtMs).toISOString() },
    };
  return ok('inactive', { active: false });
}

/** Open positions (the bot's mirror) and open orders (the exchange in live mode, the paper book in paper mode). */
export async function positionCheck(deps: HealthDeps, signal: AbortSignal): Promise<Check> {
  const { pair } = deps.settings;
  const [held, openOrders] = await Promise.all([
    deps.store.list(positions, { where: [['pair', '==', pair]] }),
    deps.exchange
      ? deps.exchange.fetchOpenOrders(pair, signal).then((os) =>
          os.map((o) => ({
            orderId: o.orderId,
            side: o.side,
            type: o.type,
            amountBtc: o.amountBtc,
            priceJpy: o.priceJpy ?? o.triggerPriceJpy ?? null,
          })),
        )
      : deps.store.list(paperOrders, { where: [['open', '==', true]] }).then((ds) =>
          ds
            .map((d) => d.data)
            .filter((o) => o.pair === pair)
            .map((o) => ({
              orderId: o.orderId,
              side: o.side,
              type: o.type,
              amountBtc: o.amountBtc,
              priceJpy: o.priceJpy ?? o.triggerPriceJpy ?? null,
            })),
        ),
  ]);
  const list = held.map((d) => ({
    side: d.data.side,
    amountBtc: d.data.amountBtc,
    entryPriceJpy: d.data.entryPriceJpy,
    stopPriceJpy: d.data.stopPriceJpy ?? null,
  }));
  return ok(`${list.length} position(s), ${openOrders.length} open order(s)`, { positions: list, openOrders });
}

/** Open incidents: each is a failure named by its code until it resolves (a degraded-only code a warning). */
export async function incidentsCheck(deps: HealthDeps): Promise<Check> {
  const open = (await deps.store.list(incidents, { where: [['status', '==', 'open']] })).map((d) => d.data);
  const data = {
    open: open.map((i) => ({
      code: i.code,
      openedAt: new Date(i.openedAtMs).toISOString(),
      lastCount: i.lastCount,
      recovery: i.recovery,
    })),
  };
  if (open.length === 0) return ok('none open', data);
  // A degraded-only incident (a notification channel) is a warning; any other fails the check.
  const failing = open.filter((i) => affectsTrading(i.code));
  const named = failing.length > 0 ? failing : open;
  return {
    status: failing.length > 0 ? 'fail' : 'warn',
    codes: [...new Set(named.map((i) => i.code))],
    detail: `${open.length} open`,
    data,
  };
}

/** Live only: margin status from the exchange (anything but NORMAL fails). */
export async function marginCheck(deps: HealthDeps, signal: AbortSignal): Promise<Check> {
  if (!deps.exchange) return { status: 'skipped', detail: 'paper mode: no exchange account' };
  const status = await deps.exchange.fetchMarginStatus(signal);
  const data = {
    status: status.status,
    marginBalancePercentage: status.marginBalancePercentage,
    marginCallPercentage: status.marginCallPercentage,
    totalMarginBalanceJpy: status.totalMarginBalanceJpy,
  };
  return status.status === 'NORMAL'
    ? ok('NORMAL', data)
    : fail('EXCHANGE.MARGIN_CALL', `margin status ${status.status}`, data);
}

/** Live only: the keys work and carry the permissions the bot needs. */
export async function credentialsCheck(deps: HealthDeps, signal: AbortSignal): Promise<Check> {
  if (!deps.exchange) return { status: 'skipped', detail: 'paper mode: no keys used' };
  const report = await deps.exchange.verifyCredentials(signal);
  return report.ok
    ? ok('verified', { checks: report.checks })
    : fail(
        'EXCHANGE.AUTH',
        `failed: ${report.checks
          .filter((c) => !c.ok)
          .map((c) => c.name)
          .join(', ')}`,
        { checks: report.checks },
      );
}
