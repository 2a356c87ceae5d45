import { BotError } from '../core/errors.js';
import type { LogFields, Logger, Severity } from '../ports/logger.port.js';
import { traceLogFields } from './cloud-logging/trace-context.js';
import { currentLogContext } from './log-context.js';

const SEVERITY_RANK: Record<Severity, number> = { DEBUG: 0, INFO: 1, NOTICE: 2, WARNING: 3, ERROR: 4, CRITICAL: 5 };
const REDACTED = '[REDACTED]';
/** Field names whose values are never written. */
const SECRET_KEY =
  /(secret|passw(or)?d|token|signature|authorization|api[-_]?key|access[-_]?key|private[-_]?key|credential|cookie)/i;
/** Values that look like secrets wherever they appear: bearer tokens, PEM keys, 64-hex HMACs, key=value pairs. */
const SECRET_VALUE_PATTERNS: RegExp[] = [
  /Bearer\s+[A-Za-z0-9._~+/=-]+/gi,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /\b[0-9a-f]{64}\b/gi,
  /((?:api[-_]?key|secret|signature|token|password|access[-_]?key)\\?["']?\s*[:=]\s*\\?["']?)[^\s"',&}\\]+/gi,
];

export interface JsonLoggerOptions {
  minSeverity?: Severity;
  /** Where lines go; stdout by default (Cloud Logging reads it). */
  write?: (line: string) => void;
  /** Exact values (configured keys and secrets) to scrub from every line. */
  secrets?: readonly string[];
  /** Adds a timestamp field; off by default since Cloud Logging stamps lines itself. */
  now?: () => number;
  /**
   * Error Reporting's grouping key, written on ERROR and CRITICAL lines; the function serving the
   * request (log-context.ts) replaces `service`.
   */
  serviceContext?: { service: string; version: string };
  /** The project whose traces `logging.googleapis.com/trace` names; without it no trace field is written. */
  projectId?: string;
}

/**
 * One JSON object per line in Cloud Logging's structured format, with secrets redacted. `severity`
 * is always the call's (a LogSeverity name). A line logged while a request is served
 * (log-context.ts) carries its trace (`logging.googleapis.com/trace`, `spanId`, `trace_sampled`).
 * An ERROR or CRITICAL line carries `serviceContext` and, when its `error` field is an Error,
 * `stack_trace` (V8's `error.stack`): what Cloud Error Reporting reads to group it.
 */
export class JsonLogger implements Logger {
  private readonly minRank: number;
  private readonly write: (line: string) => void;
  private readonly secrets: readonly string[];

  constructor(
    private readonly options: JsonLoggerOptions = {},
    private readonly baseFields: LogFields = {},
  ) {
    this.minRank = SEVERITY_RANK[options.minSeverity ?? 'INFO'];
    this.write = options.write ?? ((line) => process.stdout.write(line));
    this.secrets = (options.secrets ?? []).filter((s) => s.length >= 4);
  }

  log(severity: Severity, message: string, fields: LogFields = {}): void {
    if (SEVERITY_RANK[severity] < this.minRank) return;
    const context = currentLogContext();
    const entry: Record<string, unknown> = { message, ...this.baseFields, ...fields, severity };
    if (this.options.now) entry.time = new Date(this.options.now()).toISOString();
    const projectId = this.options.projectId;
    if (context?.trace && projectId) Object.assign(entry, traceLogFields(context.trace, projectId));
    if (SEVERITY_RANK[severity] >= SEVERITY_RANK.ERROR) {
      const stack = stackOf(fields.error);
      if (stack) entry.stack_trace = stack;
      const service = this.options.serviceContext;
      if (service) entry.serviceContext = { ...service, ...(context ? { service: context.service } : {}) };
    }
    this.write(`${this.redactText(JSON.stringify(redactFields(entry, 0)))}\n`);
  }

  debug(message: string, fields?: LogFields): void {
    this.log('DEBUG', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.log('INFO', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.log('WARNING', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.log('ERROR', message, fields);
  }

  child(fields: LogFields): Logger {
    return new JsonLogger(this.options, { ...this.baseFields, ...fields });
  }

  private redactText(line: string): string {
    let out = line;
    for (const secret of this.secrets) out = out.split(secret).join(REDACTED);
    for (const pattern of SECRET_VALUE_PATTERNS) {
      out = out.replace(pattern, (match, prefix?: string) =>
        typeof prefix === 'string' && prefix.length < match.length ? `${prefix}${REDACTED}` : REDACTED,
      );
    }
    return out;
  }
}

function redactFields(value: unknown, depth: number): unknown {
  if (depth > 8) return '[DEPTH]';
  if (value instanceof Error) return redactFields(errorToFields(value), depth + 1);
  if (Array.isArray(value)) return value.map((v) => redactFields(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? REDACTED : redactFields(v, depth + 1)]),
    );
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/**
 * Where the error was raised: its own stack, or for an INTERNAL wrapper that toBotError made around
 * an unexpected error, the stack of that error (the wrapper's stack only shows where it was caught).
 */
function stackOf(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const wrapped = error instanceof BotError && error.code === 'INTERNAL' && error.cause instanceof Error;
  const origin = wrapped ? (error.cause as Error) : error;
  return origin.stack ?? error.stack;
}

function errorToFields(error: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = { name: error.name, message: error.message };
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) fields.code = code;
  if (error.cause !== undefined)
    fields.cause =
      error.cause instanceof Error ? { name: error.cause.name, message: error.cause.message } : String(error.cause);
  return fields;
}
