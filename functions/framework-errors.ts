import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OutcomeCode } from '../shared/core/codes.js';
import type { Logger } from '../shared/ports/logger.port.js';

/**
 * Errors raised by functions-framework's own express app before a handler runs (a body that is
 * not JSON, a top-level JSON primitive, an undecodable path) would reach express's final handler,
 * which answers an HTML page (with a stack trace outside production). functions-framework offers no
 * hook for them (GoogleCloudPlatform/functions-framework-nodejs#686), so the final handler of the
 * express instance *it* loads is replaced by one that answers the bot's JSON `{code, message}`:
 * 4xx as `HTTP.BAD_REQUEST` with the status express chose, anything else 500 `INTERNAL`, never
 * internals. Installed once per process, before any server is created (functions/http.ts).
 */
interface ExpressErrorLike {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
}
type Handle = (this: unknown, req: IncomingMessage, res: ServerResponse, callback?: (err?: unknown) => void) => void;

let installed = false;

/** What a request refused by the framework is told (pure: tests call it directly). */
export function frameworkErrorAnswer(err: unknown): { status: number; body: { code: OutcomeCode; message: string } } {
  const e = err as ExpressErrorLike;
  const raw = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (raw >= 400 && raw < 500) {
    const message =
      e.type === 'entity.parse.failed'
        ? 'the request body is not valid JSON (a JSON object is expected)'
        : e.type === 'entity.too.large'
          ? 'the request body is too large'
          : e.type === 'charset.unsupported' || e.type === 'encoding.unsupported'
            ? 'the request body encoding is not supported'
            : 'the request could not be decoded';
    return { status: raw, body: { code: 'HTTP.BAD_REQUEST', message } };
  }
  return { status: 500, body: { code: 'INTERNAL', message: 'internal error' } };
}

/** Replaces the final handler of functions-framework's express (idempotent). */
export function installJsonFinalHandler(logger: () => Logger): void {
  if (installed) return;
  // The express that functions-framework itself requires (in a bundle, functions-framework stays external).
  const fromFramework = createRequire(createRequire(import.meta.url).resolve('@google-cloud/functions-framework'));
  const express = fromFramework('express') as { application: { handle: Handle } };
  const original = express.application.handle;
  express.application.handle = function handle(req, res, callback) {
    const done =
      callback ??
      ((err?: unknown) => {
        // No error: no route matched (functions-framework routes every path, so this does not happen).
        const answer =
          err === undefined || err === null
            ? { status: 404, body: { code: 'NOT_FOUND', message: 'no such route' } }
            : frameworkErrorAnswer(err);
        if (err !== undefined && err !== null)
          logger().warn('request refused before the function ran', {
            code: answer.body.code as OutcomeCode,
            status: answer.status,
            path: (req.url ?? '').slice(0, 80),
          });
        if (res.headersSent) {
          res.end();
          return;
        }
        res.statusCode = answer.status;
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.setHeader('Cache-Control', 'no-store');
        res.end(JSON.stringify(answer.body));
      });
    original.call(this, req, res, done);
  };
  installed = true;
}
