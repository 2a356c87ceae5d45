/**
 * bitbank's per-user limits (QUERY 10/s, UPDATE 6/s): a sliding one-second window per key and
 * class. Off unless the server is started with `rateLimit`; over the limit the router answers
 * HTTP 429 with code 10009.
 */
export interface RateLimits {
  queryPerSecond: number;
  updatePerSecond: number;
}

export const BITBANK_RATE_LIMITS: RateLimits = { queryPerSecond: 10, updatePerSecond: 6 };

const UPDATE_PATHS = new Set(['/v1/user/spot/order', '/v1/user/spot/cancel_order', '/v1/user/spot/cancel_orders']);

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly limits: RateLimits) {}

  /** Records the request; returns false when it is over the limit (and then is not counted). */
  allow(key: string, method: string, path: string, wallNowMs: number): boolean {
    const isUpdate = method.toUpperCase() === 'POST' && UPDATE_PATHS.has(path);
    const bucket = `${key}:${isUpdate ? 'update' : 'query'}`;
    const recent = (this.hits.get(bucket) ?? []).filter((t) => t > wallNowMs - 1000);
    if (recent.length >= (isUpdate ? this.limits.updatePerSecond : this.limits.queryPerSecond)) {
      this.hits.set(bucket, recent);
      return false;
    }
    recent.push(wallNowMs);
    this.hits.set(bucket, recent);
    return true;
  }
}
