import { isOutcomeCode, type OutcomeCode } from '../../core/codes.js';
import type { LogEntryView } from '../../ports/log-query.port.js';

/**
 * The five log queries of logCheck, in the Logging query language. Each matches the bot's own
 * structured lines (`jsonPayload.code` is the outcome vocabulary) inside the window; `codeOf`
 * says which incident code a matching line counts towards.
 */
export interface LogCheckQuery {
  readonly name: string;
  readonly filter: string;
  readonly codeOf: (entry: LogEntryView) => OutcomeCode | undefined;
}

const payloadCode = (entry: LogEntryView): OutcomeCode | undefined => {
  const code = entry.payload.code;
  return typeof code === 'string' && isOutcomeCode(code) ? code : undefined;
};
const quoted = (codes: readonly OutcomeCode[]): string => `(${codes.map((c) => `"${c}"`).join(' OR ')})`;

export const DATA_CODES: readonly OutcomeCode[] = ['DATA.MISSING_CANDLES', 'DATA.BAD_CANDLES', 'DATA.STALE_CANDLES'];
export const EXTERNAL_CODES: readonly OutcomeCode[] = ['EXTERNAL.FETCH_FAILED', 'DATA.MACRO_STALE'];

export function logCheckQueries(tickLatencyBudgetMs: number): LogCheckQuery[] {
  return [
    { name: 'errors-by-code', filter: 'severity>=ERROR AND jsonPayload.code:*', codeOf: payloadCode },
    { name: 'auth-failures', filter: 'jsonPayload.code="EXCHANGE.AUTH"', codeOf: () => 'EXCHANGE.AUTH' },
    { name: 'data-failures', filter: `jsonPayload.code=${quoted(DATA_CODES)}`, codeOf: payloadCode },
    {
      name: 'external-fetch-failures',
      filter: `severity>=WARNING AND jsonPayload.code=${quoted(EXTERNAL_CODES)}`,
      codeOf: payloadCode,
    },
    {
      name: 'tick-latency',
      filter: `jsonPayload.message=("tick ok" OR "tick failed") AND jsonPayload.latencyMs>${Math.round(tickLatencyBudgetMs)}`,
      codeOf: () => 'TICK.SLOW',
    },
  ];
}

/** logCheck's own lines carry `source: "logCheck"` and are never counted (an incident must not feed itself). */
export const LOG_CHECK_SOURCE = 'logCheck';

/** The query's filter restricted to the window [fromMs, toMs), without logCheck's own lines. */
export function windowed(filter: string, fromMs: number, toMs: number): string {
  return `timestamp>="${new Date(fromMs).toISOString()}" AND timestamp<"${new Date(toMs).toISOString()}" AND NOT jsonPayload.source="${LOG_CHECK_SOURCE}" AND (${filter})`;
}

/** Matches per code among a query's entries. */
export function countByCode(query: LogCheckQuery, entries: readonly LogEntryView[]): Map<OutcomeCode, number> {
  const counts = new Map<OutcomeCode, number>();
  for (const entry of entries) {
    const code = query.codeOf(entry);
    if (code !== undefined) counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  return counts;
}
