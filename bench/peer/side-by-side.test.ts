import { describe, expect, it } from 'vitest';
import { HOUR_MS, type Candle } from '../../shared/core/candle.js';
import { seededRandom } from '../../shared/core/model/prng.js';
import { compareTrades, runGrademark, runOurs } from './side-by-side.js';

/** A random walk with trends, contiguous hourly bars. */
function walk(bars: number, seed: number): Candle[] {
  const random = seededRandom(seed);
  const out: Candle[] = [];
  let price = 5_000_000;
  for (let i = 0; i < bars; i += 1) {
    const open = price;
    price *= Math.exp(0.006 * (random() - 0.5) * 2 + 0.001 * Math.sin(i / 40));
    out.push({
      openTimeMs: Date.UTC(2024, 0, 1) + i * HOUR_MS,
      open,
      high: Math.max(open, price) * 1.001,
      low: Math.min(open, price) * 0.999,
      close: price,
      volume: 1,
    });
  }
  return out;
}

describe('sma-cross through this backtester and through grademark', () => {
  it.each([1, 2, 3])(
    'the trade lists match one for one on 400 synthetic bars (seed %i), net P&L with the same fee',
    (seed) => {
      const candles = walk(400, seed);
      const p = { fastBars: 5, slowBars: 20 };
      const ours = runOurs(candles, p);
      const peer = runGrademark(candles, p);
      expect(ours.amountsBtc.map(Number)).toEqual([0.01]);
      expect(ours.trades.length).toBeGreaterThan(5);
      const c = compareTrades(ours.trades, peer.trades);
      expect(c.differences).toEqual([]);
      expect(c.identical).toBe(true);
    },
  );

  it("deciding on fill bars too (this backtester's default) gives a different list: the stated rule matters", () => {
    const candles = walk(400, 1);
    const p = { fastBars: 5, slowBars: 20 };
    const ours = runOurs(candles, { ...p, decideOnFillBar: true });
    const peer = runGrademark(candles, p);
    expect(compareTrades(ours.trades, peer.trades).identical).toBe(false);
  });
});
