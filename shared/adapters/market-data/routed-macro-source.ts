import type { Config } from '../../config.js';
import type { MacroSeries, MacroSeriesName } from '../../core/macro.js';
import type { Clock, RandomSource } from '../../ports/clock.port.js';
import type { Logger } from '../../ports/logger.port.js';
import type { MacroSource } from '../../ports/macro-source.port.js';
import { FearGreedSource } from '../fear-greed/fear-greed-source.js';
import { YahooMacroSource } from '../yahoo/yahoo-macro-source.js';

/** One MacroSource over both providers: fearGreed from alternative.me, the rest from Yahoo. */
export function routedMacroSource(sources: { yahoo: MacroSource; fearGreed: MacroSource }): MacroSource {
  return {
    fetchDaily(name: MacroSeriesName, fromDate: string, signal?: AbortSignal): Promise<MacroSeries> {
      return (name === 'fearGreed' ? sources.fearGreed : sources.yahoo).fetchDaily(name, fromDate, signal);
    },
  };
}

/** The routed source from the loaded settings (composition roots call this once per instance). */
export function macroSourceFromConfig(
  config: Pick<Config, 'YAHOO_BASE_URL' | 'FEAR_GREED_URL'>,
  deps: { clock: Clock; random: RandomSource; logger: Logger },
): MacroSource {
  return routedMacroSource({
    yahoo: new YahooMacroSource({ baseUrl: config.YAHOO_BASE_URL, ...deps }),
    fearGreed: new FearGreedSource({ baseUrl: config.FEAR_GREED_URL, clock: deps.clock, random: deps.random }),
  });
}
