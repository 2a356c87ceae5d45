import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Candle } from '../../shared/core/candle.js';
import { handleAdmin } from './admin.js';
import { SignatureVerifier } from './auth.js';
import { FakeExchange } from './exchange.js';
import { faultResponse, Faults, lateAcceptTiming } from './faults.js';
import { BitbankApiError } from './order-request.js';
import { BITBANK_RATE_LIMITS, RateLimiter, type RateLimits } from './rate-limit.js';
import { resolveRoute } from './routes.js';

export interface FakeBitbankOptions {
  port?: number;
  /** Replayed 1h candles, prices already in JPY. */
  candles: readonly Candle[];
  apiKey?: string;
  apiSecret?: string;
  /** Replay clock start (default: close of the 200th candle). */
  nowMs?: number;
  initialJpy?: number;
  initialBtc?: number;
  /** Answer 429/10009 over bitbank's per-key limits (true = QUERY 10/s, UPDATE 6/s). Off by default. */
  rateLimit?: boolean | RateLimits;
  /** A resting limit fills at most this fraction of a bar's volume per bar. Default 0.1. */
  maxFillFractionOfVolume?: number;
}

export interface FakeBitbank {
  /** http://127.0.0.1:PORT: public, private /v1 and /spot/pairs all on it. */
  url: string;
  /** Same as POST /__admin/clock: fills resting orders that the bars between old and new time cross. */
  setClock(nowMs: number): Promise<void>;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(raw: string): Record<string, unknown> | undefined {
  if (raw.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(raw);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Starts the fake bitbank on 127.0.0.1 (see README section "Fake bitbank"). */
export async function startFakeBitbank(options: FakeBitbankOptions): Promise<FakeBitbank> {
  const exchange = new FakeExchange(options);
  const verifier = new SignatureVerifier(options.apiKey ?? 'fake-key', options.apiSecret ?? 'fake-secret');
  const faults = new Faults();
  const limits = options.rateLimit === true ? BITBANK_RATE_LIMITS : options.rateLimit || undefined;
  const limiter = limits ? new RateLimiter(limits) : undefined;
  const requestCounts = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  let sequence = 0;

  const wait = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => (timers.delete(timer), resolve()), ms);
      timers.add(timer);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    if (url.pathname.startsWith('/__admin/')) {
      try {
        const [status, body] = handleAdmin(
          { exchange, faults, requestCounts },
          method,
          url.pathname,
          parseJson(raw) ?? {},
        ) ?? [404, {}];
        send(res, status, body);
      } catch (error) {
        send(res, 400, { error: error instanceof Error ? error.message : String(error) });
      }
      return;
    }
    requestCounts.set(url.pathname, (requestCounts.get(url.pathname) ?? 0) + 1);
    const fault = faults.take(method, url.pathname);
    if (fault?.kind === 'hang') return; // never answered; close() destroys the socket
    if (fault?.kind === 'late-accept') {
      // Judged as it arrived, applied later whether or not the client still waits, answered later (or never).
      const arrivedMs = Date.now();
      const { acceptAfterMs, answerAfterMs } = lateAcceptTiming(fault);
      const apply = admit(method, url, raw, req);
      if (acceptAfterMs > 0) await wait(acceptAfterMs);
      const [status, body] = apply();
      if (answerAfterMs === undefined) return; // never answered; close() destroys the socket
      await wait(Math.max(0, arrivedMs + answerAfterMs - Date.now()));
      if (!res.destroyed) send(res, status, body);
      return;
    }
    if (fault?.kind === 'latency') {
      await wait(fault.latencyMs ?? 1000);
      if (res.destroyed) return;
    } else if (fault && fault.kind !== 'drop-after-accept') {
      const { status, body } = faultResponse(fault);
      send(res, status, body);
      return;
    }
    const [status, body] = admit(method, url, raw, req)();
    if (fault?.kind === 'drop-after-accept') {
      req.socket.destroy();
      return;
    }
    send(res, status, body);
  };

  /**
   * Checks a request as it arrives (route, rate limit, signature against the wall clock, body) and
   * returns what applies it to the exchange and gives the answer; a refused request applies nothing.
   */
  const admit = (method: string, url: URL, raw: string, req: IncomingMessage): (() => [number, unknown]) => {
    const refusal = (error: unknown): (() => [number, unknown]) => {
      const answer: [number, unknown] =
        error instanceof BitbankApiError
          ? [error.httpStatus, { success: 0, data: { code: error.code } }]
          : [500, { success: 0, data: { code: 10001 } }];
      return () => answer;
    };
    try {
      const route = resolveRoute(exchange, method, url.pathname, () => ++sequence);
      if (!route) throw new BitbankApiError(10000, 404);
      if (route.signed) {
        const key = String(req.headers['access-key'] ?? '');
        if (limiter && !limiter.allow(key, method, url.pathname, Date.now())) throw new BitbankApiError(10009, 429);
        const code = verifier.verify(
          { method, pathWithQuery: url.pathname + url.search, rawBody: raw, headers: req.headers },
          Date.now(),
        );
        if (code !== undefined) throw new BitbankApiError(code);
      }
      const body = method === 'POST' ? parseJson(raw) : {};
      if (!body) throw new BitbankApiError(10002);
      return () => {
        try {
          return [200, { success: 1, data: route.handle({ query: Object.fromEntries(url.searchParams), body }) }];
        } catch (error) {
          return refusal(error)();
        }
      };
    } catch (error) {
      return refusal(error);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { success: 0, data: { code: 10001 } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setClock: async (nowMs) => exchange.setClock(nowMs),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
