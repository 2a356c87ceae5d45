import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runModelCli } from '../tools/model/cli.js';
import { FEATURE_NAMES } from '../shared/core/features/index.js';
import { trainModel } from '../shared/core/model/train.js';
import { syntheticMarket } from '../shared/core/model/synthetic.js';
import type { FeatureMatrix } from '../shared/core/model/types.js';
import { recentAudit } from '../shared/adapters/audit/audit-log.js';
import { describeWithEmulator, emulatorStore } from './support/emulator.js';

/** A synthetic market whose columns carry real engine feature names (so the CLI's check passes). */
function engineNamed(seed: number): { matrix: FeatureMatrix; closes: Float64Array } {
  const m = syntheticMarket({ rows: 400, noiseFeatures: 3, seed, warmupRows: 10 });
  const names = FEATURE_NAMES.slice(0, m.matrix.names.length);
  const columns = Object.fromEntries(m.matrix.names.map((n, i) => [names[i]!, m.matrix.columns[n]!]));
  return { matrix: { names, openTimeMs: m.matrix.openTimeMs, columns }, closes: m.closes };
}

describeWithEmulator('npm run model (CLI) against the Firestore emulator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'model-cli-'));
  const files: string[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l), nowMs: () => Date.UTC(2026, 10, 26) };
  const run = (...argv: string[]) => runModelCli([...argv, '--actor', 'test'], process.env, io);

  beforeAll(() => {
    for (const seed of [1, 2]) {
      const { matrix, closes } = engineNamed(seed);
      const artifact = trainModel(matrix, closes, {
        featureNames: matrix.names,
        fromRow: 0,
        toRow: 300,
        seed,
        createdAtMs: Date.UTC(2026, 9, seed),
        ensemble: { trees: 3, rowsPerTree: 80, featuresPerTree: 2, logisticSteps: 5 },
      });
      files.push(join(dir, `m${seed}.json`));
      writeFileSync(files[files.length - 1]!, JSON.stringify(artifact));
    }
    const foreign = trainModel(
      syntheticMarket({ rows: 300, noiseFeatures: 2, seed: 3 }).matrix,
      syntheticMarket({ rows: 300, noiseFeatures: 2, seed: 3 }).closes,
      {
        featureNames: ['signal', 'noise_0'],
        fromRow: 0,
        toRow: 250,
        seed: 1,
        createdAtMs: 1,
        ensemble: { trees: 2, rowsPerTree: 50, featuresPerTree: 1, logisticSteps: 2 },
      },
    );
    files.push(join(dir, 'foreign.json'));
    writeFileSync(files[2]!, JSON.stringify(foreign));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('needs exactly one action', async () => {
    expect(await run()).toBe(2);
    expect(await run('--list', '--rollback')).toBe(2);
  });

  it('refuses a file whose features the engine does not compute, storing nothing', async () => {
    expect(await run('--promote', files[2]!)).toBe(1);
    expect(err.pop()).toMatch(/MODEL.FEATURE_MISMATCH/);
    expect(await run('--list')).toBe(0);
    expect(JSON.parse(out.pop()!)).toEqual([]);
  });

  it('promotes two files, lists them, rolls back to the first, and audits each change', async () => {
    expect(await run('--promote', files[0]!)).toBe(0);
    const first = JSON.parse(out.pop()!) as { current: string };
    expect(await run('--promote', files[1]!)).toBe(0);
    const second = JSON.parse(out.pop()!) as { current: string; history: string[] };
    expect(second.history).toEqual([first.current]);
    expect(await run('--list')).toBe(0);
    const listed = JSON.parse(out.pop()!) as Array<{ version: string; current: boolean }>;
    expect(listed.map((v) => [v.version, v.current])).toEqual([
      [second.current, true],
      [first.current, false],
    ]);
    expect(await run('--rollback')).toBe(0);
    expect(JSON.parse(out.pop()!)).toEqual({ current: first.current, history: [] });
    expect(await run('--rollback')).toBe(1);
    expect(err.pop()).toMatch(/MODEL.MISSING: no earlier model version/);
    const audits = (await recentAudit(emulatorStore(), 10))
      .map((a) => a.record)
      .filter((r) => r.kind === 'model-promotion');
    expect(audits.map((a) => a.details.action).sort()).toEqual(['promote', 'promote', 'rollback']);
  });
});
