import { AuthenticationError, toBotError } from '../shared/core/errors.js';
import { FEATURE_NAMES } from '../shared/core/features/index.js';
import { loadModel, type LoadedModel } from '../shared/core/model/load.js';
import { StrategyError } from '../shared/core/errors.js';
import { strategySettingsFromConfig } from '../shared/core/strategy/settings.js';
import { trendParamsFromConfig } from '../shared/core/strategy/registry.js';
import { assertCandlesOk } from '../shared/core/candles/quality-gate.js';
import type { Config } from '../shared/config.js';
import { bitbankExchangeFromConfig } from '../shared/adapters/bitbank/bitbank-exchange.js';
import { createPaperExchange } from '../shared/adapters/paper/paper-exchange.js';
import { createSpotExchange } from '../shared/adapters/spot/spot-exchange.js';
import { storeSpotLedgers } from '../shared/adapters/spot/spot-ledger-store.js';
import { macroSourceFromConfig } from '../shared/adapters/market-data/routed-macro-source.js';
import { ModelStore } from '../shared/adapters/model-store/model-store.js';
import { appendAudit } from '../shared/adapters/audit/audit-log.js';
import { createBrain } from '../shared/app/brain.js';
import type { CredentialGate, TickDeps } from '../shared/app/tick-deps.js';
import type { Clock } from '../shared/ports/clock.port.js';
import type { Exchange } from '../shared/ports/exchange.port.js';
import type { Logger } from '../shared/ports/logger.port.js';
import type { Store } from '../shared/ports/store.port.js';

/** Paper mode's starting cash, JPY (the backtester's default equity). */
export const PAPER_INITIAL_JPY = 100_000;

export interface TickParts {
  deps: Omit<TickDeps, 'owner'>;
}

/** Wires the tick for the configured mode: created once per instance (module scope via runtime.ts). */
export function buildTickParts(rt: {
  config: Config;
  clock: Clock;
  logger: Logger;
  store: Store;
  paperInitialJpy: number | undefined;
}): TickParts {
  const { config, clock, logger, store } = rt;
  const random = Math.random;
  const bitbank = bitbankExchangeFromConfig(config, { clock, random, logger });
  const traded: Exchange =
    config.BOT_MODE === 'paper'
      ? createPaperExchange({
          store,
          market: bitbank,
          clock,
          pair: config.BOT_PAIR,
          initialJpy: rt.paperInitialJpy ?? PAPER_INITIAL_JPY,
        })
      : bitbank;
  // BOT_MARKET=spot: the same port over the exchange's spot side; the bot's holding is its spot ledger.
  const exchange: Exchange =
    config.BOT_MARKET === 'spot'
      ? createSpotExchange({ inner: traded, pair: config.BOT_PAIR, ledgers: storeSpotLedgers(store), clock, logger })
      : traded;
  const macroSource = macroSourceFromConfig(config, { clock, random, logger });
  const brain = createBrain({
    pair: config.BOT_PAIR,
    timeframe: config.BOT_TIMEFRAME,
    store,
    clock,
    logger,
    candles: bitbank,
    macro: { mode: config.MACRO_MODE, source: macroSource, maxAgeDays: config.MACRO_MAX_AGE_DAYS },
    settings: strategySettingsFromConfig(config),
    strategy: config.BOT_STRATEGY,
    market: config.BOT_MARKET,
    trend: trendParamsFromConfig(config),
    model: currentModel(new ModelStore(store)),
    qualityGate: (candles, nowMs) => {
      assertCandlesOk(candles, { nowMs });
    },
  });
  return {
    deps: {
      settings: {
        pair: config.BOT_PAIR,
        timeframe: config.BOT_TIMEFRAME,
        mode: config.BOT_MODE,
        tickDeadlineMs: config.TICK_DEADLINE_MS,
        tooLateBars: config.TICK_TOO_LATE_BARS,
        entryWindowMs: config.ENTRY_WINDOW_MINUTES * 60_000,
        maxDrawdown: config.MAX_DRAWDOWN,
        execution: config.EXECUTION,
        makerWaitBars: config.MAKER_WAIT_BARS,
      },
      clock,
      logger,
      store,
      exchange,
      brain,
      audit: async (entry) => {
        await appendAudit(store, entry);
      },
      ...(config.BOT_MODE === 'live' ? { credentials: credentialGate(bitbank, logger) } : {}),
    },
  };
}

/** The current model from the model store, reloaded only when the current version changes. */
function currentModel(models: ModelStore): () => Promise<LoadedModel> {
  let loaded: LoadedModel | undefined;
  return async () => {
    const pointer = await models.getPointer();
    if (!pointer)
      throw new StrategyError('MODEL.MISSING', 'no current model: train one (npm run retrain) and promote it');
    if (loaded?.artifact.version === pointer.version) return loaded;
    const current = await models.getCurrent();
    if (!current) throw new StrategyError('MODEL.MISSING', `current model ${pointer.version} is not stored`);
    loaded = loadModel(current.artifact, FEATURE_NAMES);
    return loaded;
  };
}

/**
 * Live mode: credentials are verified at cold start and on every tick until they pass once. A
 * failure is EXCHANGE.AUTH (HTTP 503): no fallback to paper or to anything else.
 */
function credentialGate(exchange: Exchange, logger: Logger): CredentialGate {
  let verified = false;
  const verify = async (signal?: AbortSignal): Promise<void> => {
    const report = await exchange.verifyCredentials(signal);
    if (!report.ok) {
      const failed = report.checks.filter((c) => !c.ok).map((c) => `${c.name}${c.code ? ` (${c.code})` : ''}`);
      throw new AuthenticationError(`bitbank credentials lack: ${failed.join(', ')}`, { details: { failed } });
    }
    verified = true;
    logger.info('bitbank credentials verified', { code: 'TICK.OK', checks: report.checks.map((c) => c.name) });
  };
  let coldStart: Promise<void> | undefined = verify().catch((error: unknown) => {
    logger.error('bitbank credentials failed at cold start', { code: toBotError(error).code, error });
    throw error;
  });
  coldStart.catch(() => undefined);
  return {
    async ensure(signal) {
      if (verified) return;
      const pending = coldStart;
      coldStart = undefined;
      if (pending) await pending;
      else await verify(signal);
    },
  };
}
