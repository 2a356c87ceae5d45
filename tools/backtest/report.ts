import { readFileSync } from 'node:fs';
import { chartLibraryFile } from '../../shared/app/dashboard/page.js';
import { drawdownSeries } from '../../shared/core/performance/index.js';
import type { BacktestRun } from './run.js';

/** The library's standalone build (window.LightweightCharts), inlined so the page needs nothing else. */
function chartLibrary(): string {
  return readFileSync(chartLibraryFile(), 'utf8').replace(/<\/script/gi, '<\\/script');
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON safe inside a <script> element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** Keeps at most `max` points (every k-th) so the page stays light for long runs. */
function series(times: Float64Array, values: ArrayLike<number>, max = 50_000) {
  const step = Math.max(1, Math.ceil(times.length / max));
  const out: Array<{ time: number; value: number }> = [];
  for (let i = 0; i < times.length; i += step)
    out.push({ time: Math.floor((times[i] as number) / 1000), value: Number((values[i] as number).toFixed(2)) });
  return out;
}

/** One self-contained HTML page: price with entries and exits, equity against buy-and-hold, drawdown. */
export function renderReport(run: BacktestRun, summary: Record<string, unknown>): string {
  const { result } = run;
  const hold = run.baselines.buyAndHold.result;
  const markers = result.trades
    .flatMap((t) => [
      {
        time: Math.floor(t.entryTimeMs / 1000 / 3600) * 3600,
        position: t.side === 'long' ? 'belowBar' : 'aboveBar',
        color: t.side === 'long' ? '#2e7d32' : '#c62828',
        shape: t.side === 'long' ? 'arrowUp' : 'arrowDown',
        text: t.side,
      },
      {
        time: Math.floor(t.exitTimeMs / 1000 / 3600) * 3600,
        position: 'inBar',
        color: '#555',
        shape: 'circle',
        text: t.exitReason,
      },
    ])
    .sort((a, b) => a.time - b.time);
  const data = {
    price: series(result.openTimeMs, result.closeJpy),
    equity: series(result.openTimeMs, result.equityJpy),
    hold: series(hold.openTimeMs, hold.equityJpy),
    drawdown: series(
      result.openTimeMs,
      Array.from(drawdownSeries(result.equityJpy), (d) => -d * 100),
    ),
    // Many trades: shapes without labels, so the price stays readable.
    markers: markers.length > 300 ? markers.map((m) => ({ ...m, text: '', size: 0.5 })) : markers,
  };
  const rows = Object.entries(summary)
    .filter(([, v]) => typeof v !== 'object' || v === null)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(String(v))}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>crypto-bot backtest</title>
<style>body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}h2{margin-top:1.5rem}.chart{height:320px}table{border-collapse:collapse}th,td{padding:2px 10px;text-align:left;border-bottom:1px solid #eee}pre{background:#f6f6f6;padding:8px;overflow:auto}</style>
</head><body>
<h1>Backtest</h1>
<p>Prices are the candle file's scaled by quotePerUsd; orders fill at the next bar's open, stops at the stop or a worse gap-open, fees, slippage and margin interest included. Past results do not predict future ones.</p>
<table>${rows}</table>
<h2>Price with entries and exits</h2><div id="price" class="chart"></div>
<h2>Equity (model) vs buy-and-hold (same size)</h2><div id="equity" class="chart"></div>
<h2>Drawdown, %</h2><div id="drawdown" class="chart"></div>
<h2>Baselines and model</h2><pre>${escapeHtml(JSON.stringify({ baselines: summary.baselines, model: summary.model, holdCodes: summary.holdCodes, exitReasons: summary.exitReasons }, null, 2))}</pre>
<script>${chartLibrary()}</script>
<script>
const data = ${scriptJson(data)};
const LC = window.LightweightCharts;
function chart(id) { return LC.createChart(document.getElementById(id), { autoSize: true, timeScale: { timeVisible: true, minBarSpacing: 0.01 } }); }
const price = chart('price');
const line = price.addSeries(LC.LineSeries, { color: '#1565c0', lineWidth: 1 });
line.setData(data.price);
if (data.markers.length) LC.createSeriesMarkers(line, data.markers);
const equity = chart('equity');
equity.addSeries(LC.LineSeries, { color: '#2e7d32', lineWidth: 2, title: 'model' }).setData(data.equity);
equity.addSeries(LC.LineSeries, { color: '#9e9e9e', lineWidth: 1, title: 'buy and hold' }).setData(data.hold);
const dd = chart('drawdown');
dd.addSeries(LC.AreaSeries, { lineColor: '#c62828', topColor: 'rgba(198,40,40,0.1)', bottomColor: 'rgba(198,40,40,0.4)' }).setData(data.drawdown);
for (const c of [price, equity, dd]) c.timeScale().fitContent();
</script>
</body></html>
`;
}
