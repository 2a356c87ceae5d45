import type { Candle } from '../candle.js';
import { flatTarget, type Strategy } from './strategy.js';

/** A moving-average crossover, long or flat: the plug-in the peer comparison (bench/peer) runs. */
export interface SmaCrossParams {
  readonly fastBars: number;
  readonly slowBars: number;
  /** Position value wanted, fraction of equity (the sizing caps still apply). */
  readonly sizeFraction: number;
  /** Catastrophe stop this far below the close (a fraction); the rules, not the stop, exit. */
  readonly stopFraction: number;
  /**
   * False: no decision at the close of a bar on whose open an order filled (the position is kept,
   * or flat stays flat), as grademark's state machine does. True: every close decides.
   */
  readonly decideOnFillBar: boolean;
}

export const DEFAULT_SMA_CROSS: SmaCrossParams = {
  fastBars: 10,
  slowBars: 40,
  sizeFraction: 0.5,
  stopFraction: 0.5,
  decideOnFillBar: true,
};

/** Mean close of the `n` bars ending at index `end` (inclusive), summed oldest first; undefined before `n` bars. */
export function meanClose(candles: readonly Pick<Candle, 'close'>[], end: number, n: number): number | undefined {
  if (end + 1 < n || end >= candles.length) return undefined;
  let sum = 0;
  for (let i = end - n + 1; i <= end; i += 1) sum += (candles[i] as Pick<Candle, 'close'>).close;
  return sum / n;
}

/** Long while the fast mean close is above the slow one at the bar's close, flat otherwise. */
export function smaCrossSignal(
  candles: readonly Pick<Candle, 'close'>[],
  end: number,
  p: Pick<SmaCrossParams, 'fastBars' | 'slowBars'>,
): boolean | undefined {
  const fast = meanClose(candles, end, p.fastBars);
  const slow = meanClose(candles, end, p.slowBars);
  return fast === undefined || slow === undefined ? undefined : fast > slow;
}

export function smaCrossStrategy(params: Partial<SmaCrossParams> = {}): Strategy {
  const p = { ...DEFAULT_SMA_CROSS, ...params };
  if (!(p.fastBars >= 1 && p.slowBars > p.fastBars && p.stopFraction > 0 && p.stopFraction < 1))
    throw new RangeError('sma-cross needs 1 <= fastBars < slowBars and 0 < stopFraction < 1');
  return {
    name: `sma-cross-${p.fastBars}-${p.slowBars}`,
    requiredBars: () => p.slowBars,
    decide(input) {
      const { candles, position } = input;
      const last = candles[candles.length - 1];
      const long = smaCrossSignal(candles, candles.length - 1, p);
      if (!last || long === undefined) return flatTarget([`needs ${p.slowBars} bars`], { position: 'keep' });
      if (!p.decideOnFillBar) {
        if (position && position.entryTimeMs === last.openTimeMs)
          return flatTarget(['entry filled at this bar: no decision'], { position: 'keep' });
        const lastTrade = input.closedTrades[input.closedTrades.length - 1];
        if (!position && lastTrade && lastTrade.exitTimeMs === last.openTimeMs)
          return flatTarget(['exit filled at this bar: no decision']);
      }
      const stopPriceJpy = last.close * (1 - p.stopFraction);
      if (position)
        return long
          ? {
              side: 'long',
              sizeFraction: p.sizeFraction,
              stopPriceJpy,
              position: 'keep',
              reasons: ['fast above slow: keep'],
            }
          : flatTarget(['fast not above slow: exit'], { position: 'exit', exitReason: 'signal' });
      return long
        ? { side: 'long', sizeFraction: p.sizeFraction, stopPriceJpy, reasons: ['fast above slow: enter'] }
        : flatTarget(['fast not above slow']);
    },
  };
}
