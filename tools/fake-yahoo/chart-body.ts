import type { MacroPoint } from '../../shared/core/macro.js';

/** One recorded request/response pair as stored in data/fixtures/yahoo-finance2/. */
export interface RecordedExchange {
  request: { url: string; method: string };
  response: {
    ok: boolean;
    status: number;
    bodyJson: { chart: { result: Array<{ meta: Record<string, unknown> }> | null; error: unknown } };
  };
}

/** A daily bar of a US index is stamped at the 09:30 New York open, 14:30 UTC in winter, as Yahoo does. */
const OPEN_OFFSET_S = 14.5 * 3600;
const GMT_OFFSET_S = -18_000;

/**
 * A Yahoo `chart` answer for `symbol` from daily closes (the CSVs have closes only, so open,
 * high and low equal the close and volume is 0), in the recorded fixture's shape: its meta is the
 * template, with the fields that describe this series replaced.
 */
export function synthChart(
  template: RecordedExchange,
  symbol: string,
  points: readonly MacroPoint[],
  period1Ms: number,
  period2Ms: number,
): unknown {
  const rows = points
    .map((p) => ({ ts: Date.parse(`${p.date}T00:00:00Z`) / 1000 + OPEN_OFFSET_S, close: p.value }))
    .filter((r) => r.ts * 1000 >= period1Ms && r.ts * 1000 < period2Ms);
  const closes = rows.map((r) => r.close);
  const templateMeta = template.response.bodyJson.chart.result?.[0]?.meta ?? {};
  const last = rows[rows.length - 1];
  const meta = {
    ...templateMeta,
    currency: 'USD',
    symbol,
    exchangeName: 'NYB',
    fullExchangeName: 'ICE Futures',
    instrumentType: 'INDEX',
    gmtoffset: GMT_OFFSET_S,
    timezone: 'EST',
    exchangeTimezoneName: 'America/New_York',
    regularMarketTime: last?.ts ?? Math.floor(period2Ms / 1000),
    regularMarketPrice: last?.close ?? 0,
    chartPreviousClose: closes[0] ?? 0,
    dataGranularity: '1d',
    range: '',
  };
  delete (meta as Record<string, unknown>).longName;
  delete (meta as Record<string, unknown>).shortName;
  const result: Record<string, unknown> = { meta, indicators: { quote: [{}] } };
  if (rows.length > 0) {
    result.timestamp = rows.map((r) => r.ts);
    result.indicators = {
      quote: [{ open: closes, high: closes, low: closes, close: closes, volume: closes.map(() => 0) }],
      adjclose: [{ adjclose: closes }],
    };
  }
  return { chart: { result: [result], error: null } };
}

export function yahooError(code: string, description: string): unknown {
  return { chart: { result: null, error: { code, description } } };
}
