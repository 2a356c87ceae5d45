import { OUTCOME_CODES, type OutcomeCode } from './codes.js';

export interface BotErrorOptions {
  cause?: unknown;
  /** Overrides the code's default retryability (rarely needed). */
  retryable?: boolean;
  /** Extra structured fields for logs; never secrets. */
  details?: Record<string, unknown>;
  /** For rate limits: the earliest sensible retry, in ms. */
  retryAfterMs?: number;
}

/** The one base error: a stable code, whether a retry can help, and the cause. */
export class BotError extends Error {
  readonly code: OutcomeCode;
  readonly retryable: boolean;
  readonly details: Record<string, unknown>;
  readonly retryAfterMs: number | undefined;

  constructor(code: OutcomeCode, message: string, options: BotErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? OUTCOME_CODES[code].retryable;
    this.details = options.details ?? {};
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** A human must act: settings do not parse or do not make sense. */
export class ConfigurationError extends BotError {
  constructor(message: string, options: BotErrorOptions = {}) {
    super('CONFIG.INVALID', message, options);
  }
}

/** Keys rejected or lacking a permission. Never retried, never a fallback. */
export class AuthenticationError extends BotError {
  constructor(message: string, options: BotErrorOptions = {}) {
    super('EXCHANGE.AUTH', message, options);
  }
}

type TemporaryExchangeCode = 'EXCHANGE.TIMEOUT' | 'EXCHANGE.UNAVAILABLE' | 'EXCHANGE.MAINTENANCE';

/** Network, 5xx, maintenance: a retry with backoff may succeed. */
export class TemporaryExchangeError extends BotError {
  constructor(code: TemporaryExchangeCode, message: string, options: BotErrorOptions = {}) {
    super(code, message, options);
  }
}

export class RateLimitError extends BotError {
  constructor(message: string, options: BotErrorOptions = {}) {
    super('EXCHANGE.RATE_LIMIT', message, options);
  }
}

type OrderErrorCode =
  'EXCHANGE.ORDER_REJECTED' | 'EXCHANGE.INSUFFICIENT_FUNDS' | 'EXCHANGE.ORDER_NOT_FOUND' | 'EXCHANGE.CIRCUIT_BREAK';

/** The exchange refused an order or could not find one: never retried blindly. */
export class OrderError extends BotError {
  constructor(code: OrderErrorCode, message: string, options: BotErrorOptions = {}) {
    super(code, message, options);
  }
}

type DataCode =
  'DATA.MISSING_CANDLES' | 'DATA.BAD_CANDLES' | 'DATA.STALE_CANDLES' | 'DATA.MACRO_STALE' | 'EXTERNAL.FETCH_FAILED';

export class DataQualityError extends BotError {
  constructor(code: DataCode, message: string, options: BotErrorOptions = {}) {
    super(code, message, options);
  }
}

type StoreCode = 'STORE.UNAVAILABLE' | 'STORE.CONFLICT' | 'STORE.BAD_RECORD' | 'STORE.MIXED_MODES';

export class StoreError extends BotError {
  constructor(code: StoreCode, message: string, options: BotErrorOptions = {}) {
    super(code, message, options);
  }
}

type ModelCode = 'MODEL.MISSING' | 'MODEL.FEATURE_MISMATCH' | 'STRATEGY.FAILED';

export class StrategyError extends BotError {
  constructor(code: ModelCode, message: string, options: BotErrorOptions = {}) {
    super(code, message, options);
  }
}

/** A deadline passed; the code says whose (an exchange call, the tick, a fetch). */
export class DeadlineError extends BotError {}

/** Anything thrown that is not a BotError becomes INTERNAL, keeping the original as cause. */
export function toBotError(error: unknown): BotError {
  if (error instanceof BotError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new BotError('INTERNAL', message, { cause: error });
}
