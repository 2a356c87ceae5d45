/**
 * Kelly fraction of a bet from past trades' net results: f = W - (1 - W) / R, with W the win rate
 * and R the mean win over the mean loss. `undefined` when there are no wins or no losses to
 * estimate R from (the caller decides what that means).
 */
export function kellyFraction(pnls: readonly number[]): number | undefined {
  let wins = 0;
  let winSum = 0;
  let losses = 0;
  let lossSum = 0;
  for (const pnl of pnls) {
    if (pnl > 0) {
      wins += 1;
      winSum += pnl;
    } else if (pnl < 0) {
      losses += 1;
      lossSum -= pnl;
    }
  }
  const total = wins + losses;
  if (total === 0) return undefined;
  if (losses === 0) return 1;
  if (wins === 0) return -1;
  const winRate = wins / total;
  const payoff = winSum / wins / (lossSum / losses);
  return winRate - (1 - winRate) / payoff;
}
