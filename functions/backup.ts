import type { Request, Response } from '@google-cloud/functions-framework';
import type { Firestore } from '@google-cloud/firestore';
import { z } from 'zod';
import { handle, refuseMethod } from './http.js';
import { getRuntime, runtimeLogger } from './runtime.js';
import type { Config } from '../shared/config.js';
import { ConfigurationError } from '../shared/core/errors.js';
import { BACKUP_KINDS } from '../shared/core/backup/layout.js';
import { runBackup } from '../shared/adapters/backup/backup-service.js';
import { createFirestore } from '../shared/adapters/firestore/firestore-store.js';
import { GcsBlobStore, createStorage } from '../shared/adapters/storage/gcs-blob-store.js';
import type { BlobStore } from '../shared/ports/blob-store.port.js';

const bodySchema = z.object({ kind: z.enum(BACKUP_KINDS) });

/** Clients created once per instance and reused by warm invocations. */
let clients: { db: Firestore; blobs: BlobStore } | undefined;
function clientsFor(config: Config): { db: Firestore; blobs: BlobStore } {
  if (!config.BACKUP_BUCKET)
    throw new ConfigurationError('BACKUP_BUCKET is not set: the backup has nowhere to go', {
      details: { keys: ['BACKUP_BUCKET'] },
    });
  clients ??= {
    db: createFirestore({ projectId: config.GCP_PROJECT, databaseId: config.FIRESTORE_DATABASE }),
    blobs: new GcsBlobStore(
      createStorage({
        projectId: config.GCP_PROJECT,
        ...(config.STORAGE_API_ENDPOINT ? { apiEndpoint: config.STORAGE_API_ENDPOINT } : {}),
      }),
      { bucket: config.BACKUP_BUCKET },
    ),
  };
  return clients;
}

/** For tests: forget the clients so the next call rebuilds them from a new configuration. */
export function resetBackupClients(): void {
  clients = undefined;
}

/** POST {"kind":"daily"|"weekly"|"monthly"} (Cloud Scheduler): export every collection, then retention. */
export async function backupHandler(req: Request, res: Response): Promise<void> {
  const { config, clock, logger } = getRuntime();
  if (refuseMethod('backup', req, res, ['POST'])) return;
  const body = bodySchema.safeParse(typeof req.body === 'object' && req.body !== null ? req.body : {});
  if (!body.success) {
    res.status(400).json({ code: 'BACKUP.BAD_REQUEST', message: 'body must be {"kind":"daily"|"weekly"|"monthly"}' });
    return;
  }
  const { db, blobs } = clientsFor(config);
  const startedMs = clock.nowMs();
  const result = await runBackup({ db, blobs, kind: body.data.kind, nowMs: startedMs });
  const summary = {
    uri: `gs://${blobs.bucket}/${result.prefix}`,
    kind: body.data.kind,
    documents: result.manifest.totals.documents,
    bytes: result.manifest.totals.bytes,
    collections: result.manifest.collections.length,
    removed: result.removedPrefixes,
    latencyMs: clock.nowMs() - startedMs,
  };
  logger.info('backup written', { code: 'BACKUP.OK', outcome: 'ok', ...summary });
  res.status(200).json({ status: 'ok', code: 'BACKUP.OK', ...summary });
}

export const backup = handle('backup', runtimeLogger, backupHandler);
