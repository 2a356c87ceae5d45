import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { DAY_MS, HOUR_MS } from '../candle.js';
import { createStrategy, STRATEGY_NAMES, trendParamsFromConfig } from './registry.js';
import { DEFAULT_STRATEGY_SETTINGS } from './settings.js';

describe('strategy registry', () => {
  it('builds every registered name, named as registered; ml only with a model or predictions', () => {
    const signal = () => ({ ok: false as const, code: 'MODEL.MISSING' as const, reason: 'none' });
    for (const name of STRATEGY_NAMES) {
      const s = createStrategy(name, { settings: DEFAULT_STRATEGY_SETTINGS, ml: { signal } });
      expect(s.name).toBe(name);
      expect(s.requiredBars(HOUR_MS)).toBeGreaterThan(0);
    }
    expect(() => createStrategy('ml', { settings: DEFAULT_STRATEGY_SETTINGS })).toThrow(/needs a model/);
  });

  it('trend reads weeks of history: far more than the 400 hourly bars the model needs, a few dozen daily bars', () => {
    const trend = createStrategy('trend', { settings: DEFAULT_STRATEGY_SETTINGS });
    expect(trend.requiredBars(HOUR_MS)).toBeGreaterThanOrEqual(51 * 24);
    expect(trend.requiredBars(DAY_MS)).toBeLessThan(60);
  });

  it('BOT_STRATEGY defaults to trend and refuses an unknown name; the trend settings come from the configuration', () => {
    expect(loadConfig({}).BOT_STRATEGY).toBe('trend');
    expect(() => loadConfig({ BOT_STRATEGY: 'moon' })).toThrow(/BOT_STRATEGY/);
    expect(trendParamsFromConfig(loadConfig({ TREND_DECISION_HOUR_UTC: '6', TREND_TARGET_VOL: '0.3' }))).toEqual({
      decisionHourUtc: 6,
      targetVolAnnual: 0.3,
    });
  });
});
