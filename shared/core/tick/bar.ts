import { z } from 'zod';
import { TIMEFRAME_MS, barOpenMs, type Timeframe } from '../candle.js';
import { BotError } from '../errors.js';

/**
 * Which bar a tick is for. Cloud Scheduler fires at a bar's close and stamps the delivery with
 * `X-CloudScheduler-ScheduleTime` (RFC 3339, UTC); a manual call names the bar in its body as
 * `{"bar": "<RFC 3339 time with a zone>"}`. The time is floored to the timeframe: the tick for bar
 * B runs at B's open, decides on the candles closed by then, and its orders execute in B. Retries of
 * one delivery carry the same schedule time. Anything else (epoch numbers, times without a zone,
 * prose dates) is TICK.BAD_REQUEST: a number is ambiguous (seconds read as ms name a 1970 bar) and a
 * time without a zone names a different bar on every machine.
 */
export const TickRequestBody = z.object({ bar: z.unknown().optional() }).loose();

export interface TickRequest {
  /** The `X-CloudScheduler-ScheduleTime` header, if any. */
  readonly scheduleTime?: string | undefined;
  /** The parsed JSON body (anything; validated here). */
  readonly body?: unknown;
}

/** RFC 3339 `date-time` (section 5.6): full date, `T`, full time with optional fraction, `Z` or a numeric offset. */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * The one parser of bar times: an RFC 3339 time with a zone, as ms UTC; TICK.BAD_REQUEST for
 * anything else (other types, other formats, impossible calendar dates or offsets, leap seconds).
 */
export function parseBarTime(value: unknown, what: string): number {
  const refuse = (): never => {
    throw new BotError(
      'TICK.BAD_REQUEST',
      `${what} is not an RFC 3339 time with a zone (e.g. 2026-11-26T10:00:00Z): ${JSON.stringify(value)?.slice(0, 40) ?? typeof value}`,
    );
  };
  if (typeof value !== 'string') return refuse();
  const m = RFC3339.exec(value);
  if (!m) return refuse();
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const fractionMs = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  const d = new Date(local);
  // Date.UTC rolls 2019-02-29 over to March 1st: a date that does not round-trip does not exist.
  const exists =
    d.getUTCFullYear() === year &&
    d.getUTCMonth() === month - 1 &&
    d.getUTCDate() === day &&
    d.getUTCHours() === hour &&
    d.getUTCMinutes() === minute &&
    d.getUTCSeconds() === second;
  if (!exists || year < 1970) return refuse();
  let offsetMs = 0;
  if (m[8] === undefined) {
    const offsetHours = Number(m[10]);
    const offsetMinutes = Number(m[11]);
    if (offsetHours > 23 || offsetMinutes > 59) return refuse();
    offsetMs = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  }
  return local + fractionMs - offsetMs;
}

/** The bar's open time, ms UTC; TICK.BAD_REQUEST when neither the header nor `bar` names one. */
export function resolveBarOpenMs(request: TickRequest, timeframe: Timeframe): number {
  if (request.scheduleTime !== undefined && request.scheduleTime !== '') {
    return barOpenMs(parseBarTime(request.scheduleTime, 'X-CloudScheduler-ScheduleTime'), timeframe);
  }
  const body = TickRequestBody.safeParse(request.body ?? {});
  if (!body.success)
    throw new BotError('TICK.BAD_REQUEST', 'a tick body must be a JSON object such as {"bar": "2026-11-26T10:00:00Z"}');
  if (body.data.bar === undefined) {
    throw new BotError(
      'TICK.BAD_REQUEST',
      'a tick needs the X-CloudScheduler-ScheduleTime header or a "bar" field (RFC 3339 time with a zone)',
    );
  }
  return barOpenMs(parseBarTime(body.data.bar, 'bar'), timeframe);
}

/**
 * The bar a delivery may run, checked before anything is written: parsed by `resolveBarOpenMs`,
 * started (within the clock skew allowance of `classifyBarTiming`) and not older than `maxAgeMs`
 * (the tick record's retention: a claim older than that would already have expired, so its bar could
 * run twice). A bar between `TICK_TOO_LATE_BARS` and `maxAgeMs` old is valid and recorded too late.
 */
export function resolveTickBar(request: TickRequest, timeframe: Timeframe, nowMs: number, maxAgeMs: number): number {
  const openMs = resolveBarOpenMs(request, timeframe);
  const timing = classifyBarTiming(openMs, nowMs, timeframe, Number.POSITIVE_INFINITY);
  if (timing.kind === 'future')
    throw new BotError('TICK.BAD_REQUEST', `bar ${new Date(openMs).toISOString()} has not started yet`);
  if (nowMs - openMs > maxAgeMs)
    throw new BotError(
      'TICK.BAD_REQUEST',
      `bar ${new Date(openMs).toISOString()} is older than ${Math.round(maxAgeMs / 86_400_000)} days`,
    );
  return openMs;
}

/** `ticks/{pair}_{timeframe}_{barOpenMs}`: one document per bar, the claim's key. */
export function tickId(pair: string, timeframe: Timeframe, barOpenMs: number): string {
  return `${pair}_${timeframe}_${barOpenMs}`;
}

export type BarTiming =
  { kind: 'on-time'; lateBars: number } | { kind: 'too-late'; lateBars: number } | { kind: 'future'; earlyMs: number };

/**
 * How late the tick is: a tick more than `tooLateBars` bars after its bar does not trade. A bar
 * that has not started yet (beyond a small clock skew allowance) is refused as a bad request.
 */
export function classifyBarTiming(
  barOpenMs: number,
  nowMs: number,
  timeframe: Timeframe,
  tooLateBars: number,
  skewMs = 60_000,
): BarTiming {
  const size = TIMEFRAME_MS[timeframe];
  if (barOpenMs - nowMs > skewMs) return { kind: 'future', earlyMs: barOpenMs - nowMs };
  const lateBars = Math.max(0, (nowMs - barOpenMs) / size);
  return lateBars > tooLateBars ? { kind: 'too-late', lateBars } : { kind: 'on-time', lateBars };
}
