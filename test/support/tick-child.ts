import { randomUUID } from 'node:crypto';
import { http, type Request, type Response } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { handle } from '../../functions/http.js';
import { runTick } from '../../shared/app/run-tick.js';
import { enterAt, liveTickDeps, sharedReplayClock } from './live-tick.js';

/**
 * `tick` served by functions-framework in a process of its own, so that a test can SIGKILL it
 * mid-tick (test/money-path/crash.test.ts). The handler is functions/tick.ts's, with the deps of a
 * live tick against the fake bitbank and a scripted brain (enter short at CHILD_ENTRY_BAR):
 * runTick's answer is sent as it is. Prints `tick-child listening on URL` when ready.
 * Env: FIRESTORE_EMULATOR_HOST, CHILD_FAKE_URL, CHILD_REPLAY_MS + CHILD_WALL_MS (the replayed
 * clock every process shares), CHILD_ENTRY_BAR, EXCHANGE_CALL_TIMEOUT_MS, TICK_DEADLINE_MS.
 */
function need(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`tick-child needs ${name}`);
  return value;
}

const deps = liveTickDeps({
  fakeUrl: need('CHILD_FAKE_URL'),
  clock: sharedReplayClock(Number(need('CHILD_REPLAY_MS')), Number(need('CHILD_WALL_MS'))),
  plan: enterAt(Number(need('CHILD_ENTRY_BAR'))),
  callTimeoutMs: Number(need('EXCHANGE_CALL_TIMEOUT_MS')),
  tickDeadlineMs: Number(need('TICK_DEADLINE_MS')),
  owner: 'set per invocation',
  write: (line) => process.stderr.write(line),
});

http(
  'tick',
  handle(
    'tick',
    () => deps.logger,
    async (req: Request, res: Response) => {
      const owner = `child-${process.pid}:${randomUUID().slice(0, 8)}`;
      const answer = await runTick(
        { ...deps, owner },
        { scheduleTime: req.get('X-CloudScheduler-ScheduleTime'), body: req.body as unknown },
      );
      res.status(answer.status).json(answer.body);
    },
  ),
);
const server = getTestServer('tick');
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.stdout.write(`tick-child listening on http://127.0.0.1:${port}\n`);
});
