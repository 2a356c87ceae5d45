import { expect, it } from 'vitest';
import { HOUR_MS } from '../shared/core/candle.js';
import { describeWithEmulator } from './support/emulator.js';
import { readCandlesCsv } from '../tools/lib/csv.js';
import { runReplay } from '../tools/replay/replay.js';
import { runBacktest } from '../shared/core/backtest/index.js';
import { createPlanner } from '../shared/core/strategy/planner.js';
import { strategySettingsFromConfig } from '../shared/core/strategy/settings.js';
import { FEATURE_WINDOW_BARS, FEATURE_NAMES } from '../shared/core/features/index.js';
import { loadModel } from '../shared/core/model/index.js';
import { loadConfig } from '../shared/config.js';
import { plannerForMarket } from '../shared/core/market.js';
import { RULES } from './tick-helpers.js';

const WEEK = 168;

describeWithEmulator(
  'replay of a week of the shared candles in paper mode (emulator + fake bitbank + functions-framework)',
  () => {
    it(
      'ends with Firestore positions equal to the exchange and the same trades as the backtester on the same bars and model',
      { timeout: 600_000 },
      async () => {
        const candles = readCandlesCsv('data/candles/binance-btcusdt-1h-2017-2022.csv', { quotePerUsd: 150 });
        const errors: string[] = [];
        const { summary, trades, artifact, startIndex } = await runReplay({
          candles,
          bars: WEEK,
          mode: 'paper',
          duplicates: 1,
          env: { BOT_STRATEGY: 'ml' },
          log: (line) => void (line.includes('"ERROR"') && errors.push(line)),
        });
        expect(summary.outcomes, errors.slice(0, 5).join('\n')).toEqual({ ok: WEEK });
        expect(summary).toMatchObject({
          bars: WEEK,
          ticksOk: WEEK,
          ticksFailed: 0,
          positionMatchesExchange: true,
          outcomes: { ok: WEEK },
        });

        // The backtester over the same bars with the same model: the decision at bar start-1's close
        // executes at bar start's open, exactly when the first replayed tick runs.
        const from = startIndex - 1 - FEATURE_WINDOW_BARS;
        const window = candles.slice(from, startIndex + WEEK);
        // Both on the default market (the replay sets no BOT_MARKET): on spot the model's shorts are held flat on both sides.
        const config = loadConfig({});
        const model = createPlanner({
          settings: strategySettingsFromConfig(config),
          model: loadModel(artifact, FEATURE_NAMES),
          featureNames: artifact.featureNames,
        });
        const planner = plannerForMarket(model, config.BOT_MARKET);
        const backtest = runBacktest({
          candles: window,
          planner,
          market: config.BOT_MARKET,
          rules: RULES,
          initialEquityJpy: 100_000,
          slippage: 0.0005,
          startIndex: startIndex - 1 - from,
          windowBars: FEATURE_WINDOW_BARS,
        });
        const closedInWindow = backtest.trades.filter(
          (t) => !(t.exitReason === 'reconcile' && t.exitTimeMs >= (window[window.length - 1]?.openTimeMs ?? 0)),
        );
        const bar = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;
        const shape = (t: {
          side: string;
          entryTimeMs: number;
          exitTimeMs: number;
          exitReason: string;
          amountBtc: string;
        }) => ({
          side: t.side,
          entryBar: bar(t.entryTimeMs),
          exitBar: bar(t.exitTimeMs),
          exitReason: t.exitReason,
          amountBtc: Number(t.amountBtc),
        });
        expect(trades.length).toBeGreaterThan(0);
        expect(trades.map(shape)).toEqual(closedInWindow.map(shape));
        // Prices differ only by where each takes the bar's price: the paper exchange fills a market
        // order at the fake's ask/bid (the previous close -/+ 0.05 %), the backtester at the bar's open
        // with 0.05 % slippage (also on stops, which the paper exchange fills at the trigger).
        const index = new Map(candles.map((c, i) => [c.openTimeMs, i]));
        const priceSlack = (ms: number, price: number) => {
          const i = index.get(bar(ms)) as number;
          return Math.abs((candles[i]?.open ?? 0) - (candles[i - 1]?.close ?? 0)) * 1.0005 + 0.0005 * price + 1;
        };
        for (const [i, trade] of trades.entries()) {
          const expected = closedInWindow[i] as (typeof closedInWindow)[number];
          const entrySlack = priceSlack(trade.entryTimeMs, trade.entryPriceJpy);
          const exitSlack = priceSlack(trade.exitTimeMs, trade.exitPriceJpy);
          expect(Math.abs(trade.entryPriceJpy - expected.entryPriceJpy)).toBeLessThanOrEqual(entrySlack);
          expect(Math.abs(trade.exitPriceJpy - expected.exitPriceJpy)).toBeLessThanOrEqual(exitSlack);
          // P&L follows from those prices (the taker fee on each; interest: under 1 JPY here).
          const amount = Number(trade.amountBtc);
          const priceEffect =
            amount *
            (Math.abs(trade.entryPriceJpy - expected.entryPriceJpy) +
              Math.abs(trade.exitPriceJpy - expected.exitPriceJpy)) *
            (1 + (config.BOT_MARKET === 'spot' ? RULES.takerFeeRate : RULES.marginTakerFeeRate));
          expect(Math.abs(trade.pnlJpy - expected.pnlJpy)).toBeLessThanOrEqual(priceEffect + 1);
        }
      },
    );
  },
);
