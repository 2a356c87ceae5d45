import type { Timeframe } from '../../core/candle.js';
import type { CandleSource } from '../../ports/candle-source.port.js';
import type { Clock } from '../../ports/clock.port.js';
import type { Exchange } from '../../ports/exchange.port.js';
import type { LogQuery } from '../../ports/log-query.port.js';
import type { Logger } from '../../ports/logger.port.js';
import type { Store } from '../../ports/store.port.js';

/** What recovery may ask of the exchange: reads, cancels and the credential check. Nothing that trades. */
export type RecoveryExchange = Pick<
  Exchange,
  'fetchMarginPositions' | 'fetchOpenOrders' | 'cancelOrder' | 'loadMarketRules' | 'verifyCredentials'
>;

export interface LogCheckDeps {
  readonly settings: {
    readonly pair: string;
    readonly timeframe: Timeframe;
    readonly mode: 'paper' | 'live';
    readonly tickLatencyBudgetMs: number;
    /** The window each run looks at (the schedule's period: 15 minutes). */
    readonly windowMs: number;
  };
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly logs: LogQuery;
  /** Closed candles for the refresh-candles recovery (the exchange's public endpoints). */
  readonly candles?: CandleSource;
  /** Live mode only: the account, for verify-credentials and cancel-orphans. */
  readonly exchange?: RecoveryExchange;
  /** Deadline of one recovery action, ms. */
  readonly recoveryTimeoutMs?: number;
  /** Entries read per query at most (counts above it are reported as truncated lower bounds). */
  readonly maxEntriesPerQuery?: number;
}
