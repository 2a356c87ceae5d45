import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { describeWithEmulator, emulatorHost } from '../support/emulator.js';
import { clearFirestoreEmulator } from '../../tools/lib/firestore-emulator.js';
import { resetRuntime } from '../../functions/runtime.js';
import { captureLogger } from '../tick-helpers.js';
import { call, rootCollections, serveFunction, type HttpAnswer } from './http-harness.js';
import { fcRuns } from '../support/fc-runs.js';
import { EMULATOR_PROJECT_ID } from '../../tools/lib/firestore-emulator.js';
import { createFirestore } from '../../shared/adapters/firestore/firestore-store.js';

/**
 * Bad input at the HTTP edge, property-based: every request that does not name a valid bar (or
 * backup kind, retrain body, health route) gets a 4xx with the bot's JSON `{code, message}` and no
 * stack; nothing is thrown past the handler (a 5xx would show it) and nothing is written to Firestore.
 * Tick times are judged by this file's own oracle, never by the parser under test: each generated
 * time is built from its parts and rendered either as RFC 3339 with a zone (valid) or in a form that
 * is not (seconds or ms since the epoch, no zone, prose dates, impossible fields); a bar is accepted
 * iff it is valid, has started (60 s skew) and is at most RETENTION_DAYS old.
 * `FC_RUNS=1000` runs every property at least 1,000 times (test/support/fc-runs.ts).
 */
const RUNS = fcRuns(60);
const HOUR = 3_600_000;
const DAY_MS = 86_400_000;
/** The oldest bar a delivery may name: the tick records' retention, 30 days (README "The tick"). */
const RETENTION_DAYS = 30;
const SKEW_MS = 60_000;
const TOO_LATE_BARS = 2;
const NOW0 = Date.now();

interface RenderedTime {
  readonly text: string;
  /** True when `text` is an RFC 3339 date-time with a zone naming `ms`. */
  readonly valid: boolean;
  readonly ms: number;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
function fields(ms: number): { y: string; mo: string; d: string; h: string; mi: string; s: string; date: Date } {
  const date = new Date(ms);
  return {
    y: pad(date.getUTCFullYear(), 4),
    mo: pad(date.getUTCMonth() + 1),
    d: pad(date.getUTCDate()),
    h: pad(date.getUTCHours()),
    mi: pad(date.getUTCMinutes()),
    s: pad(date.getUTCSeconds()),
    date,
  };
}

/** An instant near now (either side of every limit) or long ago, whole seconds plus a fraction. */
const instant = fc.oneof(
  fc.integer({ min: NOW0 - 40 * DAY_MS, max: NOW0 + 3 * DAY_MS }),
  fc.integer({ min: 0, max: Date.UTC(2020, 0, 1) }),
);
const validText = fc.oneof(
  // UTC: `Z` or `z`, `T` or `t`, 0-9 fraction digits
  fc.tuple(instant, fc.boolean(), fc.integer({ min: 0, max: 9 })).map(([ms, lower, digits]): RenderedTime => {
    const f = fields(ms);
    const fraction = digits === 0 ? '' : `.${pad(f.date.getUTCMilliseconds(), 3).padEnd(digits, '0').slice(0, digits)}`;
    const exact =
      digits >= 3 ? ms : ms - (ms % 1000) + (digits === 0 ? 0 : Number(fraction.slice(1).padEnd(3, '0').slice(0, 3)));
    return {
      text: `${f.y}-${f.mo}-${f.d}${lower ? 't' : 'T'}${f.h}:${f.mi}:${f.s}${fraction}${lower ? 'z' : 'Z'}`,
      valid: true,
      ms: exact,
    };
  }),
  // a numeric offset: the local wall time of that zone
  fc.tuple(instant, fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 })).map(([ms, offsetMin]): RenderedTime => {
    const whole = ms - (ms % 1000);
    const f = fields(whole + offsetMin * 60_000);
    const sign = offsetMin < 0 ? '-' : '+';
    const abs = Math.abs(offsetMin);
    return {
      text: `${f.y}-${f.mo}-${f.d}T${f.h}:${f.mi}:${f.s}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`,
      valid: true,
      ms: whole,
    };
  }),
);
const invalidText = fc.tuple(instant, fc.integer({ min: 0, max: 11 })).map(([ms, form]): RenderedTime => {
  const f = fields(ms);
  const texts = [
    String(Math.floor(ms / 1000)), // seconds since the epoch (read as ms: a 1970 bar)
    String(ms), // ms since the epoch
    `${f.y}-${f.mo}-${f.d}T${f.h}:${f.mi}:${f.s}`, // no zone
    `${f.y}-${f.mo}-${f.d} ${f.h}:${f.mi}`, // no zone, no seconds
    `${MONTHS[f.date.getUTCMonth()]} ${f.date.getUTCDate()} ${f.y}`, // "June 3 2019"
    f.date.toUTCString(), // RFC 7231 date
    `${f.y}-${f.mo}-${f.d}T${f.h}:${f.mi}:${f.s}+0900`, // offset without a colon
    `${f.y}-${f.mo}-${f.d}T24:${f.mi}:${f.s}Z`, // hour 24
    `${f.y}-${f.mo}-${f.d}T${f.h}:${f.mi}:60Z`, // leap second (not a bar)
    `${f.y}-02-30T${f.h}:${f.mi}:${f.s}Z`, // a day that does not exist
    `${f.y}-${f.mo}-${f.d}`, // a date alone
    `${f.y}-${f.mo}-${f.d}T${f.h}:${f.mi}:${f.s}Z `.repeat(2).trim(), // two times
  ];
  return { text: texts[form] as string, valid: false, ms };
});

