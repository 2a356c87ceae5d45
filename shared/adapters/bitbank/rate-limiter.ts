import type { Clock } from '../../ports/clock.port.js';

export type RequestClass = 'query' | 'update';

/** bitbank's per-user limits: QUERY 10/s, UPDATE (order, cancel) 6/s. */
export const BITBANK_RATES: Record<RequestClass, number> = { query: 10, update: 6 };

/**
 * Spaces requests of each class at least 1000/rate ms apart on the injected clock (GCRA with a
 * burst of one), so no second-long window ever holds more than `rate` requests of a class.
 * A slot is reserved synchronously, so concurrent callers queue in call order; waiting stops
 * when the signal aborts (the call's deadline).
 */
export class RateLimiter {
  private readonly nextFreeMs: Record<RequestClass, number> = { query: -Infinity, update: -Infinity };

  constructor(
    private readonly clock: Clock,
    private readonly ratesPerSecond: Record<RequestClass, number> = BITBANK_RATES,
  ) {
    for (const [kind, rate] of Object.entries(ratesPerSecond)) {
      if (!(rate > 0)) throw new RangeError(`rate for ${kind} must be positive, got ${rate}`);
    }
  }

  /** Ms the caller had to wait for its slot (0 when the slot was free). */
  async acquire(kind: RequestClass, signal?: AbortSignal): Promise<number> {
    const nowMs = this.clock.nowMs();
    const slotMs = Math.max(nowMs, this.nextFreeMs[kind]);
    this.nextFreeMs[kind] = slotMs + Math.ceil(1000 / this.ratesPerSecond[kind]);
    const waitMs = slotMs - nowMs;
    if (waitMs > 0) await this.clock.sleep(waitMs, signal);
    return waitMs;
  }
}
