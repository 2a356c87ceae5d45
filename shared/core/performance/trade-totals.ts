/**
 * What win rate, Kelly and total profit need from closed trades, as running sums: the health page
 * and a year of trades are served from these totals (one document) instead of every trade.
 */
export interface TradeTotals {
  /** Closed trades (a zero result counts as a trade, not as a win or a loss). */
  readonly count: number;
  readonly wins: number;
  readonly winSumJpy: number;
  readonly losses: number;
  /** Sum of the losses' absolute values, JPY. */
  readonly lossSumJpy: number;
  readonly netJpy: number;
}

export const NO_TRADES: TradeTotals = { count: 0, wins: 0, winSumJpy: 0, losses: 0, lossSumJpy: 0, netJpy: 0 };

export function addTrade(t: TradeTotals, pnlJpy: number): TradeTotals {
  return {
    count: t.count + 1,
    wins: t.wins + (pnlJpy > 0 ? 1 : 0),
    winSumJpy: t.winSumJpy + (pnlJpy > 0 ? pnlJpy : 0),
    losses: t.losses + (pnlJpy < 0 ? 1 : 0),
    lossSumJpy: t.lossSumJpy + (pnlJpy < 0 ? -pnlJpy : 0),
    netJpy: t.netJpy + pnlJpy,
  };
}

/** The totals without one trade that `addTrade` added (a trade re-booked with more fills is replaced). */
export function removeTrade(t: TradeTotals, pnlJpy: number): TradeTotals {
  return {
    count: t.count - 1,
    wins: t.wins - (pnlJpy > 0 ? 1 : 0),
    winSumJpy: t.winSumJpy - (pnlJpy > 0 ? pnlJpy : 0),
    losses: t.losses - (pnlJpy < 0 ? 1 : 0),
    lossSumJpy: t.lossSumJpy - (pnlJpy < 0 ? -pnlJpy : 0),
    netJpy: t.netJpy - pnlJpy,
  };
}

export function sumTotals(ts: readonly TradeTotals[]): TradeTotals {
  return ts.reduce(
    (a, b) => ({
      count: a.count + b.count,
      wins: a.wins + b.wins,
      winSumJpy: a.winSumJpy + b.winSumJpy,
      losses: a.losses + b.losses,
      lossSumJpy: a.lossSumJpy + b.lossSumJpy,
      netJpy: a.netJpy + b.netJpy,
    }),
    NO_TRADES,
  );
}

export function totalsOf(pnlsJpy: readonly number[]): TradeTotals {
  return pnlsJpy.reduce(addTrade, NO_TRADES);
}

/** Fraction of trades with a positive net result; null without trades. */
export function winRateOf(t: TradeTotals): number | null {
  return t.count === 0 ? null : t.wins / t.count;
}

/**
 * Kelly fraction f = W - (1 - W) / R, W the win rate over wins and losses, R the mean win over the
 * mean loss; `undefined` without a win or a loss, 1 without losses, -1 without wins.
 */
export function kellyOf(t: TradeTotals): number | undefined {
  const total = t.wins + t.losses;
  if (total === 0) return undefined;
  if (t.losses === 0) return 1;
  if (t.wins === 0) return -1;
  const winRate = t.wins / total;
  const payoff = t.winSumJpy / t.wins / (t.lossSumJpy / t.losses);
  return winRate - (1 - winRate) / payoff;
}
