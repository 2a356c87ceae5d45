import { describe, expect, it } from 'vitest';
import { parseTraceHeaders, traceLogFields } from './trace-context.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('trace headers', () => {
  it('reads W3C traceparent (trace, span, sampled flag)', () => {
    const parsed = parseTraceHeaders({ traceparent: `00-${TRACE}-00f067aa0ba902b7-01` });
    expect(parsed).toEqual({ traceId: TRACE, spanId: '00f067aa0ba902b7', sampled: true });
    expect(parseTraceHeaders({ traceparent: `00-${TRACE}-00f067aa0ba902b7-00` })?.sampled).toBe(false);
  });

  it('reads X-Cloud-Trace-Context, its decimal span id as 16 hex digits', () => {
    // 1 -> 0000000000000001; 2^64 - 1 is the largest span id.
    const upper = parseTraceHeaders({ cloudTraceContext: `${TRACE.toUpperCase()}/1;o=1` });
    expect(upper).toEqual({ traceId: TRACE, spanId: '0000000000000001', sampled: true });
    const largest = parseTraceHeaders({ cloudTraceContext: `${TRACE}/18446744073709551615;o=0` });
    expect(largest?.spanId).toBe('ffffffffffffffff');
    expect(parseTraceHeaders({ cloudTraceContext: TRACE })).toEqual({ traceId: TRACE, sampled: false });
  });

  it('prefers traceparent, ignores malformed or all-zero ids', () => {
    const other = 'a'.repeat(32);
    const both = { traceparent: `00-${TRACE}-00f067aa0ba902b7-01`, cloudTraceContext: `${other}/5;o=1` };
    expect(parseTraceHeaders(both)?.traceId).toBe(TRACE);
    expect(parseTraceHeaders({ traceparent: 'garbage', cloudTraceContext: `${other}/5;o=1` })?.traceId).toBe(other);
    expect(parseTraceHeaders({ traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` })).toBeUndefined();
    expect(parseTraceHeaders({ traceparent: `ff-${TRACE}-00f067aa0ba902b7-01` })).toBeUndefined();
    expect(parseTraceHeaders({ cloudTraceContext: 'xyz/1;o=1' })).toBeUndefined();
    expect(parseTraceHeaders({})).toBeUndefined();
  });

  it('gives Cloud Logging its special fields', () => {
    expect(traceLogFields({ traceId: TRACE, spanId: '0000000000000001', sampled: true }, 'my-proj')).toEqual({
      'logging.googleapis.com/trace': `projects/my-proj/traces/${TRACE}`,
      'logging.googleapis.com/spanId': '0000000000000001',
      'logging.googleapis.com/trace_sampled': true,
    });
  });
});
