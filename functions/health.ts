import type { Request, Response } from '@google-cloud/functions-framework';
import { handle, refuseMethod } from './http.js';
import { botVersion } from '../shared/version.js';
import { getRuntime, getStore, runtimeLogger, type Runtime } from './runtime.js';
import { bitbankExchangeFromConfig } from '../shared/adapters/bitbank/bitbank-exchange.js';
import type { HealthDeps } from '../shared/app/health/health-deps.js';
import { healthRoute, type HealthAnswer } from '../shared/app/health/routes.js';
import { usesModelAndMacro } from '../shared/core/strategy/names.js';

/** Dependencies built once per instance (Firestore and ccxt clients are the connection pool). */
let deps: HealthDeps | undefined;
function healthDeps({ config, clock, logger, startedAtMs }: Runtime): HealthDeps {
  deps ??= {
    settings: {
      mode: config.BOT_MODE,
      pair: config.BOT_PAIR,
      timeframe: config.BOT_TIMEFRAME,
      macroMode: usesModelAndMacro(config.BOT_STRATEGY) ? config.MACRO_MODE : 'off',
      macroMaxAgeDays: config.MACRO_MAX_AGE_DAYS,
      tickLatencyBudgetMs: config.TICK_LATENCY_BUDGET_MS,
    },
    store: getStore(),
    clock,
    startedAtMs,
    version: botVersion(),
    // Live only: paper mode has no exchange account, and health never touches the paper book's state.
    ...(config.BOT_MODE === 'live'
      ? {
          exchange: bitbankExchangeFromConfig(
            { ...config, EXCHANGE_CALL_TIMEOUT_MS: Math.min(config.EXCHANGE_CALL_TIMEOUT_MS, 2_500) },
            { clock, random: Math.random, logger },
          ),
        }
      : {}),
  };
  return deps;
}

/** For tests: forget the instance's dependencies so the next call rebuilds them. */
export function resetHealthDeps(): void {
  deps = undefined;
}

/**
 * GET `/` liveness, `/detailed` (503 naming each failing check by code), `/performance`, `/metrics`
 * (Prometheus text), `/dashboard` and `/dashboard/data.json`.
 */
export async function healthHandler(req: Request, res: Response): Promise<void> {
  if (refuseMethod('health', req, res, ['GET'])) return;
  const runtime = getRuntime();
  const route = req.path.replace(/\/+$/, '') || '/';
  const answer = await coalesced(route, () => healthRoute(healthDeps(runtime), route));
  // WARNING without `code`: the failing checks are the alerts' business, not logCheck's error counts.
  if (answer.failing && answer.failing.length > 0)
    runtime.logger.warn('health failing', { route, failing: answer.failing });
  res.status(answer.status).set('Content-Type', answer.contentType).set('Cache-Control', 'no-store').send(answer.body);
}

/**
 * Requests for the same route that arrive while its answer is being computed share that
 * computation (an answer is never older than the request that waits for it): a burst of 100
 * dashboards or probes costs one set of Firestore reads, not 100 (test/reliability/load.test.ts).
 */
const inflight = new Map<string, Promise<HealthAnswer>>();
function coalesced(route: string, compute: () => Promise<HealthAnswer>): Promise<HealthAnswer> {
  const pending = inflight.get(route);
  if (pending) return pending;
  const started = compute().finally(() => inflight.delete(route));
  inflight.set(route, started);
  return started;
}

export const health = handle('health', runtimeLogger, healthHandler);
