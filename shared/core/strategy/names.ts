/** Every registered strategy by name (`BOT_STRATEGY`); the last four are the research baselines. */
export const STRATEGY_NAMES = ['trend', 'ml', 'flat', 'buy-and-hold', 'buy-and-hold-vol', 'tsmom-20'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** Strategies that read the model and the macro series (the others decide on candles alone). */
export function usesModelAndMacro(name: StrategyName): boolean {
  return name === 'ml';
}
