import { Decimal } from 'decimal.js';
import { DAY_MS, HOUR_MS, barOpenMs, type Candle } from '../../shared/core/candle.js';

/** bid/ask = last -/+ this fraction (rounded outward to the 1 JPY tick). */
export const HALF_SPREAD = 0.0005;

/**
 * The replayed market as seen at the replay clock `nowMs`:
 * - only bars that have CLOSED (`openTimeMs + 1h <= nowMs`) are served as candles;
 * - the bar in progress is the one containing `nowMs`; the ticker's `last` is the close of the
 *   last closed bar (the price known at the bar boundary, where the bot acts), bid/ask =
 *   last -/+ 0.05 %; high/low/vol/open over the last 24 closed bars;
 * - gaps in the data stay gaps (a missing hour is simply absent).
 */
export class Replay {
  constructor(readonly candles: readonly Candle[]) {}

  /** Index of the first candle with `openTimeMs >= timeMs` (binary search: replays are long). */
  private lowerBound(timeMs: number): number {
    let lo = 0;
    let hi = this.candles.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.candles[mid] as Candle).openTimeMs < timeMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Closed bars whose open time is in [fromMs, toMs). */
  closedBetween(fromMs: number, toMs: number, nowMs: number): Candle[] {
    return this.candles.slice(this.lowerBound(fromMs), this.lowerBound(Math.min(toMs, nowMs - HOUR_MS + 1)));
  }

  /** One UTC day of closed 1h bars (the candlestick endpoint's page). */
  day(dayStartMs: number, nowMs: number): Candle[] {
    return this.closedBetween(dayStartMs, dayStartMs + DAY_MS, nowMs);
  }

  /** Bars that closed in (fromMs, toMs]: the ones the clock passed. */
  closedDuring(fromMs: number, toMs: number): Candle[] {
    return this.candles.slice(this.lowerBound(fromMs - HOUR_MS + 1), this.lowerBound(toMs - HOUR_MS + 1));
  }

  lastClosed(nowMs: number): Candle | undefined {
    const index = this.lowerBound(barOpenMs(nowMs)) - 1;
    return index >= 0 ? this.candles[index] : undefined;
  }

  /** Last traded price at `nowMs` (close of the last closed bar; the first open before any close). */
  lastPrice(nowMs: number): number {
    const last = this.lastClosed(nowMs);
    if (last) return last.close;
    const first = this.candles[0];
    if (!first) throw new Error('the replay has no candles');
    return first.open;
  }

  quote(nowMs: number): { last: string; bid: string; ask: string } {
    const last = new Decimal(this.lastPrice(nowMs));
    return {
      last: last.toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN).toFixed(0),
      bid: last
        .mul(1 - HALF_SPREAD)
        .toDecimalPlaces(0, Decimal.ROUND_FLOOR)
        .toFixed(0),
      ask: last
        .mul(1 + HALF_SPREAD)
        .toDecimalPlaces(0, Decimal.ROUND_CEIL)
        .toFixed(0),
    };
  }

  ticker(nowMs: number): Record<string, unknown> {
    const window = this.closedBetween(barOpenMs(nowMs) - DAY_MS, barOpenMs(nowMs), nowMs);
    const { last, bid, ask } = this.quote(nowMs);
    const px = (v: number): string => new Decimal(v).toDecimalPlaces(0).toFixed(0);
    return {
      sell: ask,
      buy: bid,
      open: window[0] ? px(window[0].open) : last,
      high: window.length ? px(Math.max(...window.map((c) => c.high))) : last,
      low: window.length ? px(Math.min(...window.map((c) => c.low))) : last,
      last,
      vol: new Decimal(window.reduce((s, c) => s + c.volume, 0)).toFixed(4),
      timestamp: nowMs,
    };
  }

  /** A synthetic book around bid/ask: 20 levels each side, 10 JPY apart, sized from the last bar's volume. */
  depth(nowMs: number, sequenceId: number): Record<string, unknown> {
    const { bid, ask } = this.quote(nowMs);
    const volume = this.lastClosed(nowMs)?.volume ?? 1;
    const size = new Decimal(Math.max(volume / 200, 0.0001)).toFixed(4);
    const levels = (start: string, dir: 1 | -1): string[][] =>
      Array.from({ length: 20 }, (_, i) => [new Decimal(start).plus(dir * i * 10).toFixed(0), size]);
    return {
      asks: levels(ask, 1),
      bids: levels(bid, -1),
      asks_over: '0',
      bids_under: '0',
      timestamp: nowMs,
      sequenceId: String(sequenceId),
    };
  }

  /** Public trades: one synthetic print per closed bar of the last 24 hours (its close). */
  transactions(nowMs: number): Array<Record<string, unknown>> {
    const window = this.closedBetween(barOpenMs(nowMs) - DAY_MS, barOpenMs(nowMs), nowMs).reverse();
    return window.map((c, i) => ({
      transaction_id: c.openTimeMs / HOUR_MS,
      side: i % 2 === 0 ? 'buy' : 'sell',
      price: new Decimal(c.close).toFixed(0),
      amount: new Decimal(Math.max(c.volume / 1000, 0.0001)).toFixed(4),
      executed_at: c.openTimeMs + HOUR_MS - 1,
    }));
  }
}

/** `[o, h, l, c, vol, openTimeMs]` rows as bitbank sends them (strings, ms). */
export function toOhlcvRow(c: Candle): [string, string, string, string, string, number] {
  const px = (v: number): string => new Decimal(v).toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN).toFixed(0);
  return [
    px(c.open),
    px(c.high),
    px(c.low),
    px(c.close),
    new Decimal(c.volume).toDecimalPlaces(4).toFixed(4),
    c.openTimeMs,
  ];
}
