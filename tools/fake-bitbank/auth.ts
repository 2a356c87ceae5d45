import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * bitbank's private-API signature check, both methods:
 * - time window: `ACCESS-REQUEST-TIME` (ms) + `ACCESS-TIME-WINDOW` (default 5000, max 60000), signed
 *   string `requestTime + timeWindow + (GET: path with query | POST: raw body)`; accepted when
 *   `requestTime < serverNow + 1000` and `serverNow - requestTime <= window`;
 * - nonce: `ACCESS-NONCE`, signed string `nonce + (path | body)`, must increase on every request
 *   of the key (bitbank answers 20001 to a reused nonce, which is why concurrent nonce requests fail).
 * Checked against the WALL clock (ccxt stamps requests with the real time), never the replay clock.
 *
 * Codes: 20001 auth failed (bad signature, nonce not increasing), 20003 key not found,
 * 20004 neither nonce nor request time given, 20005 signature missing, 20033 request time not
 * a number, 20034 request time outside the window (stale or ahead), 20035 time window invalid.
 * (bitbank documents 20033-20039 as request-time/window problems without a public split; this
 * split is the fake's choice, the ranges are what clients classify by.)
 */
export const AUTH_CODES = {
  failed: 20001,
  keyNotFound: 20003,
  nonceMissing: 20004,
  signatureMissing: 20005,
  requestTimeInvalid: 20033,
  requestTimeOutsideWindow: 20034,
  timeWindowInvalid: 20035,
} as const;

export function signBitbank(secret: string, message: string): string {
  return createHmac('sha256', secret).update(message, 'utf8').digest('hex');
}

export interface SignedRequest {
  readonly method: string;
  /** Path with query exactly as sent, e.g. `/v1/user/spot/order?pair=btc_jpy&order_id=1`. */
  readonly pathWithQuery: string;
  readonly rawBody: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

function header(headers: SignedRequest['headers'], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Verifies signatures for one key; remembers the last nonce. */
export class SignatureVerifier {
  private lastNonce = -1n;

  constructor(
    private readonly apiKey: string,
    private readonly apiSecret: string,
  ) {}

  /** Returns `undefined` when the request is authentic, else bitbank's error code. */
  verify(request: SignedRequest, wallNowMs: number): number | undefined {
    const key = header(request.headers, 'access-key');
    if (key === undefined || key === '') return AUTH_CODES.failed;
    if (key !== this.apiKey) return AUTH_CODES.keyNotFound;
    const signature = header(request.headers, 'access-signature');
    if (signature === undefined || signature === '') return AUTH_CODES.signatureMissing;
    const payload = request.method.toUpperCase() === 'GET' ? request.pathWithQuery : request.rawBody;
    const requestTime = header(request.headers, 'access-request-time');
    const nonce = header(request.headers, 'access-nonce');
    if (requestTime !== undefined) {
      const windowText = header(request.headers, 'access-time-window') ?? '5000';
      if (!/^\d+$/.test(requestTime)) return AUTH_CODES.requestTimeInvalid;
      if (!/^\d+$/.test(windowText) || Number(windowText) <= 0 || Number(windowText) > 60_000)
        return AUTH_CODES.timeWindowInvalid;
      const prefix =
        header(request.headers, 'access-time-window') === undefined ? requestTime : requestTime + windowText;
      if (!sameHex(signature, signBitbank(this.apiSecret, prefix + payload))) return AUTH_CODES.failed;
      const timeMs = Number(requestTime);
      if (!(timeMs < wallNowMs + 1000) || wallNowMs - timeMs > Number(windowText))
        return AUTH_CODES.requestTimeOutsideWindow;
      return undefined;
    }
    if (nonce === undefined) return AUTH_CODES.nonceMissing;
    if (!/^\d+$/.test(nonce)) return AUTH_CODES.failed;
    if (!sameHex(signature, signBitbank(this.apiSecret, nonce + payload))) return AUTH_CODES.failed;
    const value = BigInt(nonce);
    if (value <= this.lastNonce) return AUTH_CODES.failed;
    this.lastNonce = value;
    return undefined;
  }
}
