import { StrategyError } from '../../core/errors.js';
import { parseArtifact } from '../../core/model/artifact.js';
import type { ModelArtifact } from '../../core/model/types.js';
import type { Store } from '../../ports/store.port.js';
import {
  CURRENT_POINTER_ID,
  modelPointers,
  modelVersions,
  type ModelPointerRecord,
  type ModelVersionRecord,
} from '../../store/model-collections.js';

export interface ModelVersionSummary extends Omit<ModelVersionRecord, 'artifactJson'> {
  current: boolean;
}

/**
 * Model versions in Firestore through the Store port: a versions collection, a `current`
 * pointer with the history of earlier current versions, and at most `keep` versions retained
 * (the current one and its rollback history are never pruned).
 */
export class ModelStore {
  constructor(
    private readonly store: Store,
    private readonly keep = 5,
  ) {
    if (!Number.isInteger(keep) || keep < 2) throw new RangeError('keep must be an integer >= 2');
  }

  /** Stores a version (checksum verified first); storing the same version again is a no-op. */
  async save(artifact: ModelArtifact, storedAtMs: number, note: string): Promise<void> {
    const checked = parseArtifact(artifact);
    await this.store.create(modelVersions, checked.version, {
      version: checked.version,
      createdAtMs: checked.createdAtMs,
      storedAtMs,
      checksum: checked.checksum,
      usesMacro: checked.usesMacro,
      featureCount: checked.featureNames.length,
      trainWindow: checked.trainWindow,
      validation: checked.validation,
      note: note.slice(0, 2000),
      artifactJson: JSON.stringify(checked),
    });
  }

  /** Makes a stored version current; the previous current one goes onto the history. */
  async promote(version: string, nowMs: number, reason: string): Promise<ModelPointerRecord> {
    const pointer = await this.store.runTransaction(async (tx) => {
      const stored = await tx.get(modelVersions, version);
      if (!stored) throw new StrategyError('MODEL.MISSING', `model version ${version} is not stored`);
      const previous = await tx.get(modelPointers, CURRENT_POINTER_ID);
      if (previous?.version === version) return previous;
      const history = previous ? [...previous.history, previous.version].slice(-(this.keep - 1)) : [];
      const next = { version, history, updatedAtMs: nowMs, reason: reason.slice(0, 2000) };
      tx.set(modelPointers, CURRENT_POINTER_ID, next);
      return next;
    });
    await this.prune(pointer);
    return pointer;
  }

  /** Restores the version that was current before this one; MODEL.MISSING when there is none. */
  async rollback(nowMs: number): Promise<ModelPointerRecord> {
    return this.store.runTransaction(async (tx) => {
      const pointer = await tx.get(modelPointers, CURRENT_POINTER_ID);
      const previous = pointer?.history[pointer.history.length - 1];
      if (!pointer || previous === undefined)
        throw new StrategyError('MODEL.MISSING', 'no earlier model version to roll back to');
      if (!(await tx.get(modelVersions, previous)))
        throw new StrategyError('MODEL.MISSING', `earlier model version ${previous} is no longer stored`);
      const next = {
        version: previous,
        history: pointer.history.slice(0, -1),
        updatedAtMs: nowMs,
        reason: `rollback from ${pointer.version}`,
      };
      tx.set(modelPointers, CURRENT_POINTER_ID, next);
      return next;
    });
  }

  /** The current artifact as stored (raw JSON: the caller validates it with loadModel), or undefined. */
  async getCurrent(): Promise<{ version: string; artifact: unknown } | undefined> {
    const pointer = await this.store.get(modelPointers, CURRENT_POINTER_ID);
    if (!pointer) return undefined;
    const stored = await this.store.get(modelVersions, pointer.version);
    if (!stored) throw new StrategyError('MODEL.MISSING', `current model version ${pointer.version} is not stored`);
    return { version: pointer.version, artifact: JSON.parse(stored.artifactJson) as unknown };
  }

  async getPointer(): Promise<ModelPointerRecord | undefined> {
    return this.store.get(modelPointers, CURRENT_POINTER_ID);
  }

  /** Stored versions, newest first, without their artifacts. */
  async list(): Promise<ModelVersionSummary[]> {
    const [docs, pointer] = await Promise.all([
      this.store.list(modelVersions, { orderBy: { field: 'createdAtMs', direction: 'desc' } }),
      this.getPointer(),
    ]);
    return docs.map(({ data: { artifactJson: _artifact, ...rest } }) => ({
      ...rest,
      current: rest.version === pointer?.version,
    }));
  }

  /** Keeps the `keep` newest versions plus the current one and its history; deletes the rest. */
  private async prune(pointer: ModelPointerRecord): Promise<void> {
    const protectedVersions = new Set([pointer.version, ...pointer.history]);
    const docs = await this.store.list(modelVersions, { orderBy: { field: 'createdAtMs', direction: 'desc' } });
    const keepNewest = new Set(docs.slice(0, this.keep).map((d) => d.id));
    for (const doc of docs) {
      if (!protectedVersions.has(doc.id) && !keepNewest.has(doc.id)) await this.store.delete(modelVersions, doc.id);
    }
  }
}
