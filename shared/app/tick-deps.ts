import type { Timeframe } from '../core/candle.js';
import type { Execution } from '../core/fills/fill-model.js';
import type { PlanInput, TradePlan } from '../core/plan.js';
import type { StepTiming } from '../core/tick/outcome.js';
import type { Clock } from '../ports/clock.port.js';
import type { Exchange } from '../ports/exchange.port.js';
import type { Logger } from '../ports/logger.port.js';
import type { Store } from '../ports/store.port.js';

export interface TickSettings {
  readonly pair: string;
  readonly timeframe: Timeframe;
  readonly mode: 'paper' | 'live';
  readonly tickDeadlineMs: number;
  readonly tooLateBars: number;
  /** Entries only this long after the bar open; exits, stops and reconciliation always run. */
  readonly entryWindowMs: number;
  /** MAX_DRAWDOWN: the breaker latches the kill switch at this drawdown from the mode's peak. */
  readonly maxDrawdown: number;
  /** EXECUTION: taker (market entries; the default) or maker-first (post-only entries resting MAKER_WAIT_BARS bars). */
  readonly execution?: Execution;
  /** MAKER_WAIT_BARS (default 1). */
  readonly makerWaitBars?: number;
}

/** What the brain needs besides the market data it loads itself. */
export type DecisionContext = Omit<PlanInput, 'candles' | 'macro'>;

export interface Decision {
  readonly plan: TradePlan;
  readonly featuresDigest?: string;
  /** Sub-steps (data, quality gate, features, plan) with their durations. */
  readonly timings: readonly StepTiming[];
  /** Flags for the record (stale macro series, missing inputs). */
  readonly flags?: Readonly<Record<string, string>>;
}

/** Data -> quality gate -> features -> model -> strategy and risk, as one call (see brain.ts). */
export interface Brain {
  decide(context: DecisionContext, signal: AbortSignal): Promise<Decision>;
  /**
   * Starts loading the bar's market data (the candle window) so that it runs alongside reconcile
   * and context; `decide` for the same `nowMs` then awaits it (its failure fails `decide`, as before).
   */
  prefetch?(nowMs: number, signal: AbortSignal): void;
}

/** Live mode: `verifyCredentials()` until it has passed once in this instance; throws EXCHANGE.AUTH. */
export interface CredentialGate {
  ensure(signal: AbortSignal): Promise<void>;
}

export type AuditKind = 'order';
export type AuditSink = (entry: {
  kind: AuditKind;
  atMs: number;
  actor: string;
  details: Record<string, unknown>;
}) => Promise<void>;

/** Test seam for crash injection: called after each step of an order's life; a throw is a crash. */
export type FaultHook = (step: 'claim' | 'intent' | 'send' | 'answer') => void | Promise<void>;

export interface TickDeps {
  readonly settings: TickSettings;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly store: Store;
  readonly exchange: Exchange;
  readonly brain: Brain;
  readonly credentials?: CredentialGate;
  readonly audit?: AuditSink;
  /** Who is running (instance + invocation), written into the claim. */
  readonly owner: string;
  readonly fault?: FaultHook;
}
