import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startFakeMarketData, type FakeMarketData } from './fake-market-data.js';

const FIXTURES = fileURLToPath(new URL('../../data/fixtures/yahoo-finance2', import.meta.url));
const MACRO = fileURLToPath(new URL('../../data/macro', import.meta.url));

describe('fake Yahoo / alternative.me server', () => {
  let fake: FakeMarketData;
  beforeAll(async () => {
    fake = await startFakeMarketData({ macroDir: MACRO, fixturesDir: FIXTURES });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('replays a recorded chart answer exactly for its request', async () => {
    const recorded = JSON.parse(readFileSync(`${FIXTURES}/chart-EURUSD=X-2020-01-01-to-2020-01-03.json`, 'utf8'));
    const url = new URL(recorded.request.url);
    const response = await fetch(`${fake.yahooBaseUrl}${url.pathname}${url.search}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(recorded.response.bodyJson);
  });

  it('synthesises ^VIX from the daily file in the fixture shape, cut at period2 and at the fake now', async () => {
    const period1 = Date.UTC(2024, 2, 4) / 1000;
    const period2 = Date.UTC(2024, 2, 9) / 1000;
    const body = (await (
      await fetch(`${fake.yahooBaseUrl}/v8/finance/chart/%5EVIX?interval=1d&period1=${period1}&period2=${period2}`)
    ).json()) as {
      chart: {
        result: Array<{
          meta: { symbol: string; gmtoffset: number };
          timestamp: number[];
          indicators: { quote: Array<{ close: number[] }> };
        }>;
      };
    };
    const result = body.chart.result[0];
    expect(result?.meta).toMatchObject({ symbol: '^VIX', gmtoffset: -18000 });
    expect(result?.timestamp.map((ts) => new Date(ts * 1000).toISOString().slice(0, 10))).toEqual([
      '2024-03-04',
      '2024-03-05',
      '2024-03-06',
      '2024-03-07',
      '2024-03-08',
    ]);
    expect(result?.indicators.quote[0]?.close).toEqual([13.49, 14.46, 14.5, 14.44, 14.74]);
    fake.setNowMs(Date.UTC(2024, 2, 6, 12)); // before the 6 March open
    const cut = (await (
      await fetch(`${fake.yahooBaseUrl}/v8/finance/chart/%5EVIX?interval=1d&period1=${period1}&period2=${period2}`)
    ).json()) as typeof body;
    expect(cut.chart.result[0]?.timestamp).toHaveLength(2);
    fake.setNowMs(undefined);
  });

  it('serves /fng/ newest first with the requested limit', async () => {
    const body = (await (await fetch(`${fake.fearGreedBaseUrl}/fng/?limit=3&format=json`)).json()) as {
      data: Array<{ value: string; timestamp: string }>;
    };
    expect(body.data.map((d) => new Date(Number(d.timestamp) * 1000).toISOString().slice(0, 10))).toEqual([
      '2025-05-02',
      '2025-05-01',
      '2025-04-30',
    ]);
    expect(body.data[0]?.value).toBe('67');
  });

  it('injects a status for a number of requests, then answers normally', async () => {
    fake.setFault({ route: 'fearGreed', status: 503, times: 1 });
    expect((await fetch(`${fake.fearGreedBaseUrl}/fng/?limit=1`)).status).toBe(503);
    expect((await fetch(`${fake.fearGreedBaseUrl}/fng/?limit=1`)).status).toBe(200);
  });

  it('a hang fault never answers until the client gives up', async () => {
    fake.setFault({ route: 'yahoo', hang: true });
    const error = await fetch(`${fake.yahooBaseUrl}/v8/finance/chart/%5ETNX?period1=0&period2=1`, {
      signal: AbortSignal.timeout(200),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error | undefined)?.name).toBe('TimeoutError');
    fake.setFault(undefined);
  });
});
