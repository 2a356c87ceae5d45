import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The dashboard: one HTML page, no build step. The lightweight-charts standalone build is inlined
 * (read once per instance, from a copy next to the bundle or the installed package); the page's script fetches
 * `dashboard/data.json` and draws price with trades, equity with drawdown, the health checks,
 * recent ticks and incidents.
 */
export const CHART_LIBRARY_FILE = 'lightweight-charts.standalone.production.js';

/** The standalone build in the installed package, found by the package resolver (throws when not installed). */
export function chartLibraryFile(): string {
  return join(
    dirname(createRequire(import.meta.url).resolve('lightweight-charts/package.json')),
    'dist',
    CHART_LIBRARY_FILE,
  );
}

/** Where the standalone build is: next to the bundle (a deploy copies it there), else the installed package. */
function chartLibraryPaths(): string[] {
  const paths = [fileURLToPath(new URL(`./${CHART_LIBRARY_FILE}`, import.meta.url))];
  try {
    paths.push(chartLibraryFile());
  } catch {
    // not installed (a bundle): only the copy next to it can serve
  }
  return paths;
}

let chartLibrary: string | undefined;
function chartLibraryText(): string {
  if (chartLibrary === undefined) {
    const found = chartLibraryPaths().find((p) => existsSync(p));
    // Without the library the page still loads and says so in place of the charts.
    chartLibrary = found
      ? readFileSync(found, 'utf8').replace(/<\/script/gi, '<\\/script')
      : 'window.LightweightCharts = undefined;';
  }
  return chartLibrary;
}

const STYLE = `body{font:14px system-ui,sans-serif;margin:16px;background:#0f1419;color:#e6e6e6}h1{font-size:20px}h2{font-size:16px;margin:18px 0 6px}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}.chart{height:320px;background:#151b22}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #2a323c;padding:3px 6px;text-align:left;font-size:12px}.ok{color:#4caf50}.warn{color:#ffb300}.fail{color:#ef5350}.skipped{color:#888}
#banner{padding:8px;border-radius:4px;margin-bottom:8px}`;

const SCRIPT = `
const $ = (id) => document.getElementById(id);
const esc = (v) => String(v ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
function table(el, rows, cols) {
  el.innerHTML = '<tr>' + cols.map((c) => '<th>' + esc(c) + '</th>').join('') + '</tr>' +
    rows.map((r) => '<tr>' + cols.map((c) => '<td class="' + esc(r._class ?? '') + '">' + esc(typeof r[c] === 'object' && r[c] !== null ? JSON.stringify(r[c]) : r[c]) + '</td>').join('') + '</tr>').join('');
}
async function main() {
  const url = location.pathname.replace(/\\/+$/, '') + '/data.json';
  const res = await fetch(url);
  const d = await res.json();
  $('banner').textContent = (d.health.status === 'ok' ? 'Healthy' : 'FAILING: ' + d.health.failing.join(', ')) + ' | mode ' + d.mode + ' | ' + d.pair + ' | ' + d.generatedAt;
  $('banner').className = d.health.status === 'ok' ? 'ok' : 'fail';
  const last = d.ticks[0];
  $('last-tick').textContent = last ? 'Last tick: ' + last.bar + ' ' + (last.outcome ?? last.status) + (last.code ? ' (' + last.code + ')' : '') + (last.latencyMs !== null ? ', ' + Math.round(last.latencyMs) + ' ms' : '') : 'Last tick: none recorded';
  table($('checks'), Object.entries(d.health.checks).map(([name, c]) => ({ check: name, status: c.status, codes: (c.codes ?? []).join(' '), detail: c.detail, _class: c.status })), ['check', 'status', 'codes', 'detail']);
  table($('ticks'), d.ticks.map((t) => ({ ...t, _class: t.outcome === 'ok' ? 'ok' : t.outcome === 'failed' ? 'fail' : 'warn' })), ['bar', 'status', 'outcome', 'code', 'latencyMs', 'decision']);
  table($('incidents'), d.incidents.map((i) => ({ ...i, _class: i.status === 'open' ? 'fail' : 'ok' })), ['code', 'status', 'openedAt', 'resolvedAt', 'lastCount', 'attempts', 'recovery']);
  const p = d.performance;
  table($('performance'), ['winRate', 'kelly', 'maxDrawdown', 'sharpe'].map((k) => ({ metric: k, value: p[k].value === null ? '-' : p[k].value.toFixed(4), grade: p[k].grade, _class: p[k].grade === 'good' ? 'ok' : p[k].grade === 'poor' ? 'fail' : 'warn' })).concat([{ metric: 'trades', value: p.trades, grade: '' }, { metric: 'profit JPY', value: p.totalProfitJpy.toFixed(0), grade: '' }]), ['metric', 'value', 'grade']);
  const LW = window.LightweightCharts;
  if (!LW) { $('price').textContent = 'chart library not available'; return; }
  const opts = { layout: { background: { color: '#151b22' }, textColor: '#ccc' }, grid: { vertLines: { color: '#222' }, horzLines: { color: '#222' } }, timeScale: { timeVisible: true } };
  const price = LW.createChart($('price'), opts);
  const candles = price.addSeries(LW.CandlestickSeries, {});
  candles.setData(d.candles);
  const markers = d.trades.flatMap((t) => [
    { time: t.entryTime - (t.entryTime % 3600), position: t.side === 'long' ? 'belowBar' : 'aboveBar', color: '#2196f3', shape: t.side === 'long' ? 'arrowUp' : 'arrowDown', text: t.side },
    { time: t.exitTime - (t.exitTime % 3600), position: 'aboveBar', color: t.pnlJpy >= 0 ? '#4caf50' : '#ef5350', shape: 'circle', text: Math.round(t.pnlJpy) + ' JPY' },
  ]).filter((m) => d.candles.length > 0 && m.time >= d.candles[0].time).sort((a, b) => a.time - b.time);
  LW.createSeriesMarkers(candles, markers);
  price.timeScale().fitContent();
  const eq = LW.createChart($('equity'), opts);
  eq.addSeries(LW.LineSeries, { color: '#4caf50', priceScaleId: 'right' }).setData(d.equity.map((e) => ({ time: e.time, value: e.equityJpy })));
  eq.addSeries(LW.HistogramSeries, { color: '#ef5350', priceScaleId: 'left' }).setData(d.equity.map((e) => ({ time: e.time, value: -e.drawdown * 100 })));
  eq.applyOptions({ leftPriceScale: { visible: true } });
  eq.timeScale().fitContent();
  document.body.dataset.ready = 'true';
}
main().catch((e) => { $('banner').textContent = 'dashboard failed: ' + e.message; $('banner').className = 'fail'; document.body.dataset.ready = 'error'; });
`;

export function dashboardPage(title = 'crypto-bot'): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} dashboard</title><link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${STYLE}</style></head><body>
<h1>${title}</h1><div id="banner">loading...</div><div id="last-tick"></div>
<div class="grid"><div><h2>Price and trades</h2><div id="price" class="chart"></div></div><div><h2>Equity and drawdown (%)</h2><div id="equity" class="chart"></div></div></div>
<div class="grid"><div><h2>Health checks</h2><table id="checks"></table></div><div><h2>Performance</h2><table id="performance"></table></div></div>
<div class="grid"><div><h2>Recent ticks</h2><table id="ticks"></table></div><div><h2>Incidents</h2><table id="incidents"></table></div></div>
<script>${chartLibraryText()}</script><script>${SCRIPT}</script></body></html>`;
}
