import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadConfig, SETTINGS } from '../../shared/config.js';
import { BotError } from '../../shared/core/errors.js';
import { HOUR_MS, type Candle } from '../../shared/core/candle.js';
import { checkCandles } from '../../shared/core/candles/quality-gate.js';
import { FEATURE_NAMES } from '../../shared/core/features/index.js';
import { artifactChecksum, loadModel, trainModel, type ModelArtifact } from '../../shared/core/model/index.js';
import { syntheticMarket } from '../../shared/core/model/synthetic.js';
import { CsvError, parseCandlesCsv } from '../../tools/lib/csv.js';
import { runModelCli } from '../../tools/model/cli.js';
import { EMULATOR_PROJECT_ID, clearFirestoreEmulator } from '../../tools/lib/firestore-emulator.js';
import { describeWithEmulator, emulatorHost } from '../support/emulator.js';
import { rootCollections } from './http-harness.js';
import { fcRuns } from '../support/fc-runs.js';

/**
 * Bad input that arrives as files or settings, property-based: configuration, candle CSV and
 * candles on the tick's path, model artifacts. Each is refused with a clear, coded error (or, for
 * the local CSV reader, an error naming the line), never another exception; the model CLI writes nothing.
 */
const SETTING_NAMES = Object.keys(SETTINGS);
const MODEL_CODES = ['MODEL.MISSING', 'MODEL.FEATURE_MISMATCH'];

function thrownBy(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('configuration: any env either loads or is CONFIG.INVALID naming each bad key', () => {
  it('random values for random settings', () => {
    const env = fc.dictionary(
      fc.constantFrom(...SETTING_NAMES),
      fc.oneof(fc.string({ maxLength: 30 }), fc.integer().map(String), fc.double().map(String)),
      { maxKeys: 8 },
    );
    fc.assert(
      fc.property(
        env,
        fc.string({ minLength: 12, maxLength: 20 }).map((s) => `SENTINEL${s}`),
        (values, secret) => {
          const error = thrownBy(() => loadConfig({ ...values, BITBANK_API_SECRET: secret }));
          if (error === undefined) return;
          expect(error).toBeInstanceOf(BotError);
          expect((error as BotError).code).toBe('CONFIG.INVALID');
          const keys = (error as BotError).details.keys as string[];
          expect(keys.length).toBeGreaterThan(0);
          for (const key of keys) {
            expect(SETTING_NAMES).toContain(key);
            expect((error as BotError).message).toContain(key);
          }
          expect((error as BotError).message).not.toContain(secret);
        },
      ),
      { numRuns: fcRuns(300) },
    );
  });
});

const HEADER = 'open_time_ms,open,high,low,close,volume';
const goodRows = Array.from({ length: 30 }, (_, i) => `${1_600_000_000_000 + i * HOUR_MS},100,110,90,105,3`);

describe('candle CSV and candles: refused with the line or a DATA.* code, never anything else', () => {
  it('a valid file with one line replaced by random text', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: goodRows.length }), fc.string({ maxLength: 60 }), (at, junk) => {
        const lines = [HEADER, ...goodRows];
        lines[at] = junk;
        const text = lines.join('\n');
        const error = thrownBy(() => parseCandlesCsv(text, { quotePerUsd: 150 }));
        if (error === undefined) {
          const candles = parseCandlesCsv(text, { quotePerUsd: 150 });
          for (const [i, c] of candles.entries()) {
            expect([c.open, c.high, c.low, c.close, c.volume].every(Number.isFinite)).toBe(true);
            if (i > 0) expect(c.openTimeMs).toBeGreaterThan((candles[i - 1] as Candle).openTimeMs);
          }
          return;
        }
        expect(error).toBeInstanceOf(CsvError);
        expect((error as Error).message).toMatch(/^line \d+: |header|quotePerUsd/);
      }),
      { numRuns: fcRuns(400) },
    );
  });

  it('candles with random defects pass the quality gate only when consistent, else DATA.*', () => {
    const t0 = Date.UTC(2026, 0, 1);
    const value = fc.oneof(
      { weight: 6, arbitrary: fc.double({ min: 90, max: 110, noNaN: true }) },
      fc.constantFrom(Number.NaN, -1, 0, Infinity, 1e12),
    );
    const bar = fc.record({
      shift: fc.constantFrom(0, 0, 0, 0, 1, -1, 1_800_000),
      open: value,
      high: value,
      low: value,
      close: value,
      volume: fc.oneof(fc.double({ min: 0, max: 50, noNaN: true }), fc.constant(-1)),
    });
    fc.assert(
      fc.property(fc.array(bar, { minLength: 1, maxLength: 40 }), (bars) => {
        const candles: Candle[] = bars.map((b, i) => ({
          openTimeMs: t0 + i * HOUR_MS + b.shift * (b.shift === 1_800_000 ? 1 : HOUR_MS),
          open: b.open,
          high: b.high,
          low: b.low,
          close: b.close,
          volume: b.volume,
        }));
        const nowMs = t0 + bars.length * HOUR_MS;
        const result = checkCandles(candles, { nowMs });
        if (result.ok) {
          for (const c of candles) {
            expect([c.open, c.high, c.low, c.close].every((x) => Number.isFinite(x) && x > 0)).toBe(true);
            expect(c.high).toBeGreaterThanOrEqual(Math.max(c.open, c.close));
            expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close));
            expect(c.volume).toBeGreaterThanOrEqual(0);
          }
          return;
        }
        expect(result.error).toBeInstanceOf(BotError);
        expect(['DATA.BAD_CANDLES', 'DATA.MISSING_CANDLES', 'DATA.STALE_CANDLES']).toContain(result.error.code);
      }),
      { numRuns: fcRuns(400) },
    );
  });
});

