import autocannon from 'autocannon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithEmulator } from '../support/emulator.js';
import { startHarness, type Harness } from './replay-harness.js';

/**
 * `health /detailed` and `/metrics` under 100 concurrent connections for 10 s each (autocannon),
 * after a few real ticks so the checks read real records: no errors, no timeouts, every answer
 * 200; the latency percentiles are printed (README: Benchmarks).
 */
const CONNECTIONS = 100;
const DURATION_S = 10;

describeWithEmulator('load: health under 100 concurrent requests', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ bars: 3 });
    for (let k = 0; k < 3; k += 1) await h.session.bar(k);
  }, 120_000);
  afterAll(async () => h?.close());

  for (const path of ['detailed', 'metrics']) {
    it(`/${path}: ${CONNECTIONS} connections for ${DURATION_S} s, no errors`, async () => {
      const result = await autocannon({
        url: `${h.session.urls.health}${path}`,
        connections: CONNECTIONS,
        duration: DURATION_S,
        timeout: 10,
      });
      const figures = {
        path: `/${path}`,
        requests: result.requests.total,
        rps: Math.round(result.requests.average),
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        maxMs: result.latency.max,
        errors: result.errors,
        timeouts: result.timeouts,
        non2xx: result.non2xx,
      };
      console.log(`load ${JSON.stringify(figures)}`);
      expect(result.requests.total).toBeGreaterThan(CONNECTIONS);
      expect({ errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx }).toEqual({
        errors: 0,
        timeouts: 0,
        non2xx: 0,
      });
      expect(result['2xx']).toBe(result.requests.total);
    }, 60_000);
  }
});
