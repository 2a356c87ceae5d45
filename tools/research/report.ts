import { drawdownSeries } from '../../shared/core/performance/index.js';
import type { Curve, ResearchOutcome, ScoredFigures } from './run.js';

const COLOURS = ['#1565c0', '#9e9e9e', '#ef6c00', '#6a1b9a', '#2e7d32', '#c62828'];
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const W = 960;
const H = 320;
const PAD = 48;

/** An inline SVG line chart (no script, no network): one polyline per series, x = time, y = value (log scale optional). */
function chart(curves: readonly { name: string; dayMs: readonly number[]; values: ArrayLike<number> }[], title: string, log: boolean, unit: string): string {
  const points = curves.flatMap((c) => Array.from(c.values, (v, i) => ({ t: c.dayMs[Math.min(i, c.dayMs.length - 1)] ?? 0, v })));
  if (points.length === 0) return '';
  const f = (v: number) => (log ? Math.log(Math.max(v, 1e-6)) : v);
  const t0 = Math.min(...points.map((p) => p.t));
  const t1 = Math.max(...points.map((p) => p.t));
  const v0 = Math.min(...points.map((p) => f(p.v)));
  const v1 = Math.max(...points.map((p) => f(p.v)));
  const x = (t: number) => PAD + ((t - t0) / Math.max(1, t1 - t0)) * (W - 2 * PAD);
  const y = (v: number) => H - PAD - ((f(v) - v0) / Math.max(1e-9, v1 - v0)) * (H - 2 * PAD);
  const lines = curves.map((c, k) => {
    const step = Math.max(1, Math.ceil(c.values.length / 1500));
    const pts: string[] = [];
    for (let i = 0; i < c.values.length; i += step) pts.push(`${x(c.dayMs[Math.min(i, c.dayMs.length - 1)] ?? t0).toFixed(1)},${y(c.values[i] as number).toFixed(1)}`);
    return `<polyline fill="none" stroke="${COLOURS[k % COLOURS.length]}" stroke-width="${k === 0 ? 2.2 : 1.2}" points="${pts.join(' ')}"/>`;
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((q) => {
    const fv = v0 + q * (v1 - v0);
    const v = log ? Math.exp(fv) : fv;
    const yy = H - PAD - q * (H - 2 * PAD);
    return `<line x1="${PAD}" x2="${W - PAD}" y1="${yy}" y2="${yy}" stroke="#eee"/><text x="4" y="${yy + 4}" font-size="11">${v.toFixed(2)}${unit}</text>`;
  });
  const years: string[] = [];
  for (let yr = new Date(t0).getUTCFullYear() + 1; Date.UTC(yr, 0, 1) <= t1; yr += 1) {
    const xx = x(Date.UTC(yr, 0, 1));
    years.push(`<line x1="${xx}" x2="${xx}" y1="${PAD}" y2="${H - PAD}" stroke="#eee"/><text x="${xx - 14}" y="${H - PAD + 16}" font-size="11">${yr}</text>`);
  }
  const legend = curves.map((c, k) => `<tspan fill="${COLOURS[k % COLOURS.length]}">&#9632; ${escapeHtml(c.name)}</tspan>`).join('  ');
  return `<h2>${escapeHtml(title)}</h2><svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img">${ticks.join('')}${years.join('')}${lines.join('')}<text x="${PAD}" y="20" font-size="12">${legend}</text></svg>`;
}

function figuresTable(rows: readonly ScoredFigures[]): string {
  const cols: Array<[string, (f: ScoredFigures) => unknown]> = [
    ['', (f) => f.name], ['Sharpe', (f) => f.sharpe], ['return %', (f) => f.totalReturnPct], ['CAGR %', (f) => f.cagrPct], ['max DD %', (f) => f.maxDrawdownPct],
    ['exposure %', (f) => f.exposurePct], ['round trips', (f) => f.roundTrips], ['per month', (f) => f.roundTripsPerMonth], ['turnover/yr', (f) => f.turnoverPerYear],
    ['fees JPY', (f) => f.feesJpy], ['interest JPY', (f) => f.interestJpy], ['costs % of start', (f) => f.costsPct], ['costs %/yr of mean equity', (f) => f.costsPerYearPct],
    ['long trades / PnL', (f) => `${f.bySide.long.trades} / ${f.bySide.long.pnlJpy}`], ['short trades / PnL', (f) => `${f.bySide.short.trades} / ${f.bySide.short.pnlJpy}`],
  ];
  return table(cols.map(([h]) => h), rows.map((r) => cols.map(([, g]) => g(r))));
}

function table(head: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cell = (v: unknown) => `<td>${escapeHtml(v === null || v === undefined ? '-' : String(v))}</td>`;
  return `<table><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('')}</table>`;
}

/** One self-contained HTML page: equity against the baselines and drawdowns as pictures, then the tables. */
export function renderResearchReport(outcome: ResearchOutcome, summary: Record<string, unknown>): string {
  const all = [outcome.strategy, ...outcome.baselines];
  const equity = outcome.curves.map((c: Curve) => ({ name: c.name, dayMs: [c.dayMs[0] ?? 0, ...c.dayMs], values: c.equity }));
  const drawdowns = outcome.curves.filter((c) => c.name !== 'flat').map((c) => ({ name: c.name, dayMs: [c.dayMs[0] ?? 0, ...c.dayMs], values: Array.from(drawdownSeries(c.equity), (d) => -d * 100) }));
  const years = [...new Set(all.flatMap((f) => f.perYear.map((y) => y.year)))].sort();
  const perYear = table(['year', ...all.map((f) => `${f.name} return % / Sharpe / DD %`)], years.map((yr) => [yr, ...all.map((f) => {
    const y = f.perYear.find((p) => p.year === yr);
    return y ? `${y.returnPct} / ${y.sharpe ?? '-'} / ${y.maxDrawdownPct}` : '-';
  })]));
  const folds = table(['test window', 'chosen configuration'], outcome.folds.map((f) => [`${new Date(f.testFromMs).toISOString().slice(0, 10)} .. ${new Date(f.testToMs).toISOString().slice(0, 10)}`, JSON.stringify(outcome.configs[f.chosen]?.params ?? {})]));
  const configs = table(['#', 'parameters', 'Sharpe (test span)', 'max DD %', 'round trips / month'], outcome.configs.map((c, i) => [i, JSON.stringify(c.params), c.figures.sharpe, c.figures.maxDrawdownPct, c.figures.roundTripsPerMonth]));
  const head = JSON.stringify({ ...summary, figures: undefined, baselines: undefined }, null, 2);
  return `<!doctype html><html><head><meta charset="utf-8"><title>research: ${escapeHtml(outcome.strategy.name)} (${outcome.phase})</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;max-width:1100px}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}th{background:#f5f5f5}pre{background:#fafafa;padding:8px;overflow:auto}</style></head><body>
<h1>${escapeHtml(outcome.strategy.name)}: ${outcome.phase === 'holdout' ? 'hold-out (used once)' : 'purged walk-forward'}</h1>
${chart(equity, 'Equity (log scale, 1 = start of the scored window) against the baselines', true, 'x')}
${chart(drawdowns, 'Drawdown from the peak, %', false, ' %')}
<h2>Figures (after fees, slippage and margin interest)</h2>${figuresTable(all)}
<h2>Per year</h2>${perYear}
<h2>Walk-forward folds</h2>${folds}
<h2>Every configuration tried (logged to the trial log)</h2>${configs}
<h2>Run</h2><pre>${escapeHtml(head)}</pre>
</body></html>`;
}
