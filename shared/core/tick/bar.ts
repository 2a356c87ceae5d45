import { z } from 'zod';
import { TIMEFRAME_MS, barOpenMs, type Timeframe } from '../candle.js';
import { BotError } from '../errors.js';

/**
 * Which bar a tick is for. Cloud Scheduler fires at a bar's close and stamps the delivery with
 * `X-CloudScheduler-ScheduleTime` (RFC 3339); a manual call names the bar in its body. The time is
 * floored to the timeframe: the tick for bar B runs at B's open, decides on the candles closed by
 * then, and its orders execute in B. Retries of one delivery carry the same schedule time.
 */
const isoOrMs = z.union([z.number().int().nonnegative(), z.string().min(1)]);
export const TickRequestBody = z.object({ bar: isoOrMs.optional() }).loose();

export interface TickRequest {
  /** The `X-CloudScheduler-ScheduleTime` header, if any. */
  readonly scheduleTime?: string | undefined;
  /** The parsed JSON body (anything; validated here). */
  readonly body?: unknown;
}

function parseTime(value: string | number, what: string): number {
  const ms = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms) || ms <= 0) throw new BotError('TICK.BAD_REQUEST', `${what} is not a time: ${String(value).slice(0, 40)}`);
  return ms;
}

/** The bar's open time, ms UTC; TICK.BAD_REQUEST when neither the header nor `bar` names one. */
export function resolveBarOpenMs(request: TickRequest, timeframe: Timeframe): number {
  if (request.scheduleTime !== undefined && request.scheduleTime.trim() !== '') {
    return barOpenMs(parseTime(request.scheduleTime.trim(), 'X-CloudScheduler-ScheduleTime'), timeframe);
  }
  const body = TickRequestBody.safeParse(request.body ?? {});
  if (!body.success) throw new BotError('TICK.BAD_REQUEST', `bad tick body: ${body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  if (body.data.bar === undefined) {
    throw new BotError('TICK.BAD_REQUEST', 'a tick needs the X-CloudScheduler-ScheduleTime header or a "bar" field (ISO time or ms)');
  }
  return barOpenMs(parseTime(body.data.bar, 'bar'), timeframe);
}

/** `ticks/{pair}_{timeframe}_{barOpenMs}`: one document per bar, the claim's key. */
export function tickId(pair: string, timeframe: Timeframe, barOpenMs: number): string {
  return `${pair}_${timeframe}_${barOpenMs}`;
}

export type BarTiming = { kind: 'on-time'; lateBars: number } | { kind: 'too-late'; lateBars: number } | { kind: 'future'; earlyMs: number };

/**
 * How late the tick is: a tick more than `tooLateBars` bars after its bar does not trade. A bar
 * that has not started yet (beyond a small clock skew allowance) is refused as a bad request.
 */
export function classifyBarTiming(barOpenMs: number, nowMs: number, timeframe: Timeframe, tooLateBars: number, skewMs = 60_000): BarTiming {
  const size = TIMEFRAME_MS[timeframe];
  if (barOpenMs - nowMs > skewMs) return { kind: 'future', earlyMs: barOpenMs - nowMs };
  const lateBars = Math.max(0, (nowMs - barOpenMs) / size);
  return lateBars > tooLateBars ? { kind: 'too-late', lateBars } : { kind: 'on-time', lateBars };
}
