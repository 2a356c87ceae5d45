import type { HttpFunction, Request, Response } from '@google-cloud/functions-framework';
import type { OutcomeCode } from '../shared/core/codes.js';
import { BotError, toBotError } from '../shared/core/errors.js';
import type { Logger } from '../shared/ports/logger.port.js';
import { parseTraceHeaders } from '../shared/adapters/cloud-logging/trace-context.js';
import { runWithLogContext } from '../shared/adapters/log-context.js';
import { installJsonFinalHandler } from './framework-errors.js';
import { runtimeLogger } from './runtime.js';

// Every function module imports this one: framework-level refusals answer the bot's JSON too.
installJsonFinalHandler(runtimeLogger);

/** Statuses by code for errors that escape a handler: the caller learns the code, never internals. */
function statusFor(error: BotError): number {
  if (error.code === 'CONFIG.INVALID') return 500;
  if (error.code === 'TICK.BAD_REQUEST') return 400;
  if (error.retryable || error.code === 'EXCHANGE.AUTH') return 503;
  return 500;
}

/**
 * Wraps a handler: every line logged while it runs names the function and carries the request's
 * trace (`traceparent` or `X-Cloud-Trace-Context`); any thrown or rejected error is logged with its
 * code and stack and answered as `{code, message}` with a status by code; unexpected errors answer
 * 500 without their message.
 */
export function handle(
  name: string,
  logger: () => Logger,
  handler: (req: Request, res: Response) => Promise<void>,
): HttpFunction {
  return async (req, res) => {
    const headers = { traceparent: req.get('traceparent'), cloudTraceContext: req.get('X-Cloud-Trace-Context') };
    const trace = parseTraceHeaders(headers);
    await runWithLogContext({ service: name, ...(trace ? { trace } : {}) }, async () => {
      try {
        await handler(req, res);
      } catch (thrown) {
        const error = toBotError(thrown);
        logger().error(`${name} failed`, { code: error.code, error, ...error.details });
        if (res.headersSent) return;
        const message = error.code === 'INTERNAL' ? 'internal error' : error.message;
        res.status(statusFor(error)).json({ code: error.code, message });
      }
    });
  };
}

/**
 * Answers 405 METHOD_NOT_ALLOWED unless the request uses one of `allowed`; true when it answered
 * (the handler then stops).
 */
export function refuseMethod(name: string, req: Request, res: Response, allowed: readonly string[]): boolean {
  if (allowed.includes(req.method)) return false;
  res
    .status(405)
    .set('Allow', allowed.join(', '))
    .json({
      code: 'METHOD_NOT_ALLOWED' satisfies OutcomeCode,
      message: `${name} answers ${allowed.join(' or ')} only`,
    });
  return true;
}
