import type { OutcomeCode } from '../../codes.js';
import type { ClosedTrade } from '../../plan.js';
import type { CircuitBreakMode, MarginStatus, MarketRules, PositionSide } from '../../../ports/exchange.port.js';

/** What a protection sees when the strategy wants to open a position. Time is passed in. */
export interface ProtectionContext {
  readonly nowMs: number;
  readonly side: PositionSide;
  readonly equityJpy: number;
  readonly equityPeakJpy: number;
  /** Ascending by exit time. */
  readonly closedTrades: readonly ClosedTrade[];
  readonly recentEntryTimesMs: readonly number[];
  readonly marginStatus: MarginStatus | undefined;
  readonly circuitBreak: CircuitBreakMode;
  readonly rules: MarketRules;
}

export interface ProtectionBlock {
  readonly protection: string;
  readonly code: OutcomeCode;
  readonly reason: string;
}

/**
 * A small pure plug-in that may veto a new entry. Protections never block exits or protective
 * orders: the planner asks them only before entering.
 */
export interface Protection {
  readonly name: string;
  check(context: ProtectionContext): ProtectionBlock | undefined;
}
