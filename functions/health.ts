import type { Request, Response } from '@google-cloud/functions-framework';
import { handle } from './http.js';
import { botVersion } from '../shared/version.js';
import { getRuntime, runtimeLogger } from './runtime.js';

/** GET / : liveness. The detailed, performance, metrics and dashboard routes come with the operations issue. */
export async function healthHandler(req: Request, res: Response): Promise<void> {
  const { config, clock, startedAtMs } = getRuntime();
  const route = req.path.replace(/\/+$/, '') || '/';
  if (req.method !== 'GET') {
    res.status(405).json({ code: 'METHOD_NOT_ALLOWED', message: 'health answers GET only' });
    return;
  }
  if (route !== '/') {
    res.status(404).json({ code: 'NOT_FOUND', message: `no health route ${route}` });
    return;
  }
  res.status(200).json({
    status: 'ok',
    version: botVersion(),
    mode: config.BOT_MODE,
    uptimeSeconds: Math.floor((clock.nowMs() - startedAtMs) / 1000),
  });
}

export const health = handle('health', runtimeLogger, healthHandler);
