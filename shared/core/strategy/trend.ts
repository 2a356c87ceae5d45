import { DAY_MS, HOUR_MS, type Candle } from '../candle.js';
import type { PlanInput } from '../plan.js';
import { flatTarget, type Strategy, type StrategyTarget } from './strategy.js';

export type TrendSignal = 'tsmom' | 'donchian' | 'always';

/**
 * The daily trend strategy's parameters. Defaults follow published ranges, not this repo's data:
 * lookbacks evenly over the 10-50 day range of the crypto trend literature, time-series momentum
 * and Donchian-channel signals averaged (an ensemble, no single lookback chosen), volatility
 * target 40 %/year (the reference), no leverage, a 30-day volatility estimate (one month).
 */
export interface TrendParams {
  /** UTC hour whose close is the daily decision (0 = 09:00 JST). Hourly candles only. */
  readonly decisionHourUtc: number;
  readonly lookbacksDays: readonly number[];
  readonly signals: readonly TrendSignal[];
  /** Annualised volatility the position is sized for (fraction = score x min(max, target / realised)); 0 = no volatility sizing (max fraction). */
  readonly targetVolAnnual: number;
  /** Cap on the position value, fraction of equity (1 = no leverage). */
  readonly maxFraction: number;
  readonly volLookbackDays: number;
  /** A held position is resized (closed and reopened) only when the capped target and the held size differ by more than band x the capped target. */
  readonly rebalanceBand: number;
  readonly allowShort: boolean;
  /** Catastrophe stop at this many daily standard deviations from the entry (at most 99 % away). */
  readonly stopDailyVols: number;
}

export const DEFAULT_TREND_PARAMS: TrendParams = {
  decisionHourUtc: 0,
  lookbacksDays: [10, 20, 30, 40, 50],
  signals: ['tsmom', 'donchian'],
  targetVolAnnual: 0.4,
  maxFraction: 1,
  volLookbackDays: 30,
  rebalanceBand: 0.5,
  allowShort: false,
  stopDailyVols: 5,
};

const DAYS_PER_YEAR = 365;

/** The UTC time of the latest daily decision at or before `nowMs`. */
export function lastDecisionMs(nowMs: number, decisionHourUtc: number): number {
  const offset = decisionHourUtc * HOUR_MS;
  return Math.floor((nowMs - offset) / DAY_MS) * DAY_MS + offset;
}

/**
 * Closes at `decisionMs`, `decisionMs - 1 day`, ... (`days` + 1 of them, oldest first): each the
 * close of the last candle ending at or before that time and less than a day before it. undefined
 * when a whole day is missing or the history is too short (the caller holds, never guesses).
 */
export function dailyCloses(
  candles: readonly Candle[],
  barMs: number,
  decisionMs: number,
  days: number,
): number[] | undefined {
  const out: number[] = [];
  let j = candles.length - 1;
  for (let k = 0; k <= days; k += 1) {
    const at = decisionMs - k * DAY_MS;
    while (j >= 0 && (candles[j] as Candle).openTimeMs + barMs > at) j -= 1;
    if (j < 0) return undefined;
    const c = candles[j] as Candle;
    if (at - (c.openTimeMs + barMs) >= DAY_MS || !(c.close > 0)) return undefined;
    out.push(c.close);
  }
  return out.reverse();
}

/** Standard deviation of the last `days` daily log returns. */
function dailyVol(closes: readonly number[], days: number): number {
  const n = closes.length;
  let sum = 0;
  let sumSq = 0;
  for (let i = n - days; i < n; i += 1) {
    const r = Math.log((closes[i] as number) / (closes[i - 1] as number));
    sum += r;
    sumSq += r * r;
  }
  const mean = sum / days;
  return Math.sqrt(Math.max(0, (sumSq - days * mean * mean) / (days - 1)));
}

/** One signal over one lookback on daily closes: +1 long, -1 short (0 instead when shorts are off). */
function vote(signal: TrendSignal, closes: readonly number[], lookbackDays: number, allowShort: boolean): number {
  const n = closes.length;
  const now = closes[n - 1] as number;
  let up: boolean;
  if (signal === 'always') up = true;
  else if (signal === 'tsmom') up = now > (closes[n - 1 - lookbackDays] as number);
  else {
    // Donchian channel of the last `lookbackDays` closes: long in its upper half.
    let hi = -Infinity;
    let lo = Infinity;
    for (let i = n - 1 - lookbackDays; i < n; i += 1) {
      hi = Math.max(hi, closes[i] as number);
      lo = Math.min(lo, closes[i] as number);
    }
    up = now > (hi + lo) / 2;
  }
  return up ? 1 : allowShort ? -1 : 0;
}

export interface TrendView {
  readonly decisionMs: number;
  /** Mean vote, in [-1, 1] ([0, 1] long-or-flat). */
  readonly score: number;
  readonly dailyVol: number;
  /** Wanted position value, fraction of equity, signed. */
  readonly fraction: number;
}

