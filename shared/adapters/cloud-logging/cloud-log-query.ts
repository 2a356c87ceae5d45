import { createRequire } from 'node:module';
import { Logging, type Entry } from '@google-cloud/logging';
import { BotError, toBotError } from '../../core/errors.js';
import { withDeadline, withRetry } from '../../core/retry.js';
import type { Clock, RandomSource } from '../../ports/clock.port.js';
import type { LogEntryView, LogQuery, LogQueryResult } from '../../ports/log-query.port.js';

export interface CloudLogQueryOptions {
  projectId: string;
  /** `host:port` of a plain-text endpoint (tools/fake-logging); unset in production. */
  endpoint?: string;
  clock: Clock;
  random: RandomSource;
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
const STATUS_NAMES = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'];

export function translateLoggingError(error: unknown, what: string): BotError {
  if (error instanceof BotError) return error;
  const code = typeof (error as { code?: unknown })?.code === 'number' ? (error as { code: number }).code : undefined;
  const name = code === undefined ? 'unknown' : (STATUS_NAMES[code] ?? String(code));
  return new BotError('LOGGING.UNAVAILABLE', `${what} failed (${name})`, { cause: error, retryable: code === undefined || RETRYABLE.has(code), details: { grpcStatus: name } });
}

/** The client, created once per instance; with an endpoint it talks plain gRPC to that host:port. */
export function createLogging(options: Pick<CloudLogQueryOptions, 'projectId' | 'endpoint'>): Logging {
  if (!options.endpoint) return new Logging({ projectId: options.projectId });
  const at = options.endpoint.lastIndexOf(':');
  // `port` and `sslCreds` are passed through to google-gax's gRPC stub (not in LoggingOptions' type).
  const local = { apiEndpoint: options.endpoint.slice(0, at), port: Number(options.endpoint.slice(at + 1)), sslCreds: gaxGrpc().credentials.createInsecure() };
  return new Logging({ projectId: options.projectId, ...local } as ConstructorParameters<typeof Logging>[0]);
}

function toView(entry: Entry): LogEntryView {
  const ts = entry.metadata.timestamp;
  const timestampMs = ts instanceof Date ? ts.getTime() : typeof ts === 'string' ? Date.parse(ts) : Number.NaN;
  const payload = entry.data !== null && typeof entry.data === 'object' ? (entry.data as Record<string, unknown>) : { message: String(entry.data) };
  return { timestampMs, severity: String(entry.metadata.severity ?? 'DEFAULT'), payload };
}

/** The LogQuery port over `Logging.getEntries`, one page at a time, newest first, at most `limit` entries. */
export function createCloudLogQuery(logging: Logging, options: CloudLogQueryOptions): LogQuery {
  const { clock, random } = options;
  const callTimeoutMs = options.callTimeoutMs ?? 10_000;
  const pageSize = Math.min(options.pageSize ?? 1000, 1000);
  const page = (filter: string, size: number, pageToken: string | undefined, signal?: AbortSignal) =>
    withRetry(
      () => withDeadline(async () => {
        try {
          const [entries, next] = await logging.getEntries({ filter, pageSize: size, autoPaginate: false, orderBy: 'timestamp desc', ...(pageToken ? { pageToken } : {}), gaxOptions: { timeout: callTimeoutMs } });
          return { entries, nextPageToken: (next as { pageToken?: string } | null)?.pageToken };
        } catch (error) {
          throw translateLoggingError(error, 'log query');
        }
      }, { clock, timeoutMs: callTimeoutMs, code: 'LOGGING.UNAVAILABLE', what: 'log query page', ...(signal ? { signal } : {}) }),
      { maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 2_000, deadlineMs: callTimeoutMs * 3 },
      { clock, random },
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
