import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { describeWithEmulator, emulatorHost } from '../support/emulator.js';
import { clearFirestoreEmulator } from '../../tools/lib/firestore-emulator.js';
import { resetRuntime } from '../../functions/runtime.js';
import { captureLogger } from '../tick-helpers.js';
import { call, rootCollections, serveFunction, type HttpAnswer } from './http-harness.js';

/**
 * Bad input at the HTTP edge, property-based: every request that does not name a valid bar (or
 * backup kind, or health route) gets a 4xx with a JSON `{code, message}` and no stack; nothing is
 * thrown past the handler (a 5xx would show it) and nothing is written to Firestore.
 */
const RUNS = 60;
const DAY_MS = 86_400_000;

/** What the tick's parser would accept as a time; the generators below keep only what it must refuse. */
const looksLikeTime = (s: string): boolean => {
  const t = s.trim();
  if (t === '') return false;
  const ms = /^\d+$/.test(t) ? Number(t) : Date.parse(t);
  return Number.isFinite(ms) && ms > 0;
};
const printable = fc.string({ unit: fc.constantFrom(...' !"#$%&\'()*+,-./0123456789:;<=>?@ABCXYZTabcxyz[]_{|}~'.split('')), maxLength: 40 });
const notATime = printable.filter((s) => s.trim() !== '' && !looksLikeTime(s));
const futureIso = fc.integer({ min: 2, max: 3_650 }).map((days) => new Date(Date.now() + days * DAY_MS).toISOString());
const badBar = fc.oneof(
  notATime,
  futureIso,
  fc.boolean(),
  fc.constant(null),
  fc.integer({ max: -1 }),
  fc.double({ noNaN: true, noInteger: true }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);
const badTickBody = fc.oneof(
  fc.record({ bar: badBar }),
  fc.dictionary(fc.string({ maxLength: 8 }).filter((k) => k !== 'bar'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
);
/** Top-level JSON primitives: functions-framework's strict JSON parser refuses them itself (400, its own text). */
const primitiveBody = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant(null));

/** Paths whose percent escapes decode (a lone `%` or `%aa`, not UTF-8, is express's own 400 before any handler). */
function decodesAsUtf8(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

function expectCoded(answer: HttpAnswer, statuses: number[], code?: string): void {
  expect(statuses, `status ${answer.status}: ${answer.text.slice(0, 200)}`).toContain(answer.status);
  expect(answer.text).not.toMatch(/(\n\s+|&nbsp;)at |\.[jt]s:\d+:\d+/);
  if (code !== undefined) expect(answer.json?.code).toBe(code);
  if (answer.json !== undefined) expect(String(answer.json.message ?? '')).not.toBe('');
}

describeWithEmulator('bad input over HTTP: 4xx with a code, nothing written (fast-check)', () => {
  let tick: { url: string; close(): Promise<void> };
  let backup: { url: string; close(): Promise<void> };
  let health: { url: string; close(): Promise<void> };

  const { logger, lines } = captureLogger();

  const nodeEnv = process.env.NODE_ENV;

  beforeAll(async () => {
    // As deployed: express's own error pages (e.g. a malformed percent-escape) carry a stack trace
    // unless NODE_ENV is production; the servers read it when they are created.
    process.env.NODE_ENV = 'production';
    resetRuntime({ logger });
    await clearFirestoreEmulator(emulatorHost());
    [tick, backup, health] = await Promise.all([serveFunction('tick'), serveFunction('backup'), serveFunction('health')]);
  });
  afterAll(async () => {
    await Promise.all([tick?.close(), backup?.close(), health?.close()]);
    process.env.NODE_ENV = nodeEnv;
    resetRuntime();
  });

  it('tick: X-CloudScheduler-ScheduleTime headers that are not a past time -> 400 TICK.BAD_REQUEST', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(notATime, futureIso), async (header) => {
        expectCoded(await call(tick.url, { method: 'POST', headers: { 'X-CloudScheduler-ScheduleTime': header } }), [400], 'TICK.BAD_REQUEST');
      }),
      { numRuns: RUNS },
    );
    expect(await rootCollections()).toEqual([]);
    // each refusal was logged once, with its code (the caller and the operator see the same code)
    expect(lines.filter((l) => l.code === 'TICK.BAD_REQUEST').length).toBeGreaterThanOrEqual(RUNS);
  });

  it('tick: manual-call bodies without a valid bar -> 400 TICK.BAD_REQUEST', async () => {
    await fc.assert(
      fc.asyncProperty(badTickBody, async (body) => {
        const answer = await call(tick.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        expectCoded(answer, [400], 'TICK.BAD_REQUEST');
      }),
      { numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(primitiveBody, async (body) => {
        expectCoded(await call(tick.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }), [400]);
      }),
      { numRuns: 20 },
    );
    expect(await rootCollections()).toEqual([]);
  });

  it('tick: bytes that are not JSON, and methods other than POST -> 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(printable.filter((s) => { try { JSON.parse(s); return false; } catch { return true; } }), fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH'), async (raw, method) => {
        expectCoded(await call(tick.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw }), [400]);
        expectCoded(await call(tick.url, { method }), [405], 'METHOD_NOT_ALLOWED');
      }),
      { numRuns: 30 },
    );
    expect(await rootCollections()).toEqual([]);
  });

  it('backup: bodies without a valid kind -> 400 BACKUP.BAD_REQUEST, before any client is built', async () => {
    const kinds = new Set(['daily', 'weekly', 'monthly']);
    const badBody = fc.oneof(
      fc.record({ kind: fc.jsonValue({ maxDepth: 1 }).filter((k) => typeof k !== 'string' || !kinds.has(k)) }),
      fc.dictionary(fc.string({ maxLength: 8 }).filter((k) => k !== 'kind'), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
    );
    await fc.assert(
      fc.asyncProperty(badBody, async (body) => {
        expectCoded(await call(backup.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }), [400], 'BACKUP.BAD_REQUEST');
      }),
      { numRuns: RUNS },
    );
    expect(await rootCollections()).toEqual([]);
  });

  it('health: unknown paths -> 404 NOT_FOUND, other methods -> 405', async () => {
    const known = new Set(['', 'detailed', 'performance', 'metrics', 'dashboard', 'dashboard/data.json']);
    const segment = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_.~%'.split('')), minLength: 1, maxLength: 12 });
    const path = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/')).filter((p) => !known.has(p) && decodesAsUtf8(p) && !/(^|\/)\.\.?($|\/)/.test(p));
    await fc.assert(
      fc.asyncProperty(path, fc.constantFrom('POST', 'PUT', 'DELETE'), async (p, method) => {
        expectCoded(await call(`${health.url}/${p}`), [404], 'NOT_FOUND');
        // express (inside functions-framework) routes non-GET requests through a path parameter it
        // percent-decodes itself: a malformed escape is its own 400 before our handler runs.
        expectCoded(await call(`${health.url}/${p}`, { method }), p.includes('%') ? [400, 405] : [405]);
      }),
      { numRuns: RUNS },
    );
    expect(await rootCollections()).toEqual([]);
  });
});
