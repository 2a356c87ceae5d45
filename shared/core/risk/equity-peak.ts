/**
 * The equity peak the drawdown breaker measures against, kept per mode (paper and live never mix)
 * and corrected for cash movements: a deposit is not profit and a withdrawal is not a loss.
 *
 * How a cash movement is detected: between two observations the account's cash (the JPY balance,
 * not equity) changes only by the P&L booked for trades closed in between (net of fees and
 * interest) and by transfers. Whatever change of cash the booked P&L does not explain, beyond a
 * tolerance (entry fees and interest accrue on cash before their trade is booked; rounding), is a
 * deposit or withdrawal: the peak moves by the same amount. Unrealised P&L moves equity, not cash,
 * so a losing open position is a drawdown, never a "withdrawal".
 */
export interface EquityObservation {
  readonly atMs: number;
  /** Equity (margin balance including open positions' P&L), JPY. */
  readonly equityJpy: number;
  /** The JPY balance (cash), JPY. */
  readonly cashJpy: number;
}

export interface EquityPeakState extends EquityObservation {
  readonly peakJpy: number;
}

/** A change of cash the booked P&L does not explain by more than this is a cash movement. */
export const CASH_MOVEMENT_TOLERANCE = { minJpy: 1_000, fractionOfEquity: 0.01 } as const;

export interface PeakUpdate {
  readonly state: EquityPeakState;
  /** Deposit (+) or withdrawal (-) detected since the previous observation, JPY; 0 when none. */
  readonly cashMovementJpy: number;
}

/**
 * The next peak from the previous state (undefined: the first observation, or after a person reset
 * the peak) and the P&L booked for trades closed since the previous observation.
 */
export function nextEquityPeak(
  previous: EquityPeakState | undefined,
  now: EquityObservation,
  bookedPnlJpy: number,
): PeakUpdate {
  if (!previous) return { state: { ...now, peakJpy: now.equityJpy }, cashMovementJpy: 0 };
  const unexplainedJpy = now.cashJpy - previous.cashJpy - bookedPnlJpy;
  const toleranceJpy = Math.max(
    CASH_MOVEMENT_TOLERANCE.minJpy,
    CASH_MOVEMENT_TOLERANCE.fractionOfEquity * Math.abs(previous.equityJpy),
  );
  const cashMovementJpy = Math.abs(unexplainedJpy) > toleranceJpy ? unexplainedJpy : 0;
  return { state: { ...now, peakJpy: Math.max(previous.peakJpy + cashMovementJpy, now.equityJpy) }, cashMovementJpy };
}
