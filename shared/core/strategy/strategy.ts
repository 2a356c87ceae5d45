import type { OutcomeCode } from '../codes.js';
import type { ExitReason, PlanInput } from '../plan.js';
import type { PositionSide } from '../../ports/exchange.port.js';

/**
 * A strategy plug-in (pure): from what the bar shows (candles, macro, position, account, time: the
 * tick's `PlanInput`) to a target position and the reasons. It never sizes in BTC, never places an
 * order and never sees a protection: `strategyPlanner` (target.ts) turns the target into the
 * tick's `TradePlan` under the sizing caps and the protections, the same for every strategy.
 */
export interface Strategy {
  readonly name: string;
  /** Closed candles of `barMs` each the strategy needs behind the bar it decides (the tick's window). */
  requiredBars(barMs: number): number;
  decide(input: PlanInput): StrategyTarget;
}

export type TargetSide = 'flat' | PositionSide;

export interface StrategyTarget {
  readonly side: TargetSide;
  /** Position value wanted, fraction of equity (0 when flat); the caps may cut it, never raise it. */
  readonly sizeFraction: number;
  /** Protective stop (raw JPY; rounded away from the price by the executor). Required for an entry. */
  readonly stopPriceJpy?: number;
  readonly takeProfitPriceJpy?: number;
  /**
   * With a position: `keep` holds it whatever the size says (between decisions, or inside the
   * rebalance band); `exit` closes it with `exitReason`. Without one, `side`/`sizeFraction` decide.
   */
  readonly position?: 'keep' | 'exit';
  /**
   * With a position on the target's side and no `position` instruction: resize it (close now,
   * reopen at the next bar) only when the size the caps allow for the target differs from the held
   * size by more than this fraction of it; otherwise keep. Compared after the caps, so a position
   * the caps hold below the strategy's wish is not churned.
   */
  readonly resizeBand?: number;
  readonly exitReason?: ExitReason;
  /** Why nothing can be decided this bar (DATA.*, MODEL.*, RISK.*): a hold carrying the code. */
  readonly blockedBy?: OutcomeCode;
  /** The model's probability, when the strategy has one (logged with the tick). */
  readonly probabilityUp?: number;
  readonly reasons: readonly string[];
}

export const flatTarget = (reasons: readonly string[], extra: Partial<StrategyTarget> = {}): StrategyTarget => ({
  side: 'flat',
  sizeFraction: 0,
  reasons,
  ...extra,
});
