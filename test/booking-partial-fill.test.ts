import { afterAll, beforeAll, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { HOUR_MS, type Candle } from '../shared/core/candle.js';
import { describeWithEmulator, emulatorStore } from './support/emulator.js';
import { startFakeBitbank, type FakeBitbank } from '../tools/fake-bitbank/server.js';
import { createBitbankExchange } from '../shared/adapters/bitbank/bitbank-exchange.js';
import { runTick } from '../shared/app/run-tick.js';
import { ReplayClock } from '../shared/app/replay-clock.js';
import type { TickDeps } from '../shared/app/tick-deps.js';
import { trades } from '../shared/store/tick-collections.js';
import type { TradePlan } from '../shared/core/plan.js';
import { captureLogger, scriptedBrain } from './tick-helpers.js';

/**
 * Issue 12, item 6: a take-profit filled in two parts across two ticks is booked whole. Live mode
 * against the fake bitbank (real ccxt over HTTP), Firestore emulator. The fake fills a resting
 * limit by at most 10 % of a bar's volume per bar: two bars of volume 0.003 BTC trade through the
 * take-profit, so a 0.0005 BTC take-profit fills 0.0003 in the first and 0.0002 in the second.
 */
const T0 = Date.UTC(2024, 0, 1);
const K = 300;
const at = (k: number): number => T0 + k * HOUR_MS;
const PRICE = 10_000_000;
const candles: Candle[] = Array.from({ length: K + 20 }, (_, i) => {
  const through = i === K || i === K + 1; // the bars after the entry trade through the take-profit at 9,900,000
  return {
    openTimeMs: at(i),
    open: PRICE,
    high: PRICE + 10_000,
    low: through ? 9_850_000 : PRICE - 10_000,
    close: PRICE,
    volume: through ? 0.003 : 1,
  };
});

describeWithEmulator('booking a take-profit filled in parts (live mode, fake bitbank, emulator)', () => {
  let fake: FakeBitbank;
  const clock = new ReplayClock(at(K));
  beforeAll(async () => {
    fake = await startFakeBitbank({
      candles,
      nowMs: at(K) + 1_000,
      initialJpy: 1_000_000,
      initialBtc: 0,
      maxFillFractionOfVolume: 0.1,
    });
  });
  afterAll(async () => {
    await fake?.close();
  });

  const exchange = () =>
    createBitbankExchange({
      publicUrl: fake.url,
      privateUrl: fake.url,
      marketsUrl: fake.url,
      apiKey: 'fake-key',
      apiSecret: 'fake-secret',
      authMethod: 'time-window',
      callTimeoutMs: 5_000,
      clock,
      random: Math.random,
      logger: captureLogger().logger,
    });
  function deps(plan: (nowMs: number, hasPosition: boolean) => TradePlan | undefined): TickDeps {
    const { logger } = captureLogger();
    return {
      settings: {
        pair: 'btc_jpy',
        timeframe: '1h',
        mode: 'live',
        tickDeadlineMs: 30_000,
        tooLateBars: 2,
        entryWindowMs: 600_000,
        maxDrawdown: 0.15,
      },
      clock,
      logger,
      store: emulatorStore('live'),
      exchange: exchange(),
      brain: scriptedBrain(plan),
      owner: `live-${Math.random()}`,
    };
  }
  async function bar(k: number): Promise<{ scheduleTime: string }> {
    await fake.setClock(at(k) + 1_000);
    clock.set(at(k) + 5_000);
    return { scheduleTime: new Date(at(k)).toISOString() };
  }
  const booked = async () => (await emulatorStore('live').list(trades)).map((d) => d.data);

  it("the second part of the take-profit is booked too: booked P&L = the exchange's P&L net of fees and interest", async () => {
    const entry: TradePlan = {
      action: 'enter',
      side: 'short',
      amountBtc: '0.0005',
      stopPriceJpy: '10300000',
      takeProfitPriceJpy: '9900000',
      probabilityUp: 0.2,
      reasons: [],
    };
    expect(
      (
        await runTick(
          deps((nowMs, pos) => (nowMs === at(K) && !pos ? entry : undefined)),
          await bar(K),
        )
      ).body,
    ).toMatchObject({ outcome: 'ok', decision: 'enter' });

    // Next bar: 0.0003 of the take-profit filled; the tick books that part.
    expect(
      (
        await runTick(
          deps(() => undefined),
          await bar(K + 1),
        )
      ).body,
    ).toMatchObject({ outcome: 'ok' });
    expect(await booked()).toEqual([expect.objectContaining({ amountBtc: '0.0003', exitReason: 'take-profit' })]);

    // The bar after: the rest (0.0002) filled; the position is closed and its last part booked.
    expect(
      (
        await runTick(
          deps(() => undefined),
          await bar(K + 2),
        )
      ).body,
    ).toMatchObject({ outcome: 'ok' });
    const fills = await exchange().fetchTrades('btc_jpy', at(K) - HOUR_MS);
    const closing = fills.filter((f) => f.positionSide === 'short' && f.side === 'buy');
    expect(closing.map((f) => f.amountBtc)).toEqual(['0.0003', '0.0002']);
    expect(new Set(closing.map((f) => f.orderId)).size).toBe(1);
    const opening = fills.filter((f) => f.positionSide === 'short' && f.side === 'sell');
    const sum = (xs: Array<string | undefined>) => xs.reduce((s, x) => s.plus(x ?? '0'), new Decimal(0));
    const exchangeNet = sum(closing.map((f) => f.profitLossJpy))
      .minus(sum(closing.map((f) => f.feeJpy)))
      .minus(sum(closing.map((f) => f.interestJpy)))
      .minus(sum(opening.map((f) => f.feeJpy)));

    const all = await booked();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      amountBtc: '0.0005',
      exitReason: 'take-profit',
      tradeIds: closing.map((f) => f.tradeId),
    });
    const bookedNet = all.reduce((s, t) => s + t.pnlJpy, 0);
    expect(bookedNet).toBeCloseTo(exchangeNet.toNumber(), 2);
    expect(all[0]?.exchangeProfitLossJpy).toBeCloseTo(sum(closing.map((f) => f.profitLossJpy)).toNumber(), 6);

    // A re-run of the booking (the next bar's reconcile) books nothing new.
    expect(
      (
        await runTick(
          deps(() => undefined),
          await bar(K + 3),
        )
      ).body,
    ).toMatchObject({ outcome: 'ok', reconcileFixes: 0 });
    expect((await booked()).reduce((s, t) => s + t.pnlJpy, 0)).toBeCloseTo(bookedNet, 9);
  });
});
