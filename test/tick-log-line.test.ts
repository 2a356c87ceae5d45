import { afterEach, expect, it, vi } from 'vitest';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { resetRuntime } from '../functions/runtime.js';
import '../functions/index.js';
import { HOUR_MS } from '../shared/core/candle.js';
import { botVersion } from '../shared/version.js';
import { clearFirestoreEmulator } from '../tools/lib/firestore-emulator.js';
import { describeWithEmulator, emulatorHost } from './support/emulator.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

describeWithEmulator('a failing tick over HTTP: its log line, as Cloud Logging and Error Reporting read it', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    resetRuntime();
  });

  it('carries severity ERROR, the code, the stack of the throw, serviceContext and the request trace', async () => {
    await clearFirestoreEmulator(emulatorHost());
    // The deployed logger (functions/runtime.ts) writes to stdout: read what it writes.
    const lines: Array<Record<string, unknown>> = [];
    const write = process.stdout.write.bind(process.stdout);
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = String(chunk);
      if (text.startsWith('{"')) lines.push(JSON.parse(text) as Record<string, unknown>);
      else return write(chunk, ...(rest as []));
      return true;
    });
    // An unexpected error thrown inside the tick, right after it claimed its bar.
    let thrown: Error | undefined;
    resetRuntime({
      fault: (step) => {
        if (step !== 'claim') return;
        thrown = new TypeError("Cannot read properties of undefined (reading 'price')");
        throw thrown;
      },
    });
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
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ code: 'INTERNAL', message: 'internal error' });
    } finally {
      server.close();
    }
    const failed = lines.filter((l) => l.message === 'tick failed');
    expect(failed).toHaveLength(1);
    const line = failed[0] as Record<string, unknown>;
    expect(line.severity).toBe('ERROR');
    expect(line.code).toBe('INTERNAL');
    // Error Reporting: the V8 stack of the throw (its first frame is in this file), grouped by service and version.
    expect(line.stack_trace).toBe(thrown?.stack);
    expect(line.stack_trace).toMatch(/^TypeError: Cannot read properties of undefined \(reading 'price'\)\n/);
    expect(line.stack_trace).toMatch(/^\s+at .*tick-log-line\.test\.ts/m);
    expect(line.serviceContext).toEqual({ service: 'tick', version: botVersion() });
    // Cloud Logging: the request's trace (traceparent wins over X-Cloud-Trace-Context), in the emulator's project.
    expect(line['logging.googleapis.com/trace']).toBe(`projects/${process.env.GCP_PROJECT}/traces/${TRACE}`);
    expect(line['logging.googleapis.com/spanId']).toBe(SPAN);
    expect(line['logging.googleapis.com/trace_sampled']).toBe(true);
    // Every line of that request carries the trace (the claim's line too), and only ERROR lines a stack.
    const claimed = lines.find((l) => l.message === 'bar claimed');
    expect(claimed?.['logging.googleapis.com/trace']).toBe(line['logging.googleapis.com/trace']);
    expect(claimed?.severity).toBe('INFO');
    expect(claimed?.stack_trace).toBeUndefined();
  });
});
