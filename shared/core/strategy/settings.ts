import type { Config } from '../../config.js';

/**
 * Everything the planner and the protections read. The risk keys come from `shared/config.ts`
 * (`strategySettingsFromConfig`); the strategy's shape parameters have documented defaults.
 */
export interface StrategySettings {
  /** Fraction of equity risked per trade over the stop distance (RISK_PER_TRADE). */
  readonly riskPerTrade: number;
  readonly maxPositionBtc: number;
  /** Cap on the fractional-Kelly position value, fraction of equity (KELLY_MAX_FRACTION). */
  readonly kellyMaxFraction: number;
  readonly kellyMinTrades: number;
  readonly kellyWindowTrades: number;
  /** Fraction of the full Kelly bet used ("half Kelly" = 0.5). */
  readonly kellyFraction: number;
  /** When Kelly is <= 0: hold, or size at the exchange minimum so the window can recover. */
  readonly kellyNonPositive: 'hold' | 'minimum-lot';
  readonly atrStopMultiple: number;
  readonly takeProfitAtrMultiple: number;
  /** ATR = mean true range over this many bars (a plain mean: the same value for any history length). */
  readonly atrPeriodBars: number;
  /** Realised volatility = standard deviation of log returns over this many bars. */
  readonly volWindowBars: number;
  /** Long window the current ATR and volatility are compared with to widen the threshold. */
  readonly referenceWindowBars: number;
  /** Distance from the model's base rate (its share of up labels) the probability must clear in calm markets. */
  readonly baseThreshold: number;
  readonly maxThreshold: number;
  /** VIX level at or below which the VIX adds nothing to the threshold. */
  readonly vixCalmLevel: number;
  /** Time limit of a position, hours. */
  readonly maxHoldHours: number;
  readonly dailyLossLimit: number;
  readonly maxConsecutiveLosses: number;
  readonly lossPauseHours: number;
  readonly maxEntriesPerDay: number;
  readonly maxDrawdown: number;
  /** Required margin ratio above the margin-call level, percentage points. */
  readonly marginRoomPoints: number;
}

export const DEFAULT_STRATEGY_SETTINGS: StrategySettings = {
  riskPerTrade: 0.005,
  maxPositionBtc: 0.0005,
  kellyMaxFraction: 0.05,
  kellyMinTrades: 10,
  kellyWindowTrades: 30,
  kellyFraction: 0.5,
  kellyNonPositive: 'minimum-lot',
  atrStopMultiple: 1.2,
  takeProfitAtrMultiple: 2.4,
  atrPeriodBars: 14,
  volWindowBars: 24,
  referenceWindowBars: 168,
  baseThreshold: 0.05,
  maxThreshold: 0.2,
  vixCalmLevel: 20,
  maxHoldHours: 12,
  dailyLossLimit: 0.03,
  maxConsecutiveLosses: 3,
  lossPauseHours: 24,
  maxEntriesPerDay: 3,
  maxDrawdown: 0.15,
  marginRoomPoints: 30,
};

export type RiskConfig = Pick<
  Config,
  | 'RISK_PER_TRADE'
  | 'MAX_POSITION_BTC'
  | 'KELLY_MAX_FRACTION'
  | 'KELLY_MIN_TRADES'
  | 'KELLY_WINDOW_TRADES'
  | 'ATR_STOP_MULTIPLE'
  | 'TAKE_PROFIT_ATR_MULTIPLE'
  | 'DAILY_LOSS_LIMIT'
  | 'MAX_CONSECUTIVE_LOSSES'
  | 'LOSS_PAUSE_HOURS'
  | 'MAX_ENTRIES_PER_DAY'
  | 'MAX_DRAWDOWN'
>;

/** The settings the tick (and the backtest CLI) derive from the loaded configuration. */
export function strategySettingsFromConfig(
  config: RiskConfig,
  overrides: Partial<StrategySettings> = {},
): StrategySettings {
  return {
    ...DEFAULT_STRATEGY_SETTINGS,
    riskPerTrade: config.RISK_PER_TRADE,
    maxPositionBtc: config.MAX_POSITION_BTC,
    kellyMaxFraction: config.KELLY_MAX_FRACTION,
    kellyMinTrades: config.KELLY_MIN_TRADES,
    kellyWindowTrades: config.KELLY_WINDOW_TRADES,
    atrStopMultiple: config.ATR_STOP_MULTIPLE,
    takeProfitAtrMultiple: config.TAKE_PROFIT_ATR_MULTIPLE,
    dailyLossLimit: config.DAILY_LOSS_LIMIT,
    maxConsecutiveLosses: config.MAX_CONSECUTIVE_LOSSES,
    lossPauseHours: config.LOSS_PAUSE_HOURS,
    maxEntriesPerDay: config.MAX_ENTRIES_PER_DAY,
    maxDrawdown: config.MAX_DRAWDOWN,
    ...overrides,
  };
}

/** Candles the planner needs before it can decide (ATR, volatility and their reference window). */
export function requiredCandles(settings: StrategySettings): number {
  return Math.max(settings.atrPeriodBars, settings.volWindowBars, settings.referenceWindowBars) + 1;
}
