import BitbankBase from './ccxt-bitbank.js';
import { BitbankApiError, BitbankHttpError } from './errors.js';

export type BitbankAuthMethod = 'time-window' | 'nonce';

export interface BitbankClientOptions {
  publicUrl: string;
  privateUrl: string;
  marketsUrl: string;
  apiKey?: string;
  apiSecret?: string;
  authMethod: BitbankAuthMethod;
  /** ccxt's own request timeout; the adapter's deadline is the same number. */
  timeoutMs: number;
}

type Json = Record<string, unknown>;

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/**
 * ccxt's bitbank with its error handling replaced: every failure carries bitbank's code or the
 * HTTP status, and `translateBitbankError` maps it once. ccxt's own throttle is off (the adapter
 * has its own limiter on the injected clock).
 */
export class BitbankCcxt extends BitbankBase {
  override handleErrors(
    httpCode: number,
    _reason: string,
    url: string,
    _method: string,
    headers: Json,
    _body: string,
    response: unknown,
  ): undefined {
    const envelope = response as { success?: unknown; data?: { code?: unknown } } | undefined;
    if (envelope && typeof envelope === 'object' && Number(envelope.success) !== 1) {
      const code = Number(envelope.data?.code);
      if (Number.isInteger(code)) throw new BitbankApiError(code, httpCode, pathOf(url));
    }
    if (httpCode >= 400) {
      const retryAfterSeconds = Number(headers?.['Retry-After'] ?? headers?.['retry-after']);
      throw new BitbankHttpError(
        httpCode,
        pathOf(url),
        Number.isFinite(retryAfterSeconds) ? retryAfterSeconds * 1000 : undefined,
      );
    }
    if (envelope === undefined || typeof envelope !== 'object') throw new BitbankHttpError(httpCode, pathOf(url));
    return undefined;
  }
}

export function createBitbankCcxt(options: BitbankClientOptions): BitbankCcxt {
  return new BitbankCcxt({
    apiKey: options.apiKey,
    secret: options.apiSecret,
    timeout: options.timeoutMs,
    enableRateLimit: false,
    urls: {
      api: {
        public: options.publicUrl.replace(/\/+$/, ''),
        private: options.privateUrl.replace(/\/+$/, ''),
        markets: options.marketsUrl.replace(/\/+$/, ''),
      },
    },
    options: { authMethod: options.authMethod === 'nonce' ? 'nonce' : 'timeWindow' },
  });
}

/** The implicit (raw) endpoints the adapter calls: bitbank's own JSON, strings kept exact. */
export interface BitbankRaw {
  publicGetPairTicker(params: Json): Promise<Json>;
  publicGetPairCircuitBreakInfo(params: Json): Promise<Json>;
  privateGetUserAssets(params?: Json): Promise<Json>;
  privateGetUserSpotOrder(params: Json): Promise<Json>;
  privatePostUserSpotOrder(params: Json): Promise<Json>;
  privatePostUserSpotCancelOrder(params: Json): Promise<Json>;
  privateGetUserSpotActiveOrders(params: Json): Promise<Json>;
  privateGetUserSpotTradeHistory(params: Json): Promise<Json>;
  privateGetUserMarginStatus(params?: Json): Promise<Json>;
  privateGetUserMarginPositions(params?: Json): Promise<Json>;
  privateGetSpotStatus(params?: Json): Promise<Json>;
}
