import { afterEach, expect, it, vi } from 'vitest';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { resetRuntime, type RuntimeOverrides } from '../functions/runtime.js';
import '../functions/index.js';
import { HOUR_MS } from '../shared/core/candle.js';
import { BotError } from '../shared/core/errors.js';
import type { Store } from '../shared/ports/store.port.js';
import { botVersion } from '../shared/version.js';
import { clearFirestoreEmulator } from '../tools/lib/firestore-emulator.js';
import { describeWithEmulator, emulatorHost } from './support/emulator.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
type Line = Record<string, unknown>;

/** POSTs one delivery of the current bar to the deployed `tick` handler; returns its answer and the stdout lines. */
async function deliver(overrides: RuntimeOverrides): Promise<{ status: number; body: unknown; lines: Line[] }> {
  await clearFirestoreEmulator(emulatorHost());
  // The deployed logger (functions/runtime.ts) writes to stdout: read what it writes.
  const lines: Line[] = [];
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = String(chunk);
    if (!text.startsWith('{"')) return write(chunk, ...(rest as []));
    lines.push(JSON.parse(text) as Line);
    return true;
  });
  resetRuntime(overrides);
  const server = getTestServer('tick');
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as { port: number };
    const bar = new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS).toISOString();
    const res = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: {
        'X-CloudScheduler-ScheduleTime': bar,
        traceparent: `00-${TRACE}-${SPAN}-01`,
        'X-Cloud-Trace-Context': `${'a'.repeat(32)}/1;o=1`,
      },
    });
    return { status: res.status, body: await res.json(), lines };
  } finally {
    server.close();
  }
}

function only(lines: Line[], message: string): Line {
  const found = lines.filter((l) => l.message === message);
  expect(found, message).toHaveLength(1);
  return found[0] as Line;
}

function expectTraced(line: Line): void {
  // Cloud Logging: the request's trace (traceparent wins over X-Cloud-Trace-Context), in the configured project.
  expect(line['logging.googleapis.com/trace']).toBe(`projects/${process.env.GCP_PROJECT}/traces/${TRACE}`);
  expect(line['logging.googleapis.com/spanId']).toBe(SPAN);
  expect(line['logging.googleapis.com/trace_sampled']).toBe(true);
}

describeWithEmulator('a failing tick over HTTP: its log lines, as Cloud Logging and Error Reporting read them', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    resetRuntime();
  });

  it('an unexpected throw: severity ERROR, its code, the stack of the throw, serviceContext, the trace', async () => {
    // An unexpected error thrown inside the tick, right after it claimed its bar.
    let thrown: Error | undefined;
    const fault: RuntimeOverrides['fault'] = (step) => {
      if (step !== 'claim') return;
      thrown = new TypeError("Cannot read properties of undefined (reading 'price')");
      throw thrown;
    };
    const { status, body, lines } = await deliver({ fault });
    expect(status).toBe(500);
    expect(body).toEqual({ code: 'INTERNAL', message: 'internal error' });
    const line = only(lines, 'tick failed');
    expect(line.severity).toBe('ERROR');
    expect(line.code).toBe('INTERNAL');
    // Error Reporting: the V8 stack of the throw (a frame in this file), grouped by service and version.
    expect(line.stack_trace).toBe(thrown?.stack);
    expect(line.stack_trace).toMatch(/^TypeError: Cannot read properties of undefined \(reading 'price'\)\n/);
    expect(line.stack_trace).toMatch(/^\s+at .*tick-log-line\.test\.ts/m);
    expect(line.serviceContext).toEqual({ service: 'tick', version: botVersion() });
    expectTraced(line);
    // Every line of that request carries the trace (the claim's line too); only ERROR lines a stack.
    const claimed = only(lines, 'bar claimed');
    expectTraced(claimed);
    expect(claimed.severity).toBe('INFO');
    expect(claimed.stack_trace).toBeUndefined();
    expect(claimed.serviceContext).toBeUndefined();
  });

  it('a store failing after the claim: the failure and the unwritten record both carry their stacks', async () => {
    const injected: Error[] = [];
    let transactions = 0;
    const wrapStore = (store: Store): Store => {
      const wrapped = Object.create(store) as Store;
      wrapped.runTransaction = (work) => {
        transactions += 1;
        if (transactions === 1) return store.runTransaction(work); // the claim
        const error = new BotError('STORE.UNAVAILABLE', `injected: transaction ${transactions} refused`);
        injected.push(error);
        return Promise.reject(error);
      };
      return wrapped;
    };
    const { status, lines } = await deliver({ wrapStore });
    expect(status).toBeGreaterThanOrEqual(500);
    const unwritten = only(lines, 'tick record could not be written');
    expect(unwritten).toMatchObject({ severity: 'ERROR', code: 'STORE.UNAVAILABLE' });
    expect(injected.map((e) => e.stack)).toContain(unwritten.stack_trace);
    expect(unwritten.stack_trace).toMatch(/^BotError: injected: transaction \d+ refused\n\s+at /);
    expect(unwritten.serviceContext).toEqual({ service: 'tick', version: botVersion() });
    expectTraced(unwritten);
    // The tick itself failed on the refused store: one line with the error's stack, one summary without.
    const failed = lines.filter((l) => l.message === 'tick failed');
    expect(failed.map((l) => l.severity)).toEqual(['ERROR', 'ERROR']);
    const [withError, summary] = failed as [Line, Line];
    expect(withError).toMatchObject({ code: 'STORE.UNAVAILABLE', outcome: 'failed' });
    expect(injected.map((e) => e.stack)).toContain(withError.stack_trace);
    expect(summary.stack_trace).toBeUndefined();
    expect(summary.serviceContext).toEqual({ service: 'tick', version: botVersion() });
  });
});
