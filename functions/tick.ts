import { randomUUID } from 'node:crypto';
import type { Request, Response } from '@google-cloud/functions-framework';
import { runTick } from '../shared/app/run-tick.js';
import { handle } from './http.js';
import { getRuntime, getTickDeps, runtimeLogger } from './runtime.js';

/**
 * POST, called by Cloud Scheduler at every bar close (`X-CloudScheduler-ScheduleTime`) or by a
 * person with `{"bar": "<ISO time>"}`. Answers the tick's JSON summary: 200 for ok / duplicate /
 * too-late, 503 or 500 (with the code) when the bot could not do what it is configured to do.
 */
export async function tickHandler(req: Request, res: Response): Promise<void> {
  if (req.method !== 'POST') {
    res.status(405).json({ code: 'METHOD_NOT_ALLOWED', message: 'tick answers POST only' });
    return;
  }
  const { instanceId } = getRuntime();
  const deps = getTickDeps();
  const scheduleTime = req.get('X-CloudScheduler-ScheduleTime');
  const answer = await runTick({ ...deps, owner: `${instanceId}:${randomUUID().slice(0, 8)}` }, { scheduleTime, body: req.body as unknown });
  res.status(answer.status).json(answer.body);
}

export const tick = handle('tick', runtimeLogger, tickHandler);
