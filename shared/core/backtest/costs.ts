import type { BacktestResult } from './types.js';

export interface CostFigures {
  /** Fees by liquidity and in all, JPY. */
  readonly feesJpy: { readonly maker: number; readonly taker: number; readonly total: number };
  readonly interestJpy: number;
  /** Slippage paid on taker fills, JPY: the taker value x the slippage fraction (an estimate of the model's own charge). */
  readonly slippageJpy: number;
  /** Share of post-only orders that filled; null when none was placed (taker execution). */
  readonly makerFillRate: number | null;
  /** Fees + interest + slippage per round trip, % of the entry value (closed trades); null without trades. */
  readonly costPerRoundTripPct: number | null;
}

/** What a backtest paid to trade, from its result and the slippage it ran with. */
export function costFigures(result: BacktestResult, slippage: number): CostFigures {
  const slippageJpy = result.takerNotionalJpy * slippage;
  const entryValueJpy = result.trades.reduce((sum, t) => sum + Number(t.amountBtc) * t.entryPriceJpy, 0);
  const total = result.makerFeesJpy + result.takerFeesJpy;
  return {
    feesJpy: { maker: result.makerFeesJpy, taker: result.takerFeesJpy, total },
    interestJpy: result.interestJpy,
    slippageJpy,
    makerFillRate: result.makerAttempts === 0 ? null : result.makerFills / result.makerAttempts,
    costPerRoundTripPct:
      entryValueJpy === 0 ? null : ((total + result.interestJpy + slippageJpy) / entryValueJpy) * 100,
  };
}
