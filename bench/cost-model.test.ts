import { describe, expect, it } from 'vitest';
import { monthlyBill, PRICES, scaleTable } from './cost-model.js';

const measured = { readsPerTick: 30, writesPerTick: 10, secondsPerTick: 1, healthReadsPerCall: 22 };

describe('cost model', () => {
  it('one pair at 1h: the counts follow from the schedule, and the month is inside the free tier but for scheduler jobs', () => {
    const bill = monthlyBill(measured, { pairs: 1, timeframe: '1h' });
    expect(bill.ticks).toBe(720);
    expect(bill.reads).toBe(720 * 30 + 8_640 * 22 + 30 * 4 * 720);
    expect(bill.writes).toBe(7_200);
    expect(bill.withFreeTierUsd).toBeCloseTo((7 - PRICES.freeSchedulerJobs) * PRICES.schedulerJobMonthUsd, 6);
    const firestore =
      (bill.reads * PRICES.hundredThousandReadsUsd + bill.writes * PRICES.hundredThousandWritesUsd) / 1e5;
    const compute =
      720 * 0.167 * PRICES.vCpuSecondUsd +
      720 * 0.25 * PRICES.gibSecondUsd +
      ((720 + 8_640 + 2_880 + 30) / 1e6) * PRICES.millionRequestsUsd;
    expect(bill.withoutFreeTierUsd).toBeCloseTo(firestore + compute + 0.7, 2);
  });

  it('grows with pairs and with shorter bars; Firestore reads pass the free quota first', () => {
    const rows = scaleTable(measured);
    expect(rows.map((r) => `${r.pairs}x${r.timeframe}`)).toEqual(['1x1h', '1x15m', '5x1h', '5x15m', '20x1h', '20x15m']);
    for (let i = 1; i < rows.length; i += 1)
      expect(rows[i]?.withoutFreeTierUsd).toBeGreaterThan(rows[i - 1]?.withoutFreeTierUsd as number);
    const big = rows.at(-1);
    expect(big?.ticks).toBe(20 * 96 * 30);
    expect(big?.reads).toBeGreaterThan(PRICES.freeReadsPerDay * 30);
    expect(big?.withFreeTierUsd).toBeGreaterThan(1);
  });
});
