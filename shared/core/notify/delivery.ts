/**
 * How one HTTP answer of a channel is read, pure: sent, retry (after how long) or a permanent
 * failure. 429 honours `Retry-After` (seconds or an HTTP date) and the JSON `retry_after`
 * (Discord: seconds, fractional; Telegram: `parameters.retry_after`, seconds).
 */
export type AttemptResult =
  | { readonly kind: 'sent' }
  | { readonly kind: 'retry'; readonly afterMs: number; readonly error: string }
  | { readonly kind: 'failed'; readonly error: string };

export interface ChannelAnswer {
  readonly status: number;
  readonly retryAfterHeader: string | null;
  /** The parsed JSON body, when there was one. */
  readonly body: unknown;
}

/** Attempts on one event and channel within one run of `notify` (the first included). */
export const MAX_ATTEMPTS_PER_RUN = 3;
/** An event not delivered to a channel this long after it happened is given up there (status `failed`). */
export const MAX_EVENT_AGE_MS = 24 * 3_600_000;
/** A wait longer than this (a long Retry-After) ends the run's attempts: the next run retries. */
export const MAX_WAIT_IN_RUN_MS = 30_000;
const BASE_BACKOFF_MS = 1_000;

export function retryAfterMs(
  answer: Pick<ChannelAnswer, 'retryAfterHeader' | 'body'>,
  nowMs: number,
): number | undefined {
  const body = answer.body as { retry_after?: unknown; parameters?: { retry_after?: unknown } } | null | undefined;
  const fromBody =
    typeof body?.parameters?.retry_after === 'number'
      ? body.parameters.retry_after
      : typeof body?.retry_after === 'number'
        ? body.retry_after
        : undefined;
  if (fromBody !== undefined && Number.isFinite(fromBody) && fromBody >= 0) return Math.ceil(fromBody * 1000);
  const header = answer.retryAfterHeader?.trim();
  if (!header) return undefined;
  if (/^\d+(\.\d+)?$/.test(header)) return Math.ceil(Number(header) * 1000);
  const dateMs = Date.parse(header);
  return Number.isFinite(dateMs) ? Math.max(0, dateMs - nowMs) : undefined;
}

export function classifyAnswer(answer: ChannelAnswer, attempt: number, nowMs: number): AttemptResult {
  const backoff = BASE_BACKOFF_MS * 2 ** (attempt - 1);
  const body = answer.body as { ok?: unknown; description?: unknown } | null | undefined;
  if (answer.status >= 200 && answer.status < 300) {
    // Telegram answers {ok: false, description} on some failures; Discord and Slack answer 2xx on success.
    if (body && typeof body === 'object' && body.ok === false)
      return { kind: 'failed', error: `HTTP ${answer.status}: ${describe(body)}` };
    return { kind: 'sent' };
  }
  if (answer.status === 429)
    return { kind: 'retry', afterMs: retryAfterMs(answer, nowMs) ?? backoff, error: 'HTTP 429 rate limited' };
  if (answer.status >= 500 || answer.status === 408)
    return { kind: 'retry', afterMs: backoff, error: `HTTP ${answer.status}` };
  return {
    kind: 'failed',
    error: `HTTP ${answer.status}${body && typeof body === 'object' ? `: ${describe(body)}` : ''}`,
  };
}

/** A network error or a passed deadline: retried with backoff. */
export function networkFailure(message: string, attempt: number): AttemptResult {
  return { kind: 'retry', afterMs: BASE_BACKOFF_MS * 2 ** (attempt - 1), error: message.slice(0, 200) };
}

function describe(body: { description?: unknown; message?: unknown }): string {
  const text =
    typeof body.description === 'string' ? body.description : typeof body.message === 'string' ? body.message : '';
  return text.slice(0, 200);
}