/** The oracle: the bar a delivery may run, or undefined for a 400 that writes nothing. */
function acceptedBar(t: RenderedTime, nowMs: number): number | undefined {
  if (!t.valid) return undefined;
  const bar = Math.floor(t.ms / HOUR) * HOUR;
  if (bar - nowMs > SKEW_MS) return undefined;
  if (nowMs - bar > RETENTION_DAYS * DAY_MS) return undefined;
  return bar;
}
/**
 * Valid bars that would trade (on time) or sit within an hour of a limit are left out of the HTTP
 * properties: the first would reach the exchange, the second could change sides while the test runs.
 * The parser's unit test covers both (shared/core/tick/bar.test.ts).
 */
function clearOfLimits(t: RenderedTime): boolean {
  const age = NOW0 - Math.floor(t.ms / HOUR) * HOUR;
  if (Math.abs(age - RETENTION_DAYS * DAY_MS) < HOUR || Math.abs(age + SKEW_MS) < HOUR) return false;
  return !(t.valid && age >= -SKEW_MS && age <= (TOO_LATE_BARS + 1) * HOUR);
}
const timeText = fc.oneof(validText, invalidText).filter(clearOfLimits);

const printable = fc.string({
  unit: fc.constantFrom(...' !"#$%&\'()*+,-./0123456789:;<=>?@ABCXYZTabcxyz[]_{|}~'.split('')),
  maxLength: 40,
});
const badBar = fc.oneof(
  fc.boolean(),
  fc.constant(null),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);
const badTickBody = fc.oneof(
  fc.record({ bar: badBar }),
  fc.dictionary(
    fc.string({ maxLength: 8 }).filter((k) => k !== 'bar'),
    fc.jsonValue({ maxDepth: 2 }),
    { maxKeys: 4 },
  ),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
);
/** Top-level JSON primitives: body-parser's strict mode refuses them before the function (our JSON 400 now). */
const primitiveBody = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant(null));
/** Not JSON, and not blank (body-parser reads an empty body as `{}`: each function then judges `{}` itself). */
const notJson = printable.filter((s) => {
  if (s.trim() === '') return false;
  try {
    JSON.parse(s);
    return false;
  } catch {
    return true;
  }
});

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
  // the bot's JSON, never a framework's HTML page
  expect(answer.json, answer.text.slice(0, 200)).toBeDefined();
  if (code !== undefined) expect(answer.json?.code).toBe(code);
  expect(String(answer.json?.message ?? '')).not.toBe('');
}

async function auditKinds(): Promise<string[]> {
  const db = createFirestore({ projectId: EMULATOR_PROJECT_ID });
  try {
    return (await db.collection('audit').get()).docs.map((d) => String(d.get('kind')));
  } finally {
    await db.terminate();
  }
}

async function tickIds(): Promise<string[]> {
  const db = createFirestore({ projectId: EMULATOR_PROJECT_ID });
  try {
    return (await db.collection('ticks').listDocuments()).map((d) => d.id).sort();
  } finally {
    await db.terminate();
  }
}

