import { nextEquityPeak } from '../core/risk/equity-peak.js';
import { drawdownBreach } from '../core/risk/protections/max-drawdown.js';
import type { ClosedTrade } from '../core/plan.js';
import type { Logger } from '../ports/logger.port.js';
import type { Store } from '../ports/store.port.js';
import { equityPeaks, type EquityPeakRecord } from '../store/equity-peak-collections.js';
import { setKillSwitch, type KillSwitchState } from './kill-switch.js';

const DAY_MS = 86_400_000;
/** The booked-P&L anchor moves forward once it is this old (the context reads 90 days of trades). */
const ANCHOR_MAX_AGE_MS = 30 * DAY_MS;

export interface EquityCheckInput {
  readonly store: Store;
  readonly log: Logger;
  readonly mode: 'paper' | 'live';
  readonly maxDrawdown: number;
  readonly nowMs: number;
  readonly equityJpy: number;
  readonly cashJpy: number;
  /** Closed trades of the pair for at least the last 31 days (the context's lookback). */
  readonly trades: readonly ClosedTrade[];
  readonly kill: KillSwitchState;
  /** The mode's peak record as read by the caller in this tick (read here when absent). */
  readonly stored?: { readonly record: EquityPeakRecord | undefined };
}

export interface EquityCheck {
  readonly peakJpy: number;
  /** The kill switch after the check: set when it was, or when the breaker just tripped. */
  readonly killSwitch: boolean;
  readonly tripped?: string;
}

const bookedSince = (trades: readonly ClosedTrade[], anchorMs: number): number =>
  trades.filter((t) => t.exitTimeMs >= anchorMs).reduce((sum, t) => sum + t.pnlJpy, 0);

/**
 * The drawdown breaker, latched: updates this mode's peak (`equityPeaks/{mode}`, cash movements
 * taken out, shared/core/risk/equity-peak.ts) and, when equity is `maxDrawdown` below it, writes
 * the kill switch with the reason (audited). The switch then stays on as equity recovers, until a
 * person turns it off (`npm run ops -- kill-switch off`) and, if the peak itself is wrong, resets it
 * (`npm run ops -- reset-peak`).
 */
export async function checkEquityPeak(input: EquityCheckInput): Promise<EquityCheck> {
  const { store, log, mode, nowMs } = input;
  const previous = input.stored ? input.stored.record : await store.get(equityPeaks, mode);
  const anchorMs = previous && nowMs - previous.anchorMs <= ANCHOR_MAX_AGE_MS ? previous.anchorMs : nowMs - DAY_MS;
  const bookedNowJpy = bookedSince(input.trades, previous?.anchorMs ?? anchorMs);
  const bookedDeltaJpy = previous ? bookedNowJpy - previous.bookedSinceAnchorJpy : 0;
  const { state, cashMovementJpy } = nextEquityPeak(
    previous,
    { atMs: nowMs, equityJpy: input.equityJpy, cashJpy: input.cashJpy },
    bookedDeltaJpy,
  );
  if (cashMovementJpy !== 0) {
    log.warn(
      `cash movement of ${cashMovementJpy.toFixed(0)} JPY detected (${cashMovementJpy > 0 ? 'deposit' : 'withdrawal'}): the equity peak moves with it, it is not P&L`,
      { mode, cashMovementJpy, bookedDeltaJpy, peakJpy: state.peakJpy },
    );
  }
  const record: EquityPeakRecord = {
    mode,
    ...state,
    cashMovementsJpy: (previous?.cashMovementsJpy ?? 0) + cashMovementJpy,
    anchorMs,
    bookedSinceAnchorJpy: bookedSince(input.trades, anchorMs),
  };
  await store.set(equityPeaks, mode, record);

  const breach = drawdownBreach(input.equityJpy, state.peakJpy, input.maxDrawdown);
  if (breach === undefined || input.kill.active) return { peakJpy: state.peakJpy, killSwitch: input.kill.active };
  const reason = `drawdown breaker (${mode}): ${breach}`;
  await setKillSwitch(store, {
    active: true,
    reason,
    actor: 'tick:drawdown-breaker',
    atMs: nowMs,
    details: { mode, equityJpy: input.equityJpy, peakJpy: state.peakJpy, maxDrawdown: input.maxDrawdown },
  });
  log.error('drawdown breaker tripped: kill switch set (latched until a person turns it off)', {
    code: 'RISK.KILL_SWITCH',
    mode,
    equityJpy: input.equityJpy,
    peakJpy: state.peakJpy,
  });
  return { peakJpy: state.peakJpy, killSwitch: true, tripped: reason };
}
