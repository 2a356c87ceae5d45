/**
 * Side by side with a peer: the moving-average crossover (bench/peer/side-by-side.ts states the
 * rules) through this backtester and through grademark on the same 60,000 hourly bars, trade lists
 * compared one for one, bars per second of each. Prints one JSON object.
 * Run: `npx tsx bench/peer.bench.ts [bars] [fastBars] [slowBars]`.
 *
 * Bars: data/candles/binance-btcusdt-1h-2017-2022.csv (x150 JPY) is 45,024 bars with gaps. Its bars
 * are laid end to end on a gap-free hourly grid (a gap would close a position in this backtester
 * and not in grademark), and the series is continued from its own start, scaled so that its first
 * open is the last close, until there are 60,000.
 */
import { fileURLToPath } from 'node:url';
import { HOUR_MS, type Candle } from '../shared/core/candle.js';
import { readCandlesCsv } from '../tools/lib/csv.js';
import { compareTrades, runGrademark, runOurs } from './peer/side-by-side.js';

const bars = Number(process.argv[2] ?? 60_000);
const p = { fastBars: Number(process.argv[3] ?? 10), slowBars: Number(process.argv[4] ?? 40) };
const FILE = 'data/candles/binance-btcusdt-1h-2017-2022.csv';

export function sixtyThousand(file: readonly Candle[], n: number): Candle[] {
  const out: Candle[] = [];
  const t0 = (file[0] as Candle).openTimeMs;
  let scale = 1;
  while (out.length < n) {
    for (const c of file) {
      if (out.length === n) break;
      out.push({
        openTimeMs: t0 + out.length * HOUR_MS,
        open: c.open * scale,
        high: c.high * scale,
        low: c.low * scale,
        close: c.close * scale,
        volume: c.volume,
      });
    }
    scale = (out[out.length - 1] as Candle).close / (file[0] as Candle).open;
  }
  return out;
}

const file = readCandlesCsv(fileURLToPath(new URL(`../${FILE}`, import.meta.url)), { quotePerUsd: 150 });
const candles = sixtyThousand(file, bars);
// One warm-up run each (JIT), then the timed run.
runOurs(candles.slice(0, 5_000), p);
runGrademark(candles.slice(0, 5_000), p);
const ours = runOurs(candles, p);
const peer = runGrademark(candles, p);
const comparison = compareTrades(ours.trades, peer.trades);
const perSecond = (ms: number) => Math.round(bars / (ms / 1000));
console.log(
  JSON.stringify({
    bench: 'peer-side-by-side',
    strategy: `sma-cross ${p.fastBars}/${p.slowBars}, long or flat, next-bar-open fills, the same taker fee`,
    data: `${FILE} (${file.length} bars, gaps closed up) continued from its start to ${bars} contiguous hourly bars`,
    bars,
    trades: {
      ours: comparison.ours,
      grademark: comparison.peer,
      identical: comparison.identical,
      different: comparison.different,
      maxNetPnlDiffJpy: comparison.maxPnlDiffJpy,
      firstDifferences: comparison.differences,
    },
    ms: { ours: Math.round(ours.ms), grademark: Math.round(peer.ms) },
    barsPerSecond: { ours: perSecond(ours.ms), grademark: perSecond(peer.ms) },
    ratioOursOverGrademark: Math.round((peer.ms / ours.ms) * 100) / 100,
    note: 'wall ms of one run after a warm-up of 5,000 bars each; ours: runBacktest with the plug-in under strategyPlanner (signal computed per bar from its window); grademark: its signal computed beforehand, DataFrame built, backtest()',
  }),
);