describeWithEmulator('bad input over HTTP: 4xx with a code, nothing written (fast-check)', () => {
  let tick: { url: string; close(): Promise<void> };
  let backup: { url: string; close(): Promise<void> };
  let health: { url: string; close(): Promise<void> };
  let retrain: { url: string; close(): Promise<void> };
  let logCheck: { url: string; close(): Promise<void> };

  const { logger, lines } = captureLogger();

  const nodeEnv = process.env.NODE_ENV;

  beforeAll(async () => {
    // As deployed: express's own error pages (e.g. a malformed percent-escape) carry a stack trace
    // unless NODE_ENV is production; the servers read it when they are created.
    process.env.NODE_ENV = 'production';
    resetRuntime({ logger });
    await clearFirestoreEmulator(emulatorHost());
    [tick, backup, health, retrain, logCheck] = await Promise.all([
      serveFunction('tick'),
      serveFunction('backup'),
      serveFunction('health'),
      serveFunction('retrain'),
      serveFunction('logCheck'),
    ]);
  });
  afterAll(async () => {
    await Promise.all([tick?.close(), backup?.close(), health?.close(), retrain?.close(), logCheck?.close()]);
    process.env.NODE_ENV = nodeEnv;
    resetRuntime();
  });

  /**
   * One property per place a bar can be named: the oracle decides; a refused time is 400
   * TICK.BAD_REQUEST, an accepted one (too late to trade, by construction) is 200; afterwards the
   * `ticks` documents are exactly the accepted bars and nothing else was written.
   */
  for (const where of ['header', 'body'] as const) {
    it(`tick: bar times in the ${where} judged by the oracle (RFC 3339 with a zone, started, <= ${RETENTION_DAYS} days old)`, async () => {
      await clearFirestoreEmulator(emulatorHost());
      const accepted = new Set<number>();
      let refused = 0;
      const refusedBefore = lines.filter((l) => l.code === 'TICK.BAD_REQUEST').length;
      await fc.assert(
        fc.asyncProperty(timeText, async (t) => {
          const init: RequestInit =
            where === 'header'
              ? { method: 'POST', headers: { 'X-CloudScheduler-ScheduleTime': t.text } }
              : {
                  method: 'POST',
                  headers: { 'content-type': 'application/json' },
                  body: JSON.stringify({ bar: t.text }),
                };
          const answer = await call(tick.url, init);
          const bar = acceptedBar(t, Date.now());
          if (bar === undefined) {
            refused += 1;
            expectCoded(answer, [400], 'TICK.BAD_REQUEST');
          } else {
            accepted.add(bar);
            expect(answer.status, `${t.text}: ${answer.text.slice(0, 200)}`).toBe(200);
            expect(answer.json?.bar).toBe(new Date(bar).toISOString());
          }
        }),
        { numRuns: RUNS },
      );
      expect(refused, 'the generator produced refusals').toBeGreaterThan(0);
      expect(await tickIds()).toEqual([...accepted].map((bar) => `btc_jpy_1h_${bar}`).sort());
      // accepted bars write their tick and health records; the instance's cold start records its decision settings
      // (one config-change audit record); nothing else
      const written = await rootCollections();
      expect(
        written.filter((c) => !['ticks', 'healthDays', 'healthWindows', 'decisionSettings', 'audit'].includes(c)),
      ).toEqual([]);
      expect(new Set(await auditKinds())).toEqual(new Set(written.includes('audit') ? ['config-change'] : []));
      // each refusal was logged with its code (the caller and the operator see the same code)
      expect(lines.filter((l) => l.code === 'TICK.BAD_REQUEST').length - refusedBefore).toBeGreaterThanOrEqual(refused);
    });
  }

  it('tick: the cases of issue 12 are refused and write nothing', async () => {
    await clearFirestoreEmulator(emulatorHost());
    for (const header of [
      '1559556000',
      'June 3 2019',
      '2019-06-03 11:00',
      new Date(Date.now() - 5 * HOUR).toISOString().slice(0, 19),
    ]) {
      expectCoded(
        await call(tick.url, { method: 'POST', headers: { 'X-CloudScheduler-ScheduleTime': header } }),
        [400],
        'TICK.BAD_REQUEST',
      );
    }
    for (const bar of [1559556000, Date.now() - 5 * HOUR]) {
      expectCoded(
        await call(tick.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ bar }),
        }),
        [400],
        'TICK.BAD_REQUEST',
      );
    }
    expect(await rootCollections()).toEqual([]);
  });

  it('tick: manual-call bodies without a valid bar -> 400 TICK.BAD_REQUEST', async () => {
    await clearFirestoreEmulator(emulatorHost());
    await fc.assert(
      fc.asyncProperty(badTickBody, async (body) => {
        const answer = await call(tick.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expectCoded(answer, [400], 'TICK.BAD_REQUEST');
      }),
      { numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(primitiveBody, async (body) => {
        expectCoded(
          await call(tick.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          }),
          [400],
          'HTTP.BAD_REQUEST',
        );
      }),
      { numRuns: fcRuns(20) },
    );
    expect(await rootCollections()).toEqual([]);
  });

  it("every function: bytes that are not JSON -> the bot's JSON 400 HTTP.BAD_REQUEST; tick: methods other than POST -> 405", async () => {
    await clearFirestoreEmulator(emulatorHost());
    const all = [tick, backup, health, retrain, logCheck];
    await fc.assert(
      fc.asyncProperty(
        notJson,
        fc.constantFrom(...all.keys()),
        fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH'),
        async (raw, i, method) => {
          expectCoded(
            await call(all[i]!.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw }),
            [400],
            'HTTP.BAD_REQUEST',
          );
          expectCoded(await call(tick.url, { method }), [405], 'METHOD_NOT_ALLOWED');
        },
      ),
      { numRuns: fcRuns(30) },
    );
    expect(await rootCollections()).toEqual([]);
  });

  it('retrain: runs only for a JSON object body; anything else -> 400 RETRAIN.BAD_REQUEST, nothing written', async () => {
    await clearFirestoreEmulator(emulatorHost());
    const badRequest = fc.oneof(
      printable.map((text) => ({ headers: { 'content-type': 'text/plain' }, body: text })),
      fc.constant({ headers: {}, body: undefined as string | undefined }),
      fc
        .array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 })
        .map((a) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(a) })),
      fc
        .dictionary(
          fc.string({ maxLength: 8 }).filter((k) => !['seed', 'evalBars', 'dryRun'].includes(k)),
          fc.jsonValue({ maxDepth: 1 }),
          { minKeys: 1, maxKeys: 3 },
        )
        .map((o) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(o) })),
    );
    await fc.assert(
      fc.asyncProperty(badRequest, async ({ headers, body }) => {
        expectCoded(
          await call(retrain.url, { method: 'POST', headers, ...(body === undefined ? {} : { body }) }),
          [400],
          'RETRAIN.BAD_REQUEST',
        );
      }),
      { numRuns: RUNS },
    );
    expect(await rootCollections()).toEqual([]);
  });

  it('backup: bodies without a valid kind -> 400 BACKUP.BAD_REQUEST, before any client is built', async () => {
    await clearFirestoreEmulator(emulatorHost());
    const kinds = new Set(['daily', 'weekly', 'monthly']);
    const badBody = fc.oneof(
      fc.record({ kind: fc.jsonValue({ maxDepth: 1 }).filter((k) => typeof k !== 'string' || !kinds.has(k)) }),
      fc.dictionary(
        fc.string({ maxLength: 8 }).filter((k) => k !== 'kind'),
        fc.jsonValue({ maxDepth: 1 }),
        { maxKeys: 3 },
      ),
    );
    await fc.assert(
      fc.asyncProperty(badBody, async (body) => {
        expectCoded(
          await call(backup.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          }),
          [400],
          'BACKUP.BAD_REQUEST',
        );
      }),
      { numRuns: RUNS },
    );
    expect(await rootCollections()).toEqual([]);
  });

  it('health: unknown paths -> 404 NOT_FOUND, other methods -> 405', async () => {
    const known = new Set(['', 'detailed', 'performance', 'metrics', 'dashboard', 'dashboard/data.json']);
    const segment = fc.string({
      unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_.~%'.split('')),
      minLength: 1,
      maxLength: 12,
    });
    const path = fc
      .array(segment, { minLength: 1, maxLength: 3 })
      .map((s) => s.join('/'))
      .filter((p) => !known.has(p) && decodesAsUtf8(p) && !/(^|\/)\.\.?($|\/)/.test(p));
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
