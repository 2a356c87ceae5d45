import { z } from 'zod';
import { collection } from '../ports/store.port.js';
import { OUTCOME_CODES } from '../core/codes.js';
import { MACRO_SERIES_NAMES } from '../core/macro.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const finite = z.number().finite();

/**
 * One UTC day of 1-hour bars for one pair, stored column-wise (Firestore has no arrays of
 * arrays). Document id `btc_jpy_1h_YYYYMMDD`, also kept in `seriesDay` so that a window is one
 * single-field range query (no composite index). `complete` only when all 24 bars are there and
 * closed; a closed day with real exchange gaps keeps its gaps.
 */
export const candleDaySchema = z
  .object({
    seriesDay: z.string().regex(/^[a-z0-9_]+_\d{8}$/),
    pair: z.string().min(1),
    timeframe: z.literal('1h'),
    dayStartMs: z.number().int(),
    openTimesMs: z.array(z.number().int()),
    open: z.array(finite),
    high: z.array(finite),
    low: z.array(finite),
    close: z.array(finite),
    volume: z.array(finite),
    complete: z.boolean(),
    fetchedAtMs: z.number().int(),
  })
  .refine((d) => [d.open, d.high, d.low, d.close, d.volume].every((column) => column.length === d.openTimesMs.length), {
    message: 'every column must have one value per bar',
  })
  .refine(
    (d) =>
      d.openTimesMs.every(
        (t, i) =>
          (i === 0 || t > (d.openTimesMs[i - 1] as number)) && t >= d.dayStartMs && t < d.dayStartMs + 86_400_000,
      ),
    {
      message: 'bar times must ascend inside the day',
    },
  );
export type CandleDayRecord = z.infer<typeof candleDaySchema>;

export const candleDays = collection('candleDays', candleDaySchema);

const macroCode = z.enum(
  Object.keys(OUTCOME_CODES) as [keyof typeof OUTCOME_CODES, ...Array<keyof typeof OUTCOME_CODES>],
);

/**
 * The cached daily points of one macro series (document id = series name), refreshed at most
 * once a day after the series' close, plus what happened at the last attempt.
 */
export const macroCacheSchema = z
  .object({
    name: z.enum(MACRO_SERIES_NAMES as [string, ...string[]]),
    dates: z.array(isoDate),
    values: z.array(finite),
    /** When the points were last fetched successfully; 0 when never. */
    fetchedAtMs: z.number().int(),
    lastAttemptMs: z.number().int(),
    lastError: z.object({ code: macroCode, message: z.string() }).nullable(),
  })
  .refine((d) => d.dates.length === d.values.length, { message: 'one value per date' })
  .refine((d) => d.dates.every((date, i) => i === 0 || date > (d.dates[i - 1] as string)), {
    message: 'dates must ascend',
  });
export type MacroCacheRecord = z.infer<typeof macroCacheSchema>;

export const macroCache = collection('macroCache', macroCacheSchema);
