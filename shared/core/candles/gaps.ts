import { HOUR_MS, type Candle } from '../candle.js';

/**
 * Gaps in a candle series, pure. A gap is a run of bars the exchange never published between two
 * bars it did. Features treat rows as bars (the backtest's matrix runs across gaps the same way),
 * so an old gap is reported, not patched; a recent one is the quality gate's business.
 */

/**
 * How long after a bar's close the exchange may still publish it. A bar absent for longer is a
 * settled gap (kept as a gap); one absent for less is "not published yet" (a retryable failure).
 */
export const CANDLE_SETTLE_MS = 2 * HOUR_MS;

export interface CandleGap {
  /** Open time of the first missing bar. */
  readonly firstMissingOpenMs: number;
  /** Open time of the last missing bar. */
  readonly lastMissingOpenMs: number;
  readonly missingBars: number;
}

/** The gaps between consecutive bars on the bar grid (ascending input; other disorder is not a gap). */
export function findGaps(candles: readonly Candle[], barMs: number = HOUR_MS): CandleGap[] {
  const gaps: CandleGap[] = [];
  for (let i = 1; i < candles.length; i += 1) {
    const prev = (candles[i - 1] as Candle).openTimeMs;
    const t = (candles[i] as Candle).openTimeMs;
    if (t - prev > barMs && (t - prev) % barMs === 0) {
      gaps.push({
        firstMissingOpenMs: prev + barMs,
        lastMissingOpenMs: t - barMs,
        missingBars: (t - prev) / barMs - 1,
      });
    }
  }
  return gaps;
}

/** Runs of consecutive open times as gaps (for bars known to be missing, e.g. an exchange page's holes). */
export function gapsOf(missingOpenTimesMs: readonly number[], barMs: number = HOUR_MS): CandleGap[] {
  const sorted = [...missingOpenTimesMs].sort((a, b) => a - b);
  const gaps: CandleGap[] = [];
  for (const t of sorted) {
    const last = gaps[gaps.length - 1];
    if (last && t === last.lastMissingOpenMs + barMs)
      gaps[gaps.length - 1] = { ...last, lastMissingOpenMs: t, missingBars: last.missingBars + 1 };
    else if (!last || t > last.lastMissingOpenMs)
      gaps.push({ firstMissingOpenMs: t, lastMissingOpenMs: t, missingBars: 1 });
  }
  return gaps;
}

const MAX_GAPS_DESCRIBED = 10;

/** "2 gap(s), 3 bar(s) missing: 2025-01-06T02:00Z x2, 2025-01-06T09:00Z x1" (for a flag or a log line). */
export function describeGaps(gaps: readonly CandleGap[]): string {
  const missing = gaps.reduce((sum, g) => sum + g.missingBars, 0);
  const listed = gaps
    .slice(0, MAX_GAPS_DESCRIBED)
    .map((g) => `${new Date(g.firstMissingOpenMs).toISOString().slice(0, 16)}Z x${g.missingBars}`);
  const more = gaps.length > MAX_GAPS_DESCRIBED ? `, +${gaps.length - MAX_GAPS_DESCRIBED} more` : '';
  return `${gaps.length} gap(s), ${missing} bar(s) missing: ${listed.join(', ')}${more}`;
}
