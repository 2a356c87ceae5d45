import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readMacroDir } from '../lib/csv.js';
import { MACRO_SERIES, type MacroData, type MacroSeriesName } from '../../shared/core/macro.js';
import { synthChart, yahooError, type RecordedExchange } from './chart-body.js';

export type FakeRoute = 'yahoo' | 'fearGreed';

/** A failure the fake plays on the next matching requests: an HTTP status, or no answer at all. */
export interface FakeFault {
  route: FakeRoute | 'all';
  status?: number;
  hang?: boolean;
  /** How many requests it applies to (default: all until cleared). */
  times?: number;
  /** Only this Yahoo symbol (e.g. ^VIX). */
  symbol?: string;
}

export interface FakeMarketData {
  yahooBaseUrl: string;
  fearGreedBaseUrl: string;
  /** Every request served, in order. */
  readonly requests: ReadonlyArray<{ route: FakeRoute | 'unknown'; path: string }>;
  setFault(fault: FakeFault | undefined): void;
  /** Moves the fake's "now": data after it is not served yet. */
  setNowMs(nowMs: number | undefined): void;
  close(): Promise<void>;
}

export interface FakeMarketDataOptions {
  port?: number;
  macroDir: string;
  fixturesDir: string;
  /** Serve only what was published by then (a bar of day D at D 14:30 UTC; F&G at 00:00 UTC). */
  nowMs?: number;
}

const YAHOO_PREFIX = '/yahoo';
const FNG_PREFIX = '/alternative';

/**
 * A local Yahoo `chart` endpoint and alternative.me `/fng/` on one loopback port: recorded
 * fixtures are replayed as recorded; ^VIX, DX-Y.NYB, ^TNX and ^IRX are synthesised from the daily
 * CSVs in Yahoo's JSON shape; the Fear & Greed index from fear-greed-daily.csv. Faults on demand.
 */
export async function startFakeMarketData(options: FakeMarketDataOptions): Promise<FakeMarketData> {
  const macro = readMacroDir(options.macroDir);
  const fixtures = readdirSync(options.fixturesDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(options.fixturesDir, f), 'utf8')) as RecordedExchange);
  const template = fixtures.find((f) => f.request.url.includes('/chart/AAPL')) ?? fixtures[0];
  const symbolToSeries = new Map<string, MacroSeriesName>(
    (Object.entries(MACRO_SERIES) as Array<[MacroSeriesName, (typeof MACRO_SERIES)[MacroSeriesName]]>)
      .filter(([, spec]) => spec.yahooSymbol !== undefined)
      .map(([name, spec]) => [spec.yahooSymbol as string, name]),
  );
  let nowMs = options.nowMs;
  let fault: (FakeFault & { left: number }) | undefined;
  const requests: Array<{ route: FakeRoute | 'unknown'; path: string }> = [];
  const sockets = new Set<Socket>();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const route: FakeRoute | 'unknown' = url.pathname.startsWith(`${YAHOO_PREFIX}/`)
      ? 'yahoo'
      : url.pathname.startsWith(`${FNG_PREFIX}/`)
        ? 'fearGreed'
        : 'unknown';
    requests.push({ route, path: `${url.pathname}${url.search}` });
    const symbol = route === 'yahoo' ? decodeURIComponent(url.pathname.split('/').pop() ?? '') : undefined;
    if (
      fault &&
      fault.left > 0 &&
      (fault.route === 'all' || fault.route === route) &&
      (fault.symbol === undefined || fault.symbol === symbol)
    ) {
      fault.left -= 1;
      if (fault.hang) return; // never answer; close() destroys the socket
      sendJson(
        res,
        fault.status ?? 500,
        route === 'yahoo' ? yahooError('Internal Server Error', 'fault injected') : { error: 'fault injected' },
      );
      return;
    }
    if (route === 'yahoo' && url.pathname.startsWith(`${YAHOO_PREFIX}/v8/finance/chart/`)) {
      serveChart(res, symbol ?? '', url.searchParams);
    } else if (route === 'fearGreed' && url.pathname.replace(/\/$/, '') === `${FNG_PREFIX}/fng`) {
      serveFng(res, url.searchParams);
    } else {
      sendJson(res, 404, { error: `no route ${url.pathname}` });
    }
  });

  function serveChart(res: ServerResponse, symbol: string, query: URLSearchParams): void {
    const series = symbolToSeries.get(symbol);
    if (series !== undefined && macro[series] !== undefined && template !== undefined) {
      const period1 = Number(query.get('period1') ?? 0) * 1000;
      const period2 = Math.min(
        Number(query.get('period2') ?? Number.MAX_SAFE_INTEGER / 1000) * 1000,
        nowMs ?? Number.MAX_SAFE_INTEGER,
      );
      sendJson(res, 200, synthChart(template, symbol, (macro as Required<MacroData>)[series].points, period1, period2));
      return;
    }
    const recorded =
      fixtures.find((f) => f.request.url.includes(`/chart/${symbol}?`) && samePeriods(f.request.url, query)) ??
      fixtures.find((f) => f.request.url.includes(`/chart/${symbol}?`));
    if (recorded) sendJson(res, recorded.response.status, recorded.response.bodyJson);
    else sendJson(res, 404, yahooError('Not Found', 'No data found, symbol may be delisted'));
  }

  function serveFng(res: ServerResponse, query: URLSearchParams): void {
    const limit = Number(query.get('limit') ?? 1);
    const cutoff = nowMs ?? Number.MAX_SAFE_INTEGER;
    const published = (macro.fearGreed?.points ?? []).filter((p) => Date.parse(`${p.date}T00:00:00Z`) <= cutoff);
    const newestFirst = [...published].reverse();
    const rows = limit > 0 ? newestFirst.slice(0, limit) : newestFirst;
    sendJson(res, 200, {
      name: 'Fear and Greed Index',
      data: rows.map((p, i) => ({
        value: String(p.value),
        value_classification: classify(p.value),
        timestamp: String(Date.parse(`${p.date}T00:00:00Z`) / 1000),
        ...(i === 0 ? { time_until_update: '3600' } : {}),
      })),
      metadata: { error: null },
    });
  }

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    yahooBaseUrl: `${origin}${YAHOO_PREFIX}`,
    fearGreedBaseUrl: `${origin}${FNG_PREFIX}`,
    requests,
    setFault: (next) => {
      fault = next === undefined ? undefined : { ...next, left: next.times ?? Number.POSITIVE_INFINITY };
    },
    setNowMs: (next) => {
      nowMs = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function samePeriods(recordedUrl: string, query: URLSearchParams): boolean {
  const recorded = new URL(recordedUrl).searchParams;
  return recorded.get('period1') === query.get('period1') && recorded.get('period2') === query.get('period2');
}

function classify(value: number): string {
  if (value < 25) return 'Extreme Fear';
  if (value < 47) return 'Fear';
  if (value < 54) return 'Neutral';
  if (value < 76) return 'Greed';
  return 'Extreme Greed';
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
