import { ATR } from 'trading-signals';
import { HOUR_MS, type Candle } from '../candle.js';
import { DataQualityError } from '../errors.js';
import { findGaps } from './gaps.js';

/**
 * The candle quality gate, pure: bars ascending and on the hour, no recent gaps, consistent OHLC,
 * positive prices, volume >= 0, only closed bars, no unexplained price jump, newest bar not stale.
 * Failing data is reported with the bars at fault; it is never patched. A gap older than
 * maxBlockingGapAgeBars (a settled exchange hole) does not block: it is returned as a gap flag
 * with its time and length, and features treat rows as bars across it, as the backtest does.
 */
export interface QualityGateOptions {
  /** The clock's now: bars must be closed by then, and the newest one recent. */
  nowMs: number;
  /** The newest bar's close may be at most this old (default 1 h: the last closed bar must be present). */
  maxLastCloseAgeMs?: number;
  /** Fewer bars than this is DATA.MISSING_CANDLES (default 1). */
  minBars?: number;
  /** A bar whose true range exceeds this many ATR(14) of the bars before it is flagged (default 8). */
  flagJumpAtr?: number;
  /** Beyond this many ATR(14) a bar is DATA.BAD_CANDLES unless acknowledged (default 30; 5 years of BTC peaked at 24.8). */
  maxJumpAtr?: number;
  /** Open times of bars a human checked and accepted despite a jump beyond maxJumpAtr. */
  acknowledgedJumpOpenTimesMs?: readonly number[];
  /**
   * A gap whose last missing bar is among the newest this-many bar slots before now fails the gate
   * (DATA.MISSING_CANDLES, retryable); an older one is only flagged (default 24).
   */
  maxBlockingGapAgeBars?: number;
}

/** An old gap that did not block: where it is, how long, and how many bars closed after it. */
export interface GapFlag {
  firstMissingOpenMs: number;
  at: string;
  missingBars: number;
  ageBars: number;
}

export type IssueKind =
  | 'not-finite'
  | 'off-hour'
  | 'not-ascending'
  | 'gap'
  | 'non-positive-price'
  | 'high-below-body'
  | 'low-above-body'
  | 'negative-volume'
  | 'not-closed'
  | 'jump'
  | 'stale'
  | 'too-few';

export interface CandleIssue {
  kind: IssueKind;
  /** The bar at fault (for a gap: the first missing bar). */
  openTimeMs: number;
  at: string;
  detail: string;
}

export interface JumpFlag {
  openTimeMs: number;
  at: string;
  trueRange: number;
  atr: number;
  multiple: number;
}

export type QualityGateResult =
  | { ok: true; bars: number; flags: JumpFlag[]; gapFlags: GapFlag[] }
  | { ok: false; error: DataQualityError; issues: CandleIssue[]; flags: JumpFlag[]; gapFlags: GapFlag[] };

const MAX_ISSUES_IN_DETAILS = 20;
const BAD_KINDS: ReadonlySet<IssueKind> = new Set([
  'not-finite',
  'off-hour',
  'not-ascending',
  'non-positive-price',
  'high-below-body',
  'low-above-body',
  'negative-volume',
  'not-closed',
  'jump',
]);

const iso = (ms: number): string => (Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms));