/** The target at the latest decision time, from daily closes (pure; the same all day until the next decision). */
export function trendView(
  candles: readonly Candle[],
  barMs: number,
  nowMs: number,
  p: TrendParams,
): TrendView | undefined {
  const decisionMs = barMs >= DAY_MS ? Math.floor(nowMs / DAY_MS) * DAY_MS : lastDecisionMs(nowMs, p.decisionHourUtc);
  const longest = Math.max(p.volLookbackDays, ...p.lookbacksDays);
  const closes = dailyCloses(candles, barMs, decisionMs, longest);
  if (!closes) return undefined;
  const votes = p.signals.flatMap((s) =>
    s === 'always' ? [vote(s, closes, 0, p.allowShort)] : p.lookbacksDays.map((l) => vote(s, closes, l, p.allowShort)),
  );
  const score = votes.length === 0 ? 0 : votes.reduce((a, b) => a + b, 0) / votes.length;
  const vol = dailyVol(closes, p.volLookbackDays);
  const annual = vol * Math.sqrt(DAYS_PER_YEAR);
  const scale =
    p.targetVolAnnual > 0
      ? Math.min(p.maxFraction, annual > 0 ? p.targetVolAnnual / annual : p.maxFraction)
      : p.maxFraction;
  return { decisionMs, score, dailyVol: vol, fraction: score * scale };
}

/** Daily candles the strategy reads behind the decision (longest lookback or volatility window, plus a day of slack). */
export function trendRequiredDays(p: TrendParams): number {
  return Math.max(p.volLookbackDays, ...p.lookbacksDays) + 2;
}

/**
 * `trend`: an ensemble of time-series momentum and Donchian-channel votes over several lookbacks in
 * days, decided once a day at the close of `decisionHourUtc` on hourly candles (or each daily
 * candle), long-or-flat unless `allowShort`, sized to a target annual volatility (capped), resized
 * only outside the rebalance band (at the decision bar: a resize is a close and a reopen), with a
 * wide catastrophe stop. Between decisions the target does not change; after a stop it waits for
 * the next decision instead of buying back at once.
 */
export function trendStrategy(params: Partial<TrendParams> = {}, barMs = HOUR_MS, name = 'trend'): Strategy {
  const p: TrendParams = { ...DEFAULT_TREND_PARAMS, ...params };
  if (p.lookbacksDays.length === 0 || p.lookbacksDays.some((l) => !Number.isInteger(l) || l < 1))
    throw new RangeError(`lookbacksDays must be positive integers: ${p.lookbacksDays.join(',')}`);
  if (!Number.isInteger(p.decisionHourUtc) || p.decisionHourUtc < 0 || p.decisionHourUtc > 23)
    throw new RangeError(`decisionHourUtc must be 0..23: ${p.decisionHourUtc}`);
  if (p.volLookbackDays < 2) throw new RangeError('volLookbackDays must be at least 2');
  const days = trendRequiredDays(p);
  return {
    name,
    requiredBars: (bar) => Math.ceil((days * DAY_MS) / bar) + Math.ceil(DAY_MS / bar),
    decide(input: PlanInput): StrategyTarget {
      const last = input.candles[input.candles.length - 1];
      const view = last === undefined ? undefined : trendView(input.candles, barMs, input.nowMs, p);
      if (!last || !view)
        return flatTarget([`needs ${days} whole days of candles before the decision`], {
          blockedBy: 'DATA.MISSING_CANDLES',
          position: 'keep',
        });
      if (!(view.dailyVol > 0))
        return flatTarget(['daily closes do not move: volatility not measurable'], {
          blockedBy: 'DATA.BAD_CANDLES',
          position: 'keep',
        });
      const side = view.fraction > 0 ? 'long' : view.fraction < 0 ? 'short' : 'flat';
      const size = Math.abs(view.fraction);
      const why = [
        `decision ${new Date(view.decisionMs).toISOString()}: score ${view.score.toFixed(2)}, daily vol ${(view.dailyVol * 100).toFixed(2)} %`,
      ];
      const distance = Math.min(0.99, p.stopDailyVols * view.dailyVol);
      const stopPriceJpy = side === 'long' ? last.close * (1 - distance) : last.close * (1 + distance);
      const position = input.position;
      if (position) {
        if (side !== position.side)
          return flatTarget([...why, `target ${side}: close the ${position.side}`], {
            position: 'exit',
            exitReason: 'signal',
          });
        // Only the decision bar may resize (the executor compares the capped target with the held size); between decisions, keep.
        if (input.nowMs === view.decisionMs)
          return {
            side,
            sizeFraction: size,
            stopPriceJpy,
            resizeBand: p.rebalanceBand,
            reasons: [...why, `target ${size.toFixed(3)} of equity`],
          };
        return { side, sizeFraction: size, position: 'keep', reasons: [...why, 'between decisions: keep'] };
      }
      if (side === 'flat') return flatTarget([...why, 'flat']);
      const lastTrade = input.closedTrades[input.closedTrades.length - 1];
      if (lastTrade && lastTrade.exitReason === 'stop' && lastTrade.exitTimeMs >= view.decisionMs) {
        return flatTarget([
          ...why,
          `stopped out at ${new Date(lastTrade.exitTimeMs).toISOString()}: waiting for the next decision`,
        ]);
      }
      return {
        side,
        sizeFraction: size,
        stopPriceJpy,
        reasons: [...why, `catastrophe stop ${(distance * 100).toFixed(1)} % away`],
      };
    },
  };
}
