import type { MacroSeries, MacroSeriesName } from '../../core/macro.js';
import type { MacroSource } from '../../ports/macro-source.port.js';

/** One MacroSource over both providers: fearGreed from alternative.me, the rest from Yahoo. */
export function routedMacroSource(sources: { yahoo: MacroSource; fearGreed: MacroSource }): MacroSource {
  return {
    fetchDaily(name: MacroSeriesName, fromDate: string, signal?: AbortSignal): Promise<MacroSeries> {
      return (name === 'fearGreed' ? sources.fearGreed : sources.yahoo).fetchDaily(name, fromDate, signal);
    },
  };
}
