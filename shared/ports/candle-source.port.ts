import type { Candle, Timeframe } from '../core/candle.js';

/** Closed candles from the exchange (or a replay), every expected bar present or an error. */
export interface CandleSource {
  /**
   * Closed bars whose open time is in [fromMs, toMs), ascending. Missing or malformed data is a
   * DATA.* BotError, never a silent gap. `nowMs` decides which bars are closed.
   */
  fetchClosedCandles(request: { pair: string; timeframe: Timeframe; fromMs: number; toMs: number; nowMs: number; signal?: AbortSignal }): Promise<Candle[]>;
}
