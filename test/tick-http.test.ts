import { expect, it } from 'vitest';
import { describeWithEmulator, emulatorHost } from './support/emulator.js';
import { clearFirestoreEmulator } from '../tools/lib/firestore-emulator.js';
import { readCandlesCsv } from '../tools/lib/csv.js';
import { startReplay } from '../tools/replay/replay.js';
import { orders, ticks } from '../shared/store/tick-collections.js';
import { paperOrders } from '../shared/adapters/paper/paper-state.js';
import { audit } from '../shared/store/audit-collections.js';

const candles = readCandlesCsv('data/candles/binance-btcusdt-1h-2017-2022.csv', { quotePerUsd: 150 });
const exchangeOrders = async (fakeUrl: string) =>
  ((await (await fetch(`${fakeUrl}/__admin/orders`)).json()) as { orders: unknown[] }).orders;

describeWithEmulator('the tick function over HTTP (functions-framework, fake bitbank via real ccxt, emulator)', () => {
  it(
    '50 concurrent deliveries of each bar in live mode: one claim per bar, no more orders on the exchange than the bot sent',
    { timeout: 300_000 },
    async () => {
      await clearFirestoreEmulator(emulatorHost());
      const session = await startReplay({
        candles,
        bars: 3,
        mode: 'live',
        duplicates: 50,
        trainBars: 1000,
        log: () => undefined,
        env: { BOT_STRATEGY: 'ml' },
      });
      try {
        for (let k = 0; k < 3; k += 1) {
          const answers = await session.bar(k);
          expect(answers.filter((a) => a.outcome === 'ok')).toHaveLength(1);
          const ignored = answers.filter(
            (a) => (a.outcome === 'duplicate' && a.status === 200) || (a.outcome === 'running' && a.status === 409),
          );
          expect(ignored).toHaveLength(49);
        }
        const claims = await session.store.list(ticks);
        expect(claims.map((c) => c.data.attempt)).toEqual([1, 1, 1]);
        const summary = await session.summary();
        expect(summary).toMatchObject({
          ticksOk: 3,
          ticksFailed: 0,
          duplicatesIgnored: 147,
          positionMatchesExchange: true,
        });
        expect(summary.ordersOnExchange).toBe(summary.ordersSent);
        // the instance's cold start recorded its decision settings once, though 50 deliveries started it
        const decisions = (await session.store.list(audit)).filter(
          (d) => d.data.details.action === 'decision-settings',
        );
        expect(decisions.map((d) => d.data)).toEqual([
          expect.objectContaining({
            kind: 'config-change',
            actor: 'tick',
            details: expect.objectContaining({ first: true }),
          }),
        ]);

        const get = await fetch(session.urls.tick, { method: 'GET' });
        expect(get.status).toBe(405);
        const bad = await fetch(session.urls.tick, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        expect(bad.status).toBe(400);
        expect(await bad.json()).toMatchObject({ code: 'TICK.BAD_REQUEST' });
      } finally {
        await session.close();
      }
    },
  );

  it(
    'live mode with a wrong secret: 503 EXCHANGE.AUTH at every tick, no order anywhere, no paper fallback',
    { timeout: 300_000 },
    async () => {
      await clearFirestoreEmulator(emulatorHost());
      const session = await startReplay({
        candles,
        bars: 2,
        mode: 'live',
        duplicates: 1,
        trainBars: 1000,
        log: () => undefined,
        env: { BITBANK_API_SECRET: 'not-the-secret', BOT_STRATEGY: 'ml' },
      });
      try {
        for (let k = 0; k < 2; k += 1) {
          const [answer] = await session.bar(k);
          expect(answer).toMatchObject({ status: 503, outcome: 'failed', code: 'EXCHANGE.AUTH' });
        }
        expect(await exchangeOrders(session.fakeUrl)).toEqual([]);
        expect(await session.store.list(orders)).toEqual([]);
        expect(await session.store.list(paperOrders)).toEqual([]);
        expect((await session.store.list(ticks)).map((t) => [t.data.status, t.data.code])).toEqual([
          ['failed', 'EXCHANGE.AUTH'],
          ['failed', 'EXCHANGE.AUTH'],
        ]);
      } finally {
        await session.close();
      }
    },
  );
});
