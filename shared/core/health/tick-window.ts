import type { DayTick } from './day-summary.js';

/** Quantiles of tick latency that `/metrics` reports per outcome: median, p95 and the slowest. */
export const LATENCY_QUANTILES = [0.5, 0.95, 1] as const;

/** Nearest-rank quantile (an observed value, never interpolated) of `values`; null when there are none. */
export function nearestRankQuantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  if (!(q > 0 && q <= 1)) throw new RangeError(`quantile must be in (0, 1], got ${q}`);
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(q * sorted.length) - 1] as number;
}

export interface TickWindowStats {
  /** Recorded ticks by outcome. */
  readonly ticksByOutcome: ReadonlyMap<DayTick['outcome'], number>;
  /** Failed or too-late ticks by code. */
  readonly errorsByCode: ReadonlyMap<string, number>;
  /** Latency quantiles (LATENCY_QUANTILES) of the ticks that recorded one, by outcome, ms. */
  readonly latencyMsByOutcome: ReadonlyMap<DayTick['outcome'], ReadonlyArray<{ quantile: number; ms: number }>>;
}

/** Counts and latency quantiles of the ticks of a window (the window is the caller's choice). */
export function tickWindowStats(ticks: readonly DayTick[]): TickWindowStats {
  const ticksByOutcome = new Map<DayTick['outcome'], number>();
  const errorsByCode = new Map<string, number>();
  const latencies = new Map<DayTick['outcome'], number[]>();
  for (const t of ticks) {
    ticksByOutcome.set(t.outcome, (ticksByOutcome.get(t.outcome) ?? 0) + 1);
    if (t.outcome !== 'ok' && t.code) errorsByCode.set(t.code, (errorsByCode.get(t.code) ?? 0) + 1);
    if (t.latencyMs !== undefined) latencies.set(t.outcome, [...(latencies.get(t.outcome) ?? []), t.latencyMs]);
  }
  const latencyMsByOutcome = new Map(
    [...latencies].map(([outcome, ms]) => {
      const quantiles = LATENCY_QUANTILES.map((q) => ({ quantile: q, ms: nearestRankQuantile(ms, q) as number }));
      return [outcome, quantiles] as const;
    }),
  );
  return { ticksByOutcome, errorsByCode, latencyMsByOutcome };
}
