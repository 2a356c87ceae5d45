import {
  AuthenticationError,
  BotError,
  OrderError,
  RateLimitError,
  TemporaryExchangeError,
} from '../../core/errors.js';

/**
 * bitbank's answers, translated once into the bot's errors. The ccxt subclass throws these two
 * raw errors (the bitbank code from the body, or the HTTP status when there is no code); every
 * other ccxt error is a transport failure. `translateBitbankError` is the only place that maps.
 */
export class BitbankApiError extends Error {
  constructor(
    readonly bitbankCode: number,
    readonly httpStatus: number,
    readonly path: string,
  ) {
    super(`bitbank error ${bitbankCode} (HTTP ${httpStatus}) on ${path}`);
    this.name = 'BitbankApiError';
  }
}

export class BitbankHttpError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly path: string,
    readonly retryAfterMs?: number,
  ) {
    super(`bitbank HTTP ${httpStatus} on ${path}`);
    this.name = 'BitbankHttpError';
  }
}

const RATE_LIMIT_FLOOR_MS = 1_000;
const range = (code: number, from: number, to: number): boolean => code >= from && code <= to;

/** The bot's error for a bitbank error code (see /work/shared/docs/bitbank-api.md). */
export function errorForBitbankCode(code: number, httpStatus: number, what: string): BotError {
  const options = { details: { bitbankCode: code, httpStatus, what } };
  const message = `${what}: bitbank error ${code}`;
  if (code === 10009) return new RateLimitError(message, { ...options, retryAfterMs: RATE_LIMIT_FLOOR_MS });
  if (code === 10005) return new TemporaryExchangeError('EXCHANGE.TIMEOUT', message, options);
  if (code === 10007 || code === 10008 || code === 70011)
    return new TemporaryExchangeError('EXCHANGE.MAINTENANCE', message, options);
  if (code === 10001 || code === 10003 || range(code, 70001, 70003))
    return new TemporaryExchangeError('EXCHANGE.UNAVAILABLE', message, options);
  if (code === 20004 || range(code, 20033, 20039)) return new BotError('EXCHANGE.NONCE', message, options);
  if (range(code, 20000, 20999)) return new AuthenticationError(message, options);
  if (code === 50009) return new OrderError('EXCHANGE.ORDER_NOT_FOUND', message, options);
  if (code === 60001) return new OrderError('EXCHANGE.INSUFFICIENT_FUNDS', message, options);
  if (code === 70020 || range(code, 70004, 70006)) return new OrderError('EXCHANGE.CIRCUIT_BREAK', message, options);
  if (range(code, 30000, 79999)) return new OrderError('EXCHANGE.ORDER_REJECTED', message, options);
  return new BotError('EXCHANGE.BAD_RESPONSE', message, options);
}

/** The bot's error for an HTTP status that came without a bitbank code. */
export function errorForHttpStatus(status: number, what: string, retryAfterMs?: number): BotError {
  const options = { details: { httpStatus: status, what } };
  const message = `${what}: HTTP ${status}`;
  if (status === 429 || status === 418)
    return new RateLimitError(message, { ...options, retryAfterMs: Math.max(retryAfterMs ?? 0, RATE_LIMIT_FLOOR_MS) });
  if (status === 401 || status === 403) return new AuthenticationError(message, options);
  if (status === 408 || status === 504) return new TemporaryExchangeError('EXCHANGE.TIMEOUT', message, options);
  if (status >= 500) return new TemporaryExchangeError('EXCHANGE.UNAVAILABLE', message, options);
  return new BotError('EXCHANGE.BAD_RESPONSE', message, options);
}

/** ccxt's transport failures by class name (so that this module does not import ccxt). */
const TIMEOUT_NAMES = new Set(['RequestTimeout', 'AbortError', 'TimeoutError']);
const NETWORK_NAMES = new Set([
  'NetworkError',
  'ExchangeNotAvailable',
  'OnMaintenance',
  'DDoSProtection',
  'RateLimitExceeded',
  'FetchError',
]);

/** Translates anything an exchange call threw; BotErrors (deadlines, our own checks) pass through. */
export function translateBitbankError(error: unknown, what: string): BotError {
  if (error instanceof BotError) return error;
  if (error instanceof BitbankApiError)
    return withCause(errorForBitbankCode(error.bitbankCode, error.httpStatus, what), error);
  if (error instanceof BitbankHttpError)
    return withCause(errorForHttpStatus(error.httpStatus, what, error.retryAfterMs), error);
  const name = error instanceof Error ? error.constructor.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'AuthenticationError' || name === 'PermissionDenied') {
    return new AuthenticationError(`${what}: ${message}`, { cause: error, details: { what } }); // e.g. a private call without keys
  }
  if (TIMEOUT_NAMES.has(name))
    return new TemporaryExchangeError('EXCHANGE.TIMEOUT', `${what}: ${message}`, { cause: error, details: { what } });
  if (NETWORK_NAMES.has(name) || (error instanceof TypeError && /fetch failed/i.test(message))) {
    return new TemporaryExchangeError('EXCHANGE.UNAVAILABLE', `${what}: ${message}`, {
      cause: error,
      details: { what },
    });
  }
  if (name === 'BadResponse' || error instanceof SyntaxError)
    return new BotError('EXCHANGE.BAD_RESPONSE', `${what}: ${message}`, { cause: error, details: { what } });
  return new BotError('INTERNAL', `${what}: ${message}`, { cause: error, details: { what } });
}

function withCause(error: BotError, cause: Error): BotError {
  Object.defineProperty(error, 'cause', { value: cause, enumerable: false, configurable: true, writable: true });
  return error;
}
