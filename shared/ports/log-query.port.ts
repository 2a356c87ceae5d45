/** One log entry as the log checks need it: when, how severe, and the structured payload. */
export interface LogEntryView {
  readonly timestampMs: number;
  readonly severity: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

export interface LogQueryResult {
  readonly entries: readonly LogEntryView[];
  /** True when more entries matched than `limit` (the count is then a lower bound). */
  readonly truncated: boolean;
}

/**
 * Reads logs with a Cloud Logging filter (the Logging query language). Implemented over
 * `@google-cloud/logging` (`getEntries`); every call has a deadline and bounded retries, and
 * failures surface as LOGGING.UNAVAILABLE.
 */
export interface LogQuery {
  entries(request: { filter: string; limit: number; signal?: AbortSignal }): Promise<LogQueryResult>;
}
