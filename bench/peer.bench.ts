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
// Each run is timed 5 times, alternating (the first run of each pays for the JIT's warm-up); the median counts.
const RUNS = 5;
const oursMs: number[] = [];
const peerMs: number[] = [];
const oursCpu: number[] = [];
const peerCpu: number[] = [];
let ours = runOurs(candles, p);
let peer = runGrademark(candles, p);
for (let r = 0; r < RUNS; r += 1) {
  ours = runOurs(candles, p);
  peer = runGrademark(candles, p);
  oursMs.push(ours.ms);
  peerMs.push(peer.ms);
  oursCpu.push(ours.cpuMs);
  peerCpu.push(peer.cpuMs);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const comparison = compareTrades(ours.trades, peer.trades);
const perSecond = (ms: number) => Math.round(bars / (ms / 1000));
// CPU time: what each run spends whatever else shares the two cores (wall time alongside).
const [oursMedian, peerMedian] = [median(oursCpu), median(peerCpu)];
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
    cpuMs: {
      ours: Math.round(oursMedian),
      grademark: Math.round(peerMedian),
      oursRuns: oursCpu.map(Math.round),
      grademarkRuns: peerCpu.map(Math.round),
    },
    wallMs: { ours: Math.round(median(oursMs)), grademark: Math.round(median(peerMs)) },
    barsPerSecond: { ours: perSecond(oursMedian), grademark: perSecond(peerMedian) },
    ratioOursOverGrademark: Math.round((peerMedian / oursMedian) * 100) / 100,
    note: 'process CPU ms, median of 5 alternating runs after one untimed run each (bars per second from it); ours: runBacktest with the plug-in under strategyPlanner (signal computed per bar from its window); grademark: its signal computed beforehand, DataFrame built, backtest()',
  }),
);
