import { createRequire } from 'node:module';
import { Logging, type Entry } from '@google-cloud/logging';
import type { CallOptions } from 'google-gax';
import { BotError, toBotError } from '../../core/errors.js';
import { withDeadline } from '../../core/retry.js';
import type { Clock } from '../../ports/clock.port.js';
import type { LogEntryView, LogQuery, LogQueryResult } from '../../ports/log-query.port.js';

export interface CloudLogQueryOptions {
  projectId: string;
  /** `host:port` of a plain-text endpoint (tools/fake-logging); unset in production. */
  endpoint?: string;
  clock: Clock;
  /** Deadline of one page request, ms. */
  callTimeoutMs?: number;
  /** Entries per page (the API allows up to 1000). */
  pageSize?: number;
}

type Grpc = typeof import('@grpc/grpc-js');
let grpcOfGax: Grpc | undefined;
/**
 * The @grpc/grpc-js instance the Logging client's google-gax uses: credentials must come from that
 * very copy (grpc-js checks `instanceof`), also when this module is bundled and the client is not.
 */
function gaxGrpc(): Grpc {
  if (!grpcOfGax) {
    const fromLogging = createRequire(createRequire(import.meta.url).resolve('@google-cloud/logging'));
    grpcOfGax = createRequire(fromLogging.resolve('google-gax'))('@grpc/grpc-js') as Grpc;
  }
  return grpcOfGax;
}

/** gRPC status codes a retry can help with: UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, INTERNAL, ABORTED. */
const RETRYABLE = new Set([14, 4, 8, 13, 10]);
const STATUS_NAMES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];

export function translateLoggingError(error: unknown, what: string): BotError {
  if (error instanceof BotError) return error;
  const code = typeof (error as { code?: unknown })?.code === 'number' ? (error as { code: number }).code : undefined;
  const name = code === undefined ? 'unknown' : (STATUS_NAMES[code] ?? String(code));
  // gax's own retry gave up: it answers DEADLINE_EXCEEDED, naming the last status in its message.
  const gaveUp = /^Exceeded maximum number of retries retrying error Error: \d+ ([A-Z_]+)/;
  const last = gaveUp.exec(String((error as Error | undefined)?.message));
  if (last)
    return new BotError('LOGGING.UNAVAILABLE', `${what} failed (${last[1]}, ${LOG_QUERY_ATTEMPTS} attempts)`, {
      cause: error,
      details: { grpcStatus: last[1], attempts: LOG_QUERY_ATTEMPTS },
    });
  return new BotError('LOGGING.UNAVAILABLE', `${what} failed (${name})`, {
    cause: error,
    retryable: code === undefined || RETRYABLE.has(code),
    details: { grpcStatus: name },
  });
}

/** The client, created once per instance; with an endpoint it talks plain gRPC to that host:port. */
export function createLogging(options: Pick<CloudLogQueryOptions, 'projectId' | 'endpoint'>): Logging {
  if (!options.endpoint) return new Logging({ projectId: options.projectId });
  const at = options.endpoint.lastIndexOf(':');
  // `port` and `sslCreds` are passed through to google-gax's gRPC stub (not in LoggingOptions' type).
  const local = {
    apiEndpoint: options.endpoint.slice(0, at),
    port: Number(options.endpoint.slice(at + 1)),
    sslCreds: gaxGrpc().credentials.createInsecure(),
  };
  return new Logging({ projectId: options.projectId, ...local } as ConstructorParameters<typeof Logging>[0]);
}

function toView(entry: Entry): LogEntryView {
  const ts = entry.metadata.timestamp;
  const timestampMs = ts instanceof Date ? ts.getTime() : typeof ts === 'string' ? Date.parse(ts) : Number.NaN;
  const payload =
    entry.data !== null && typeof entry.data === 'object'
      ? (entry.data as Record<string, unknown>)
      : { message: String(entry.data) };
  return { timestampMs, severity: String(entry.metadata.severity ?? 'DEFAULT'), payload };
}

/** Attempts of one page request (the first and the retries), all made by the client's own retry. */
export const LOG_QUERY_ATTEMPTS = 3;
const RETRY_FIRST_DELAY_MS = 250;
const RETRY_MAX_DELAY_MS = 1_000;

/**
 * One retry layer: google-gax's, configured here (retry only the transient statuses, at most
 * LOG_QUERY_ATTEMPTS attempts, each cut at `callTimeoutMs`, backoff 250 ms doubling with jitter).
 * Wrapping it in a retry of our own would multiply the attempts (3 x gax's default retry sent 23
 * requests to an unavailable API). gax cannot bound attempts and total time at once, so the total
 * is bounded outside by `pageDeadlineMs`.
 */
export function logQueryCallOptions(callTimeoutMs: number): CallOptions {
  return {
    retry: {
      retryCodes: [...RETRYABLE],
      backoffSettings: {
        maxRetries: LOG_QUERY_ATTEMPTS,
        initialRetryDelayMillis: RETRY_FIRST_DELAY_MS,
        retryDelayMultiplier: 2,
        maxRetryDelayMillis: RETRY_MAX_DELAY_MS,
        initialRpcTimeoutMillis: callTimeoutMs,
        rpcTimeoutMultiplier: 1,
        maxRpcTimeoutMillis: callTimeoutMs,
        totalTimeoutMillis: null,
      },
    },
  };
}

/** Every attempt at its timeout plus every backoff at its cap: the page can take no longer. */
export function pageDeadlineMs(callTimeoutMs: number): number {
  return LOG_QUERY_ATTEMPTS * callTimeoutMs + (LOG_QUERY_ATTEMPTS - 1) * RETRY_MAX_DELAY_MS;
}

/** The LogQuery port over `Logging.getEntries`, one page at a time, newest first, at most `limit` entries. */
export function createCloudLogQuery(logging: Logging, options: CloudLogQueryOptions): LogQuery {
  const { clock } = options;
  const callTimeoutMs = options.callTimeoutMs ?? 10_000;
  const pageSize = Math.min(options.pageSize ?? 1000, 1000);
  const gaxOptions = logQueryCallOptions(callTimeoutMs);
  const timeoutMs = pageDeadlineMs(callTimeoutMs);
  const deadline = { clock, timeoutMs, code: 'LOGGING.UNAVAILABLE', what: 'log query page' } as const;
  const page = (filter: string, size: number, pageToken: string | undefined, signal?: AbortSignal) =>
    withDeadline(
      async () => {
        try {
          const request = { filter, pageSize: size, autoPaginate: false, orderBy: 'timestamp desc', gaxOptions };
          const [entries, next] = await logging.getEntries({ ...request, ...(pageToken ? { pageToken } : {}) });
          return { entries, nextPageToken: (next as { pageToken?: string } | null)?.pageToken };
        } catch (error) {
          throw translateLoggingError(error, 'log query');
        }
      },
      { ...deadline, ...(signal ? { signal } : {}) },
    );
  return {
    async entries({ filter, limit, signal }): Promise<LogQueryResult> {
      const out: LogEntryView[] = [];
      let token: string | undefined;
      try {
        do {
          const result = await page(filter, Math.min(pageSize, limit + 1 - out.length), token, signal);
          out.push(...result.entries.map(toView));
          token = result.nextPageToken || undefined;
        } while (token && out.length <= limit);
      } catch (thrown) {
        throw translateLoggingError(toBotError(thrown), 'log query');
      }
      return { entries: out.slice(0, limit), truncated: out.length > limit || token !== undefined };
    },
  };
}
