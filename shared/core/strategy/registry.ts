import { HOUR_MS } from '../candle.js';
import { mlStrategy } from './ml.js';
import type { StrategyName } from './names.js';
import type { PlannerOptions } from './planner.js';
import type { StrategySettings } from './settings.js';
import { flatTarget, type Strategy } from './strategy.js';
import { DEFAULT_TREND_PARAMS, trendStrategy, type TrendParams } from './trend.js';

export { STRATEGY_NAMES, type StrategyName } from './names.js';

export interface StrategyContext {
  readonly settings: StrategySettings;
  /** Candle length the strategy reads (hourly unless a daily file is backtested). */
  readonly barMs?: number;
  /** `trend` parameters over the defaults; the baselines share its volatility target, band and window. */
  readonly trend?: Partial<TrendParams>;
  /** The model (or precomputed predictions) for `ml`. */
  readonly ml?: Omit<PlannerOptions, 'settings'>;
}

const flatStrategy: Strategy = {
  name: 'flat',
  requiredBars: () => 1,
  decide: () => flatTarget(['baseline: always flat']),
};

/**
 * The strategy by name. A new idea is one file and one line here (and its name in names.ts).
 * Baselines: `flat`; `buy-and-hold` (all equity, no resizing, a stop at 1 % of the price: none);
 * `buy-and-hold-vol` (always long, sized to trend's volatility target); `tsmom-20` (the 20-day
 * time-series momentum alone, same sizing).
 */
export function createStrategy(name: StrategyName, context: StrategyContext): Strategy {
  const barMs = context.barMs ?? HOUR_MS;
  const trend: TrendParams = { ...DEFAULT_TREND_PARAMS, ...context.trend };
  switch (name) {
    case 'trend':
      return trendStrategy(trend, barMs);
    case 'ml':
      if (!context.ml) throw new TypeError('the ml strategy needs a model (or walk-forward predictions)');
      return mlStrategy({ ...context.ml, settings: context.settings });
    case 'flat':
      return flatStrategy;
    case 'buy-and-hold':
      return trendStrategy(
        {
          ...trend,
          signals: ['always'],
          targetVolAnnual: 0,
          maxFraction: 1,
          rebalanceBand: Number.POSITIVE_INFINITY,
          stopDailyVols: 1_000,
        },
        barMs,
        name,
      );
    case 'buy-and-hold-vol':
      return trendStrategy({ ...trend, signals: ['always'] }, barMs, name);
    case 'tsmom-20':
      return trendStrategy({ ...trend, signals: ['tsmom'], lookbacksDays: [20] }, barMs, name);
  }
}

/** The trend parameters the configuration sets (the rest keep their documented defaults). */
export function trendParamsFromConfig(config: {
  readonly TREND_DECISION_HOUR_UTC: number;
  readonly TREND_TARGET_VOL: number;
}): Partial<TrendParams> {
  return { decisionHourUtc: config.TREND_DECISION_HOUR_UTC, targetVolAnnual: config.TREND_TARGET_VOL };
}
