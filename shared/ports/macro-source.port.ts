import type { MacroSeries, MacroSeriesName } from '../core/macro.js';

/** Daily macro values from an external provider (Yahoo Finance, alternative.me). */
export interface MacroSource {
  /** Daily points from `fromDate` (YYYY-MM-DD) to the newest available; EXTERNAL.FETCH_FAILED on failure. */
  fetchDaily(name: MacroSeriesName, fromDate: string, signal?: AbortSignal): Promise<MacroSeries>;
}
