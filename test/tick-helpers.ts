import { HOUR_MS, type Candle } from '../shared/core/candle.js';
import type { TradePlan } from '../shared/core/plan.js';
import type { MarketFeed } from '../shared/adapters/paper/paper-exchange.js';
import type { MarketRules } from '../shared/ports/exchange.port.js';
import type { Brain, Decision } from '../shared/app/tick-deps.js';
import type { Clock } from '../shared/ports/clock.port.js';
import { JsonLogger } from '../shared/adapters/json-logger.js';
import { BITBANK_BTC_JPY } from '../shared/core/market-rules.js';

export const RULES: MarketRules = BITBANK_BTC_JPY;

/** Market data from a candle table on a clock: closed bars only; ticker = last close -/+ 0.05 %. */
export function tableFeed(candles: readonly Candle[], clock: Clock): MarketFeed & { calls: number } {
  const feed = {
    calls: 0,
    async fetchClosedCandles({ fromMs, toMs, nowMs }: { fromMs: number; toMs: number; nowMs: number }) {
      feed.calls += 1;
      return candles.filter((c) => c.openTimeMs >= fromMs && c.openTimeMs < toMs && c.openTimeMs + HOUR_MS <= nowMs);
    },
    async fetchTicker(pair: string) {
      const now = clock.nowMs();
      const last = [...candles].reverse().find((c) => c.openTimeMs + HOUR_MS <= now);
      if (!last) throw new Error('no closed candle');
      return {
        pair,
        lastJpy: String(last.close),
        bidJpy: String(Math.round(last.close * 0.9995)),
        askJpy: String(Math.round(last.close * 1.0005)),
        timestampMs: now,
      };
    },
    async loadMarketRules() {
      return RULES;
    },
    async fetchCircuitBreakMode() {
      return 'NONE' as const;
    },
  };
  return feed;
}

/** A brain that plays a script: the plan for a decision time, or hold. */
export function scriptedBrain(
  script: (nowMs: number, position: boolean) => TradePlan | undefined,
): Brain & { seen: number[] } {
  const brain = {
    seen: [] as number[],
    async decide(context: { nowMs: number; position: unknown }): Promise<Decision> {
      brain.seen.push(context.nowMs);
      const plan = script(context.nowMs, context.position !== undefined) ?? {
        action: 'hold',
        probabilityUp: 0.5,
        reasons: ['script: hold'],
      };
      return { plan, timings: [{ step: 'script', ms: 0 }], featuresDigest: 'scripted' };
    },
  };
  return brain;
}

export function captureLogger(): { logger: JsonLogger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  return {
    logger: new JsonLogger({
      minSeverity: 'DEBUG',
      write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>),
    }),
    lines,
  };
}

/** Hourly candles from a list of [open, high, low, close], starting at `startMs`. */
export function candleTable(startMs: number, rows: ReadonlyArray<readonly [number, number, number, number]>): Candle[] {
  return rows.map(([open, high, low, close], i) => ({
    openTimeMs: startMs + i * HOUR_MS,
    open,
    high,
    low,
    close,
    volume: 1,
  }));
}