/** A small artifact on real feature names (the engine's), so only the mutation can make it fail. */
function realNamedArtifact(): ModelArtifact {
  const market = syntheticMarket({ rows: 500, noiseFeatures: 4, seed: 3, warmupRows: 20 });
  const names = FEATURE_NAMES.slice(0, market.matrix.names.length);
  const columns = Object.fromEntries(
    market.matrix.names.map((n, i) => [names[i] as string, market.matrix.columns[n] as Float64Array]),
  );
  const matrix = { names, openTimeMs: market.matrix.openTimeMs, columns };
  const ensemble = { trees: 4, rowsPerTree: 100, featuresPerTree: 3, maxDepth: 3, minLeafRows: 15, logisticSteps: 10 };
  return trainModel(matrix, market.closes, {
    featureNames: names,
    fromRow: 0,
    toRow: 400,
    seed: 5,
    createdAtMs: Date.UTC(2026, 0, 1),
    ensemble,
  });
}

/** Replaces the value at a random path of a JSON value (depth-first pick by index). */
function mutate(value: unknown, pick: number, replacement: unknown): unknown {
  let n = pick;
  const walk = (v: unknown): unknown => {
    if (n-- === 0) return replacement;
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value);
}

describe('model artifacts: a damaged artifact is MODEL.MISSING or MODEL.FEATURE_MISMATCH', () => {
  const artifact = realNamedArtifact();
  const plain = JSON.parse(JSON.stringify(artifact)) as Record<string, unknown>;
  const features = Object.fromEntries(FEATURE_NAMES.map((n) => [n, 0.1]));

  it('random replacements anywhere, with the checksum kept or recomputed', () => {
    fc.assert(
      fc.property(fc.nat({ max: 5_000 }), fc.jsonValue({ maxDepth: 2 }), fc.boolean(), (pick, replacement, reseal) => {
        let damaged = mutate(plain, pick % 2_000, replacement) as Record<string, unknown>;
        if (reseal && damaged !== null && typeof damaged === 'object' && !Array.isArray(damaged)) {
          const candidate = damaged as unknown as ModelArtifact;
          const checksum =
            thrownBy(() => artifactChecksum(candidate)) === undefined ? artifactChecksum(candidate) : 'x';
          damaged = { ...damaged, checksum };
        }
        const error = thrownBy(() => {
          const model = loadModel(damaged, FEATURE_NAMES);
          const p = model.predictProbabilityUp(features);
          expect(p >= 0 && p <= 1).toBe(true);
        });
        if (error === undefined) return;
        expect(error, String(error)).toBeInstanceOf(BotError);
        expect([...MODEL_CODES, 'STRATEGY.FAILED']).toContain((error as BotError).code);
      }),
      { numRuns: fcRuns(400) },
    );
  });
});

describeWithEmulator('model CLI --promote with a damaged file: exit 1, a coded message, nothing written', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bad-model-'));
    await clearFirestoreEmulator(emulatorHost());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('damaged artifacts and non-JSON text', async () => {
    const artifact = JSON.parse(JSON.stringify(realNamedArtifact())) as Record<string, unknown>;
    const env = { GCP_PROJECT: EMULATOR_PROJECT_ID, FIRESTORE_EMULATOR_HOST: emulatorHost() };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc
            .nat({ max: 2_000 })
            .chain((pick) => fc.jsonValue({ maxDepth: 1 }).map((r) => JSON.stringify(mutate(artifact, pick, r)))),
          fc.string({ maxLength: 40 }),
        ),
        async (text) => {
          if (text === JSON.stringify(artifact)) return;
          const file = join(dir, 'model.json');
          writeFileSync(file, text);
          const errors: string[] = [];
          const code = await runModelCli(['--promote', file, '--actor', 'test'], env, {
            out: () => undefined,
            err: (l) => errors.push(l),
            nowMs: () => Date.UTC(2026, 0, 2),
          });
          expect(code).toBe(1);
          expect(errors.join('\n')).toMatch(/^model failed: MODEL\.(MISSING|FEATURE_MISMATCH): /);
        },
      ),
      { numRuns: fcRuns(40) },
    );
    expect(await rootCollections()).toEqual([]);
  });
});
