import type { PositionSide } from '../../ports/exchange.port.js';
import type { OpenPosition } from '../plan.js';

/**
 * The bot's mirror of one margin position (`positions/{pair}_{side}`): amount and average price
 * come from the exchange (the truth); the rest is what only the bot knows (when and why it entered,
 * its protective prices). Rebuilt from the exchange by reconcile whenever the two differ.
 */
export interface MirroredPosition {
  readonly pair: string;
  readonly side: PositionSide;
  readonly amountBtc: string;
  readonly entryPriceJpy: number;
  readonly entryTimeMs: number;
  /** Entry fee per BTC, JPY (negative for a maker rebate): prorated when part of the position closes. */
  readonly entryFeePerBtcJpy: number;
  readonly stopPriceJpy?: string;
  readonly takeProfitPriceJpy?: string;
  readonly entryIntentId?: string;
  /** True when the bot found it on the exchange without knowing how it got there. */
  readonly adopted: boolean;
  readonly updatedAtMs: number;
}

export function positionDocId(pair: string, side: PositionSide): string {
  return `${pair}_${side}`;
}

/** The planner's view of the position (undefined when flat or when the stop is unknown). */
export function toOpenPosition(p: MirroredPosition | undefined): OpenPosition | undefined {
  if (p === undefined) return undefined;
  return {
    side: p.side,
    amountBtc: p.amountBtc,
    entryPriceJpy: p.entryPriceJpy,
    entryTimeMs: p.entryTimeMs,
    stopPriceJpy: p.stopPriceJpy === undefined ? Number.NaN : Number(p.stopPriceJpy),
    takeProfitPriceJpy: p.takeProfitPriceJpy === undefined ? Number.NaN : Number(p.takeProfitPriceJpy),
  };
}
