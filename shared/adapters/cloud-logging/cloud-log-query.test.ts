import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLogging, type FakeLogging } from '../../../tools/fake-logging/server.js';
import { systemClock } from '../system-clock.js';
import { createCloudLogQuery, createLogging, LOG_QUERY_ATTEMPTS } from './cloud-log-query.js';

const ENTRY = {
  logName: 'projects/demo-crypto-bot/logs/run',
  severity: 'ERROR',
  timestamp: '2026-11-20T00:00:00.000Z',
  jsonPayload: { code: 'STORE.UNAVAILABLE' },
};

describe('the log query over the real @google-cloud/logging client (fake Logging gRPC server)', () => {
  let fake: FakeLogging;
  beforeAll(async () => {
    fake = await startFakeLogging();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.clear();
    fake.add([ENTRY]);
  });
  const query = (callTimeoutMs = 1_000) =>
    createCloudLogQuery(createLogging({ projectId: 'demo-crypto-bot', endpoint: fake.endpoint }), {
      projectId: 'demo-crypto-bot',
      clock: systemClock,
      callTimeoutMs,
    });

  it("retries transient failures in one layer, the client's own, bounded in attempts", async () => {
    fake.fail({ code: grpc.status.UNAVAILABLE, count: 2 });
    const result = await query().entries({ filter: '', limit: 10 });
    expect(result.entries).toHaveLength(1);
    expect(fake.requests).toHaveLength(3);

    fake.clear();
    fake.fail({ code: grpc.status.UNAVAILABLE, count: 50 });
    await expect(query().entries({ filter: '', limit: 10 })).rejects.toMatchObject({
      code: 'LOGGING.UNAVAILABLE',
      message: `log query failed (UNAVAILABLE, ${LOG_QUERY_ATTEMPTS} attempts)`,
    });
    // Not attempts x the client's own retries: exactly the configured attempts reach the API.
    expect(fake.requests).toHaveLength(LOG_QUERY_ATTEMPTS);
  });

  it('does not retry a refusal (PERMISSION_DENIED): one request, the status named', async () => {
    fake.fail({ code: grpc.status.PERMISSION_DENIED, count: 5 });
    await expect(query().entries({ filter: '', limit: 10 })).rejects.toThrow(/PERMISSION_DENIED/);
    expect(fake.requests).toHaveLength(1);
  });

  it('a hanging API is cut by the per-call timeout, and the whole query by its total deadline', async () => {
    fake.fail({ hang: true, count: 50 });
    const t0 = performance.now();
    await expect(query(300).entries({ filter: '', limit: 10 })).rejects.toMatchObject({ code: 'LOGGING.UNAVAILABLE' });
    const elapsedMs = performance.now() - t0;
    expect(fake.requests.length).toBeLessThanOrEqual(LOG_QUERY_ATTEMPTS);
    expect(elapsedMs).toBeLessThan(LOG_QUERY_ATTEMPTS * 300 + 1_500);
  });
});
