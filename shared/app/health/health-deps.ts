import type { Timeframe } from '../../core/candle.js';
import type { Clock } from '../../ports/clock.port.js';
import type { Exchange } from '../../ports/exchange.port.js';
import type { Store } from '../../ports/store.port.js';

export interface HealthSettings {
  readonly mode: 'paper' | 'live';
  readonly pair: string;
  readonly timeframe: Timeframe;
  readonly macroMode: 'required' | 'off';
  readonly macroMaxAgeDays: number;
  /** A tick slower than this is over budget (the tick-latency log query uses the same figure). */
  readonly tickLatencyBudgetMs: number;
}

/** What the live checks ask the exchange (live mode only; paper mode has no account to check). */
export type HealthExchange = Pick<Exchange, 'fetchMarginStatus' | 'verifyCredentials' | 'fetchOpenOrders'>;

export interface HealthDeps {
  readonly settings: HealthSettings;
  readonly store: Store;
  readonly clock: Clock;
  /** When this instance started (uptime). */
  readonly startedAtMs: number;
  readonly version: string;
  readonly exchange?: HealthExchange;
  /** Deadline of each check, ms; the checks run in parallel, so the answer never waits longer. */
  readonly checkTimeoutMs?: number;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 3_000;
