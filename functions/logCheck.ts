import type { Request, Response } from '@google-cloud/functions-framework';
import { handle } from './http.js';
import { getRuntime, getStore, runtimeLogger, type Runtime } from './runtime.js';
import { bitbankExchangeFromConfig } from '../shared/adapters/bitbank/bitbank-exchange.js';
import { createSpotExchange } from '../shared/adapters/spot/spot-exchange.js';
import { storeSpotLedgers } from '../shared/adapters/spot/spot-ledger-store.js';
import { createCloudLogQuery, createLogging } from '../shared/adapters/cloud-logging/cloud-log-query.js';
import type { LogCheckDeps } from '../shared/app/log-check/log-check-deps.js';
import { runLogCheck } from '../shared/app/log-check/run-log-check.js';

/** Clients built once per instance and reused by warm invocations. */
let deps: LogCheckDeps | undefined;
function logCheckDeps({ config, clock, logger }: Runtime): LogCheckDeps {
  if (deps) return deps;
  const exchange = bitbankExchangeFromConfig(config, { clock, random: Math.random, logger });
  // On spot the account is seen as the tick sees it: the bot's holding and its own orders (the spot ledger).
  const account =
    config.BOT_MARKET === 'spot'
      ? createSpotExchange({
          inner: exchange,
          pair: config.BOT_PAIR,
          ledgers: storeSpotLedgers(getStore()),
          clock,
          logger,
        })
      : exchange;
  const logging = createLogging({
    projectId: config.GCP_PROJECT,
    ...(config.LOGGING_API_ENDPOINT ? { endpoint: config.LOGGING_API_ENDPOINT } : {}),
  });
  deps = {
    settings: {
      pair: config.BOT_PAIR,
      timeframe: config.BOT_TIMEFRAME,
      mode: config.BOT_MODE,
      tickLatencyBudgetMs: config.TICK_LATENCY_BUDGET_MS,
      windowMs: 15 * 60_000,
    },
    store: getStore(),
    clock,
    logger,
    logs: createCloudLogQuery(logging, { projectId: config.GCP_PROJECT, clock }),
    candles: exchange,
    // The account only in live mode: paper mode has no keys to verify and no exchange orders.
    ...(config.BOT_MODE === 'live' ? { exchange: account } : {}),
  };
  return deps;
}

/** For tests: forget the instance's clients so the next call rebuilds them from a new configuration. */
export function resetLogCheckDeps(): void {
  deps = undefined;
}

/**
 * POST or GET (Cloud Scheduler, every 15 minutes): the five log queries over the last 15 minutes,
 * incidents opened or resolved by code, bounded auto-recovery. 200 with the summary; 503 when a
 * log query failed (nothing was resolved on missing evidence).
 */
export async function logCheckHandler(_req: Request, res: Response): Promise<void> {
  const summary = await runLogCheck(logCheckDeps(getRuntime()));
  runtimeLogger().log(summary.complete ? 'INFO' : 'ERROR', 'logCheck done', {
    source: 'logCheck',
    opened: summary.opened,
    resolved: summary.resolved,
    open: summary.open,
    recoveries: summary.recoveries.length,
    ...(summary.complete ? {} : { code: 'LOGGING.UNAVAILABLE' as const }),
  });
  res.status(summary.complete ? 200 : 503).json({ status: summary.complete ? 'ok' : 'incomplete', ...summary });
}

export const logCheck = handle('logCheck', runtimeLogger, logCheckHandler);
