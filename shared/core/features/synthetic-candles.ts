import { HOUR_MS, type Candle } from '../candle.js';

/** A deterministic random walk (seeded LCG), hourly from 2021-01-01, for tests and benches. */
export function syntheticCandles(count: number, seed = 7): Candle[] {
  let state = seed;
  const next = (): number => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296;
  };
  const out: Candle[] = [];
  let close = 5_000_000;
  for (let i = 0; i < count; i += 1) {
    const open = close;
    close = open * Math.exp((next() - 0.5) * 0.02);
    const high = Math.max(open, close) * (1 + next() * 0.005);
    const low = Math.min(open, close) * (1 - next() * 0.005);
    out.push({ openTimeMs: Date.UTC(2021, 0, 1) + i * HOUR_MS, open, high, low, close, volume: 1 + next() * 50 });
  }
  return out;
}
