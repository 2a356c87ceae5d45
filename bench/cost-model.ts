/**
 * The monthly bill of the deployment from measured per-tick figures: the one copy of the prices the
 * README's "Cost and scale" uses (Google's published list prices as of 2024, nam5; check them).
 * Pure: `npm run bench` passes what it measured; the README's cost table is printed from this.
 */
export const PRICES = {
  /** Cloud Run functions (tier 1): per vCPU-second, GiB-second, million requests; free per month. */
  vCpuSecondUsd: 0.000024,
  gibSecondUsd: 0.0000025,
  millionRequestsUsd: 0.4,
  freeVCpuSeconds: 180_000,
  freeGibSeconds: 360_000,
  freeRequests: 2_000_000,
  /** Firestore: per 100k document reads / writes beyond the free quota (per day). */
  hundredThousandReadsUsd: 0.06,
  hundredThousandWritesUsd: 0.18,
  freeReadsPerDay: 50_000,
  freeWritesPerDay: 20_000,
  /** Cloud Scheduler: per job and month beyond the free jobs. */
  schedulerJobMonthUsd: 0.1,
  freeSchedulerJobs: 3,
} as const;

/** The deploy's tick instance: 256 MiB, which Cloud Run functions pair with 0.167 vCPU. */
export const TICK_INSTANCE = { memoryGib: 0.25, vCpu: 0.167 } as const;
const DAYS_PER_MONTH = 30;
/** health every 5 minutes, logCheck every 15, one backup a day (scheduler/). */
const HEALTH_CALLS_PER_MONTH = 8_640;
const LOG_CHECK_CALLS_PER_MONTH = 2_880;
/** Jobs of one pair (tick, health, logCheck, backup, retrain, notify, telegram); each further pair adds a tick job. */
const BASE_SCHEDULER_JOBS = 7;

export interface MeasuredTick {
  readonly readsPerTick: number;
  readonly writesPerTick: number;
  /** Billed instance time of one tick, seconds (its measured latency). */
  readonly secondsPerTick: number;
  /** Reads of one cold health call (worst case: every call cold). */
  readonly healthReadsPerCall: number;
}

export interface Scale {
  readonly pairs: number;
  readonly timeframe: '1h' | '15m';
}

export interface MonthlyBill extends Scale {
  readonly ticks: number;
  readonly reads: number;
  readonly writes: number;
  readonly computeVCpuSeconds: number;
  readonly withFreeTierUsd: number;
  readonly withoutFreeTierUsd: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * One month at `pairs` x `timeframe`: ticks grow with both; health reads one window per pair per
 * call; the daily backup reads every document held (about four per tick of a month's history:
 * tick, equity, orders, day summaries), once a day.
 */
export function monthlyBill(m: MeasuredTick, s: Scale): MonthlyBill {
  const ticksPerDayPerPair = s.timeframe === '1h' ? 24 : 96;
  const ticks = ticksPerDayPerPair * DAYS_PER_MONTH * s.pairs;
  const backupReads = DAYS_PER_MONTH * 4 * ticks;
  const reads = ticks * m.readsPerTick + HEALTH_CALLS_PER_MONTH * m.healthReadsPerCall * s.pairs + backupReads;
  const writes = ticks * m.writesPerTick;
  const computeSeconds = ticks * m.secondsPerTick;
  const vCpuSeconds = computeSeconds * TICK_INSTANCE.vCpu;
  const gibSeconds = computeSeconds * TICK_INSTANCE.memoryGib;
  const requests = ticks + HEALTH_CALLS_PER_MONTH + LOG_CHECK_CALLS_PER_MONTH + DAYS_PER_MONTH;
  const jobs = BASE_SCHEDULER_JOBS + s.pairs - 1;
  const price = (free: boolean): number => {
    const over = (used: number, allowance: number) => Math.max(0, used - (free ? allowance : 0));
    const compute =
      over(vCpuSeconds, PRICES.freeVCpuSeconds) * PRICES.vCpuSecondUsd +
      over(gibSeconds, PRICES.freeGibSeconds) * PRICES.gibSecondUsd +
      (over(requests, PRICES.freeRequests) / 1e6) * PRICES.millionRequestsUsd;
    const firestore =
      (over(reads / DAYS_PER_MONTH, PRICES.freeReadsPerDay) * DAYS_PER_MONTH * PRICES.hundredThousandReadsUsd) / 1e5 +
      (over(writes / DAYS_PER_MONTH, PRICES.freeWritesPerDay) * DAYS_PER_MONTH * PRICES.hundredThousandWritesUsd) / 1e5;
    return compute + firestore + over(jobs, PRICES.freeSchedulerJobs) * PRICES.schedulerJobMonthUsd;
  };
  return {
    ...s,
    ticks,
    reads: Math.round(reads),
    writes: Math.round(writes),
    computeVCpuSeconds: Math.round(vCpuSeconds),
    withFreeTierUsd: round2(price(true)),
    withoutFreeTierUsd: round2(price(false)),
  };
}

/** The README's table: 1, 5 and 20 pairs at 1h and 15m. */
export function scaleTable(m: MeasuredTick): MonthlyBill[] {
  return [1, 5, 20].flatMap((pairs) =>
    (['1h', '15m'] as const).map((timeframe) => monthlyBill(m, { pairs, timeframe })),
  );
}

export function markdownTable(rows: readonly MonthlyBill[]): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return [
    '| pairs x bar | ticks | Firestore reads | writes | tick vCPU-s | a month, free tier | without |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.pairs} x ${r.timeframe} | ${n(r.ticks)} | ${n(r.reads)} | ${n(r.writes)} | ${n(r.computeVCpuSeconds)} | $${r.withFreeTierUsd.toFixed(2)} | $${r.withoutFreeTierUsd.toFixed(2)} |`,
    ),
  ].join('\n');
}
