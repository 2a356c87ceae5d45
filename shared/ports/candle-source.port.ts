import type { Candle, Timeframe } from '../core/candle.js';

/** Closed candles from the exchange (or a replay): every published bar, explicit gaps, or an error. */
export interface CandleSource {
  /**
   * Closed bars whose open time is in [fromMs, toMs), ascending. Malformed data is DATA.BAD_CANDLES;
   * a recent bar not published yet is DATA.MISSING_CANDLES (retryable); a settled bar the exchange
   * never published is left out as an explicit gap (logged as DATA.CANDLE_GAP; the quality gate
   * blocks it while recent, flags it after). `nowMs` decides which bars are closed.
   */
  fetchClosedCandles(request: {
    pair: string;
    timeframe: Timeframe;
    fromMs: number;
    toMs: number;
    nowMs: number;
    signal?: AbortSignal;
  }): Promise<Candle[]>;
}
