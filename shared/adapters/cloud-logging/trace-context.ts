/**
 * The trace of an incoming request, from the headers Google's front end sets: W3C `traceparent`
 * (`00-<32 hex trace>-<16 hex span>-<2 hex flags>`) or the older `X-Cloud-Trace-Context`
 * (`<32 hex trace>/<decimal span>;o=<0|1>`). Pure; the logger turns it into Cloud Logging's fields.
 */
export interface TraceContext {
  /** 32 lower-case hex digits. */
  readonly traceId: string;
  /** 16 lower-case hex digits, when the header named a span. */
  readonly spanId?: string;
  readonly sampled: boolean;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const CLOUD_TRACE = /^([0-9a-fA-F]{32})(?:\/(\d{1,20}))?(?:;o=([0-9]+))?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** `traceparent` wins when both headers are valid (it is the standard one); a malformed header is ignored. */
export function parseTraceHeaders(headers: {
  traceparent?: string | undefined;
  cloudTraceContext?: string | undefined;
}): TraceContext | undefined {
  return fromTraceparent(headers.traceparent?.trim()) ?? fromCloudTrace(headers.cloudTraceContext?.trim());
}

function fromTraceparent(value: string | undefined): TraceContext | undefined {
  const m = value ? TRACEPARENT.exec(value) : null;
  if (!m || m[1] === 'ff' || m[2] === ZERO_TRACE || m[3] === ZERO_SPAN) return undefined;
  return { traceId: m[2] as string, spanId: m[3] as string, sampled: (parseInt(m[4] as string, 16) & 1) === 1 };
}

function fromCloudTrace(value: string | undefined): TraceContext | undefined {
  const m = value ? CLOUD_TRACE.exec(value) : null;
  if (!m || (m[1] as string).toLowerCase() === ZERO_TRACE) return undefined;
  const span = m[2] === undefined ? undefined : BigInt(m[2]);
  const spanId = span !== undefined && span > 0n && span < 2n ** 64n ? span.toString(16).padStart(16, '0') : undefined;
  return { traceId: (m[1] as string).toLowerCase(), ...(spanId ? { spanId } : {}), sampled: m[3] === '1' };
}

/** The LogEntry fields Cloud Logging reads from a structured (JSON) line to link it to its trace. */
export function traceLogFields(trace: TraceContext, projectId: string): Record<string, string | boolean> {
  return {
    'logging.googleapis.com/trace': `projects/${projectId}/traces/${trace.traceId}`,
    ...(trace.spanId ? { 'logging.googleapis.com/spanId': trace.spanId } : {}),
    'logging.googleapis.com/trace_sampled': trace.sampled,
  };
}
