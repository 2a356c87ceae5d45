import type { Request, Response } from '@google-cloud/functions-framework';
import { z } from 'zod';
import { HOUR_MS, barOpenMs } from '../shared/core/candle.js';
import { assertCandlesOk } from '../shared/core/candles/quality-gate.js';
import { bitbankExchangeFromConfig } from '../shared/adapters/bitbank/bitbank-exchange.js';
import { macroSourceFromConfig } from '../shared/adapters/market-data/routed-macro-source.js';
import { runRetrain, type RetrainServiceDeps } from '../shared/adapters/model-store/retrain-service.js';
import { handle, refuseMethod } from './http.js';
import type { OutcomeCode } from '../shared/core/codes.js';
import { getRuntime, getStore, runtimeLogger } from './runtime.js';

const bodySchema = z
  .object({
    /** Seed of the ensemble (default: the bar's hour number, so a rerun of the same bar is identical). */
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional(),
    evalBars: z.number().int().min(168).max(20_000).optional(),
    dryRun: z.boolean().optional(),
  })
  .strict();

let deps: RetrainServiceDeps | undefined;

/** The retrain's dependencies, built once per instance (the same adapters as the tick). */
function retrainDeps(): RetrainServiceDeps {
  if (deps) return deps;
  const { config, clock, logger } = getRuntime();
  const random = Math.random;
  deps = {
    pair: config.BOT_PAIR,
    timeframe: config.BOT_TIMEFRAME,
    store: getStore(),
    candles: bitbankExchangeFromConfig(config, { clock, random, logger }),
    macro: {
      mode: config.MACRO_MODE,
      source: macroSourceFromConfig(config, { clock, random, logger }),
      maxAgeDays: config.MACRO_MAX_AGE_DAYS,
    },
    clock,
    logger: logger.child({ function: 'retrain' }),
    qualityGate: (candles, nowMs) => void assertCandlesOk(candles, { nowMs }),
  };
  return deps;
}

/**
 * POST with a JSON object body (Cloud Scheduler, monthly, sends `{}`; or a person with `{"dryRun": true}`): trains on the latest
 * window, evaluates walk-forward, promotes only a model that beats the current one and the
 * no-skill baseline. Answers 200 with `status` promoted|kept and the reason either way.
 */
export async function retrainHandler(req: Request, res: Response): Promise<void> {
  if (refuseMethod('retrain', req, res, ['POST'])) return;
  // A retrain costs seconds of CPU: it runs only for a JSON object body (`{}` for the defaults), never for anything else.
  if (
    !req.is('application/json') ||
    typeof req.body !== 'object' ||
    req.body === null ||
    Array.isArray(req.body) ||
    Buffer.isBuffer(req.body)
  ) {
    res.status(400).json({
      code: 'RETRAIN.BAD_REQUEST' satisfies OutcomeCode,
      message: 'retrain needs a JSON object body with Content-Type: application/json, e.g. {} or {"dryRun": true}',
    });
    return;
  }
  const body = bodySchema.safeParse(req.body);
  if (!body.success) {
    res.status(400).json({
      code: 'RETRAIN.BAD_REQUEST' satisfies OutcomeCode,
      message: body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    });
    return;
  }
  const nowMs = barOpenMs(getRuntime().clock.nowMs());
  const outcome = await runRetrain(retrainDeps(), {
    nowMs,
    seed: body.data.seed ?? (nowMs / HOUR_MS) % 2 ** 31,
    ...body.data,
  });
  res.status(200).json(outcome);
}

/** For tests: forget the instance's dependencies. */
export function resetRetrainDeps(next?: RetrainServiceDeps): void {
  deps = next;
}

export const retrain = handle('retrain', runtimeLogger, retrainHandler);