export function checkCandles(candles: readonly Candle[], options: QualityGateOptions): QualityGateResult {
  const issues: CandleIssue[] = [];
  const flags: JumpFlag[] = [];
  const issue = (kind: IssueKind, openTimeMs: number, detail: string): void => {
    issues.push({ kind, openTimeMs, at: iso(openTimeMs), detail });
  };
  const minBars = options.minBars ?? 1;
  if (candles.length < minBars) issue('too-few', options.nowMs, `${candles.length} bars, need ${minBars}`);
  const acknowledged = new Set(options.acknowledgedJumpOpenTimesMs ?? []);
  const atr = new ATR(14);
  const gapFlags: GapFlag[] = [];
  const windowEndMs = Math.floor(options.nowMs / HOUR_MS) * HOUR_MS;
  const blockingFromMs = windowEndMs - (options.maxBlockingGapAgeBars ?? 24) * HOUR_MS;
  let gaps = 0;
  let missingBars = 0;
  for (const gap of findGaps(candles, HOUR_MS)) {
    if (gap.lastMissingOpenMs >= blockingFromMs) {
      gaps += 1;
      missingBars += gap.missingBars;
      issue(
        'gap',
        gap.firstMissingOpenMs,
        `${gap.missingBars} bar(s) missing before ${iso(gap.lastMissingOpenMs + HOUR_MS)}`,
      );
    } else {
      const ageBars = (windowEndMs - gap.lastMissingOpenMs - HOUR_MS) / HOUR_MS;
      gapFlags.push({
        firstMissingOpenMs: gap.firstMissingOpenMs,
        at: iso(gap.firstMissingOpenMs),
        missingBars: gap.missingBars,
        ageBars,
      });
    }
  }
  for (let i = 0; i < candles.length; i += 1) {
    const bar = candles[i] as Candle;
    const prev = i > 0 ? (candles[i - 1] as Candle) : undefined;
    const t = bar.openTimeMs;
    const values = [t, bar.open, bar.high, bar.low, bar.close, bar.volume];
    if (!values.every(Number.isFinite)) {
      issue('not-finite', t, `non-finite value in ${JSON.stringify(values)}`);
      continue;
    }
    if (t % HOUR_MS !== 0) issue('off-hour', t, 'open time not on the hour');
    if (prev !== undefined && t <= prev.openTimeMs) issue('not-ascending', t, `after ${iso(prev.openTimeMs)}`);
    if (Math.min(bar.open, bar.high, bar.low, bar.close) <= 0) issue('non-positive-price', t, 'a price is <= 0');
    if (bar.high < Math.max(bar.open, bar.close))
      issue('high-below-body', t, `high ${bar.high} < max(open ${bar.open}, close ${bar.close})`);
    if (bar.low > Math.min(bar.open, bar.close))
      issue('low-above-body', t, `low ${bar.low} > min(open ${bar.open}, close ${bar.close})`);
    if (bar.volume < 0) issue('negative-volume', t, `volume ${bar.volume}`);
    if (t + HOUR_MS > options.nowMs)
      issue('not-closed', t, `bar closes at ${iso(t + HOUR_MS)}, after now ${iso(options.nowMs)}`);
    const atrBefore = atr.getResult();
    if (prev !== undefined && atrBefore !== null && atrBefore > 0) {
      const trueRange = Math.max(bar.high, prev.close) - Math.min(bar.low, prev.close);
      const multiple = trueRange / atrBefore;
      if (multiple > (options.flagJumpAtr ?? 8))
        flags.push({ openTimeMs: t, at: iso(t), trueRange, atr: atrBefore, multiple });
      if (multiple > (options.maxJumpAtr ?? 30) && !acknowledged.has(t))
        issue('jump', t, `true range ${trueRange} is ${multiple.toFixed(1)} x ATR(14) ${atrBefore}`);
    }
    atr.add(bar);
  }
  const last = candles[candles.length - 1];
  const maxAgeMs = options.maxLastCloseAgeMs ?? HOUR_MS;
  if (
    last !== undefined &&
    Number.isFinite(last.openTimeMs) &&
    options.nowMs - (last.openTimeMs + HOUR_MS) > maxAgeMs
  ) {
    issue(
      'stale',
      last.openTimeMs,
      `newest bar closed at ${iso(last.openTimeMs + HOUR_MS)}, more than ${maxAgeMs / 60_000} min before now ${iso(options.nowMs)}`,
    );
  }
  if (issues.length === 0) return { ok: true, bars: candles.length, flags, gapFlags };
  const bad = issues.filter((x) => BAD_KINDS.has(x.kind));
  const missing = issues.filter((x) => x.kind === 'gap' || x.kind === 'too-few');
  const [code, first] =
    bad.length > 0
      ? (['DATA.BAD_CANDLES', bad[0]] as const)
      : missing.length > 0
        ? (['DATA.MISSING_CANDLES', missing[0]] as const)
        : (['DATA.STALE_CANDLES', issues[0]] as const);
  const error = new DataQualityError(
    code,
    `candles fail the quality gate: ${first?.kind} at ${first?.at}: ${first?.detail} (${issues.length} issue(s))`,
    {
      details: {
        issueCount: issues.length,
        gaps,
        missingBars,
        flaggedGaps: gapFlags.length,
        issues: issues.slice(0, MAX_ISSUES_IN_DETAILS),
      },
    },
  );
  return { ok: false, error, issues, flags, gapFlags };
}

/** Throws the gate's DataQualityError; returns the jump flags when the candles pass. */
export function assertCandlesOk(candles: readonly Candle[], options: QualityGateOptions): JumpFlag[] {
  const result = checkCandles(candles, options);
  if (!result.ok) throw result.error;
  return result.flags;
}
