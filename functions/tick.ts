import { randomUUID } from 'node:crypto';
import type { Request, Response } from '@google-cloud/functions-framework';
import { runTick } from '../shared/app/run-tick.js';
import { resolveTickBar } from '../shared/core/tick/bar.js';
import { ticks } from '../shared/store/tick-collections.js';
import { handle } from './http.js';
import { auditDecisionSettingsOnce, getRuntime, getTickDeps, runtimeLogger } from './runtime.js';

/** The oldest bar a delivery may name: the tick records' retention (an older claim would be gone already). */
const MAX_BAR_AGE_MS = (ticks.ttl as { days: number }).days * 86_400_000;

/**
 * POST, called by Cloud Scheduler at every bar close (`X-CloudScheduler-ScheduleTime`) or by a
 * person with `{"bar": "<RFC 3339 time with a zone>"}`. Answers the tick's JSON summary: 200 for ok /
 * duplicate / too-late, 503 or 500 (with the code) when the bot could not do what it is configured
 * to do. A request that does not name a started bar within the tick records' retention is 400
 * `TICK.BAD_REQUEST` before anything is built or written.
 */
export async function tickHandler(req: Request, res: Response): Promise<void> {
  if (req.method !== 'POST') {
    res.status(405).json({ code: 'METHOD_NOT_ALLOWED', message: 'tick answers POST only' });
    return;
  }
  const { instanceId, config, clock } = getRuntime();
  const scheduleTime = req.get('X-CloudScheduler-ScheduleTime');
  resolveTickBar({ scheduleTime, body: req.body as unknown }, config.BOT_TIMEFRAME, clock.nowMs(), MAX_BAR_AGE_MS);
  await auditDecisionSettingsOnce('tick');
  const deps = getTickDeps();
  const answer = await runTick(
    { ...deps, owner: `${instanceId}:${randomUUID().slice(0, 8)}` },
    { scheduleTime, body: req.body as unknown },
  );
  res.status(answer.status).json(answer.body);
}

export const tick = handle('tick', runtimeLogger, tickHandler);
