import type { HttpFunction, Request, Response } from '@google-cloud/functions-framework';
import { BotError, toBotError } from '../shared/core/errors.js';
import type { Logger } from '../shared/ports/logger.port.js';

/** Statuses by code for errors that escape a handler: the caller learns the code, never internals. */
function statusFor(error: BotError): number {
  if (error.code === 'CONFIG.INVALID') return 500;
  if (error.code === 'TICK.BAD_REQUEST') return 400;
  if (error.retryable || error.code === 'EXCHANGE.AUTH') return 503;
  return 500;
}

/**
 * Wraps a handler: any thrown or rejected error is logged with its code and answered as
 * `{code, message}` with a status by code; unexpected errors answer 500 without their message.
 */
export function handle(name: string, logger: () => Logger, handler: (req: Request, res: Response) => Promise<void>): HttpFunction {
  return async (req, res) => {
    try {
      await handler(req, res);
    } catch (thrown) {
      const error = toBotError(thrown);
      logger().error(`${name} failed`, { code: error.code, error, ...error.details });
      if (res.headersSent) return;
      const message = error.code === 'INTERNAL' ? 'internal error' : error.message;
      res.status(statusFor(error)).json({ code: error.code, message });
    }
  };
}

/** A function whose issue has not landed yet: says so plainly rather than pretending. */
export function notImplemented(name: string): HttpFunction {
  return (_req, res) => {
    res.status(501).json({ code: 'NOT_IMPLEMENTED', message: `${name} is not implemented yet` });
  };
}
