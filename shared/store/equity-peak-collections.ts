import { z } from 'zod';
import { collection } from '../ports/store.port.js';

/**
 * `equityPeaks/{mode}`: the drawdown breaker's peak, one document per mode (paper and live never
 * mix), with the last observation it was computed from (shared/core/risk/equity-peak.ts). Current
 * state, no TTL. A person resets it with `npm run ops -- reset-peak --mode M` (deleted, audited):
 * the next tick starts it again at the equity it sees.
 */
export const equityPeakSchema = z.object({
  mode: z.enum(['paper', 'live']),
  peakJpy: z.number().finite(),
  atMs: z.number().int(),
  equityJpy: z.number().finite(),
  cashJpy: z.number().finite(),
  /** Deposits (+) and withdrawals (-) detected since the peak was (re)started, JPY. */
  cashMovementsJpy: z.number().finite(),
  /**
   * Booked P&L is counted by total, not by time window: the sum of `pnlJpy` of trades that exited
   * at or after `anchorMs`, as of the last observation. The next observation's sum minus this is the
   * P&L booked in between, whenever each trade was booked (a late booking is still counted once).
   */
  anchorMs: z.number().int(),
  bookedSinceAnchorJpy: z.number().finite(),
});
export type EquityPeakRecord = z.infer<typeof equityPeakSchema>;
export const equityPeaks = collection('equityPeaks', equityPeakSchema);
