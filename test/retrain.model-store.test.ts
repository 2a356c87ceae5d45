import { beforeAll, expect, it } from 'vitest';
import { ModelStore } from '../shared/adapters/model-store/model-store.js';
import type { FirestoreStore } from '../shared/adapters/firestore/firestore-store.js';
import { trainModel } from '../shared/core/model/train.js';
import { loadModel } from '../shared/core/model/load.js';
import { syntheticMarket } from '../shared/core/model/synthetic.js';
import type { ModelArtifact } from '../shared/core/model/types.js';
import { modelVersions } from '../shared/store/model-collections.js';
import { describeWithEmulator, emulatorStore } from './support/emulator.js';

const market = syntheticMarket({ rows: 500, noiseFeatures: 3, seed: 1, warmupRows: 20 });
const small = { trees: 3, rowsPerTree: 100, featuresPerTree: 2, logisticSteps: 5 };
const artifacts: ModelArtifact[] = Array.from({ length: 7 }, (_, i) =>
  trainModel(market.matrix, market.closes, {
    featureNames: market.matrix.names,
    fromRow: 0,
    toRow: 300,
    seed: i + 1,
    createdAtMs: Date.UTC(2026, 0, 1 + i),
    ensemble: small,
  }),
);

describeWithEmulator('ModelStore on the Firestore emulator', () => {
  let store: FirestoreStore;
  let models: ModelStore;
  beforeAll(() => {
    store = emulatorStore();
    models = new ModelStore(store, 3);
  });

  it('has no current model at first, and rollback says there is nothing to roll back to', async () => {
    expect(await models.getCurrent()).toBeUndefined();
    await expect(models.rollback(1)).rejects.toMatchObject({ code: 'MODEL.MISSING' });
  });

  it('refuses to promote a version that is not stored, and to store a tampered artifact', async () => {
    await expect(models.promote('nope', 1, 'test')).rejects.toMatchObject({ code: 'MODEL.MISSING' });
    const tampered = { ...artifacts[0]!, costThreshold: 0.01 };
    await expect(models.save(tampered, 1, 'test')).rejects.toMatchObject({ code: 'MODEL.MISSING' });
  });

  it('stores, promotes and reads back the exact artifact (checksum intact, loads and predicts the same)', async () => {
    await models.save(artifacts[0]!, 10, 'first');
    const pointer = await models.promote(artifacts[0]!.version, 11, 'first');
    expect(pointer).toEqual({ version: artifacts[0]!.version, history: [], updatedAtMs: 11, reason: 'first' });
    const current = await models.getCurrent();
    expect(current?.artifact).toEqual(artifacts[0]);
    const a = loadModel(current?.artifact, market.matrix.names).predictRows(market.matrix, 400, 410);
    const b = loadModel(artifacts[0], market.matrix.names).predictRows(market.matrix, 400, 410);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('promote keeps a history; rollback restores the previous one, twice', async () => {
    for (const i of [1, 2]) {
      await models.save(artifacts[i]!, 20 + i, `v${i}`);
      await models.promote(artifacts[i]!.version, 20 + i, `v${i}`);
    }
    expect((await models.getPointer())?.history).toEqual([artifacts[0]!.version, artifacts[1]!.version]);
    expect((await models.rollback(30)).version).toBe(artifacts[1]!.version);
    expect((await models.getCurrent())?.version).toBe(artifacts[1]!.version);
    expect((await models.rollback(31)).version).toBe(artifacts[0]!.version);
    await expect(models.rollback(32)).rejects.toMatchObject({ code: 'MODEL.MISSING' });
    expect((await models.getCurrent())?.version).toBe(artifacts[0]!.version);
  });

  it('keeps the last K versions plus the current one and its history; lists newest first', async () => {
    for (const i of [3, 4, 5, 6]) {
      await models.save(artifacts[i]!, 40 + i, `v${i}`);
      await models.promote(artifacts[i]!.version, 40 + i, `v${i}`);
    }
    const pointer = await models.getPointer();
    expect(pointer?.version).toBe(artifacts[6]!.version);
    expect(pointer?.history).toEqual([artifacts[4]!.version, artifacts[5]!.version]); // K - 1 = 2
    const stored = (await store.list(modelVersions)).map((d) => d.id).sort();
    expect(stored).toEqual([artifacts[4]!.version, artifacts[5]!.version, artifacts[6]!.version].sort());
    const listed = await models.list();
    expect(listed.map((v) => v.version)).toEqual([artifacts[6]!.version, artifacts[5]!.version, artifacts[4]!.version]);
    expect(listed.filter((v) => v.current).map((v) => v.version)).toEqual([artifacts[6]!.version]);
  });
});
