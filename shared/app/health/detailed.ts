import { TIMEFRAME_MS } from '../../core/candle.js';
import type { OutcomeCode } from '../../core/codes.js';
import { availability, meanTimeToRecoveryMs } from '../../core/incidents/availability.js';
import * as c from './checks.js';
import type { Check } from './checks.js';
import type { HealthDeps } from './health-deps.js';
import { loadHistory } from './history.js';

export interface DetailedHealth {
  readonly httpStatus: 200 | 503;
  readonly body: {
    status: 'ok' | 'failing';
    mode: 'paper' | 'live';
    version: string;
    uptimeSeconds: number;
    /** Codes of every failing check, deduplicated. */
    failing: OutcomeCode[];
    checks: Record<string, Check>;
    elapsedMs: number;
  };
}

/** Availability and MTTR over 30 days (informational: shown and exported, never failing by themselves). */
async function reliabilityCheck(deps: HealthDeps): Promise<Check> {
  const h = await loadHistory(deps);
  const nowMs = deps.clock.nowMs();
  const okBars = h.ticks.filter((t) => t.outcome === 'ok').map((t) => t.barOpenMs);
  const a = availability({
    okBarOpensMs: okBars,
    firstBarMs: h.ticks[0]?.barOpenMs ?? null,
    nowMs,
    barMs: TIMEFRAME_MS[deps.settings.timeframe],
  });
  const mttrMs = meanTimeToRecoveryMs(h.incidents, nowMs);
  return {
    status: 'ok',
    detail: a.ratio === null ? 'no bar elapsed yet' : `${(a.ratio * 100).toFixed(2)} % of ${a.barsElapsed} bars`,
    data: {
      availability: a.ratio,
      barsElapsed: a.barsElapsed,
      barsOk: a.barsOk,
      since: new Date(a.fromMs).toISOString(),
      mttrSeconds: mttrMs === null ? null : mttrMs / 1000,
    },
  };
}

/**
 * Every check at once, each under its own deadline (so the answer comes within one deadline even
 * when a dependency hangs). 503 when any check fails; `failing` names each failure by its code.
 */
export async function detailedHealth(deps: HealthDeps): Promise<DetailedHealth> {
  const startedMs = deps.clock.nowMs();
  const store = (f: (d: HealthDeps) => Promise<Check>) => c.runCheck(deps, 'store', () => f(deps));
  const exchange = (f: (d: HealthDeps, s: AbortSignal) => Promise<Check>) =>
    c.runCheck(deps, deps.exchange ? 'exchange' : 'store', (s) => f(deps, s));
  const entries = await Promise.all(
    Object.entries({
      lastTick: store(c.lastTickCheck),
      candles: store(c.candlesCheck),
      macro: store(c.macroCheck),
      model: store(c.modelCheck),
      killSwitch: store(c.killSwitchCheck),
      incidents: store(c.incidentsCheck),
      reliability: store(reliabilityCheck),
      position: exchange(c.positionCheck),
      margin: exchange(c.marginCheck),
      credentials: exchange(c.credentialsCheck),
    }).map(async ([name, p]) => [name, await p] as const),
  );
  const checks = Object.fromEntries(entries);
  const failing = [
    ...new Set(
      entries.flatMap(([, check]): OutcomeCode[] => (check.status === 'fail' ? (check.codes ?? ['INTERNAL']) : [])),
    ),
  ];
  return {
    httpStatus: failing.length > 0 ? 503 : 200,
    body: {
      status: failing.length > 0 ? 'failing' : 'ok',
      mode: deps.settings.mode,
      version: deps.version,
      uptimeSeconds: Math.floor((deps.clock.nowMs() - deps.startedAtMs) / 1000),
      failing,
      checks,
      elapsedMs: deps.clock.nowMs() - startedMs,
    },
  };
}
