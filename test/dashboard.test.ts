import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { HOUR_MS } from '../shared/core/candle.js';
import { healthRoute } from '../shared/app/health/routes.js';
import { planIncidents, incidentId } from '../shared/core/incidents/incidents.js';
import { incidents } from '../shared/store/incident-collections.js';
import { bookTrade } from '../shared/app/health/summaries.js';
import { describeWithEmulator, emulatorStore } from './support/emulator.js';
import { healthDeps, runPaperTicks, seedCandles, seedMacro, seedModel, waveCandles } from './health-helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  process.stderr.write(`\n!!! DASHBOARD BROWSER TEST SKIPPED !!! ${CHROMIUM} not found (apt-get install chromium)\n\n`);

const T0 = Date.UTC(2026, 10, 20);
const at = (bar: number) => T0 + bar * HOUR_MS;
const NOW = at(72) + 12 * 60_000;

(hasChromium ? describeWithEmulator : describe.skip)('dashboard in Debian chromium (playwright-core)', () => {
  const store = emulatorStore('paper');
  let server: Server;
  let browser: Browser;
  let base = '';

  beforeAll(async () => {
    const candles = waveCandles(T0, 80);
    await seedCandles(store, candles, NOW);
    await seedMacro(store, NOW);
    await seedModel(store, NOW - 2 * 24 * HOUR_MS);
    await runPaperTicks(store, candles, [at(69), at(70), at(71), at(72)]);
    await bookTrade(
      store,
      {
        pair: 'btc_jpy',
        side: 'long',
        amountBtc: '0.001',
        entryTimeMs: at(40) + 1_000,
        exitTimeMs: at(44) + 5_000,
        entryPriceJpy: 10_000_000,
        exitPriceJpy: 10_040_000,
        pnlJpy: 25,
        feesJpy: 15,
        interestJpy: 0,
        exitReason: 'take-profit',
        closingOrderId: 'd1',
        tradeIds: [],
      },
      'paper',
      NOW,
    );
    const resolved = planIncidents({
      open: [],
      observations: [
        { code: 'EXTERNAL.FETCH_FAILED', count: 1, query: 'external-fetch-failures', message: 'vix failed' },
      ],
      nowMs: NOW - 5 * HOUR_MS,
    }).open[0]!;
    await store.set(incidents, incidentId('EXTERNAL.FETCH_FAILED', NOW - 5 * HOUR_MS), {
      ...resolved,
      status: 'resolved',
      resolvedAtMs: NOW - 4.5 * HOUR_MS,
    });
    server = createServer((req, res) => {
      const route = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '') || '/';
      healthRoute(healthDeps(store, NOW), route).then(
        (a) => res.writeHead(a.status, { 'content-type': a.contentType }).end(a.body),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('loads with no console errors, shows the last tick, the checks, ticks and incidents, and writes a screenshot', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()}`));
    const answer = await page.goto(`${base}/dashboard`);
    expect(answer?.status()).toBe(200);
    await page.waitForSelector('body[data-ready]', { timeout: 20_000 });
    expect(await page.getAttribute('body', 'data-ready')).toBe('true');
    expect(await page.textContent('#last-tick')).toContain(`Last tick: ${new Date(at(72)).toISOString()} ok`);
    expect(await page.textContent('#banner')).toContain('Healthy');
    expect(await page.locator('#checks tr').count()).toBe(11); // header + 10 checks
    expect(await page.locator('#ticks tr').count()).toBe(5); // header + 4 ticks
    expect(await page.textContent('#incidents')).toContain('EXTERNAL.FETCH_FAILED');
    expect(await page.locator('#price canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('#equity canvas').count()).toBeGreaterThan(0);
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/dashboard.png', fullPage: true });
    expect(statSync('test-results/dashboard.png').size).toBeGreaterThan(10_000);
    expect(problems).toEqual([]);
  });
});
