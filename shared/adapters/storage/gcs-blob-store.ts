import { Storage, type StorageOptions } from '@google-cloud/storage';
import { BotError, StoreError } from '../../core/errors.js';
import { withDeadline } from '../../core/retry.js';
import type { BlobInfo, BlobStore, PutOptions } from '../../ports/blob-store.port.js';
import type { Clock } from '../../ports/clock.port.js';
import { systemClock } from '../system-clock.js';

export interface GcsBlobStoreOptions {
  bucket: string;
  /** A local fake or emulator (`http://127.0.0.1:PORT`); unset in production. */
  apiEndpoint?: string;
  projectId?: string;
  /** Deadline of one storage call, ms. */
  timeoutMs?: number;
  clock?: Clock;
}

/** Creates the Storage client once per instance (module scope in the function). */
export function createStorage(options: Pick<GcsBlobStoreOptions, 'apiEndpoint' | 'projectId'>): Storage {
  const settings: StorageOptions = {
    // The client's own retries are bounded: 3 retries within 60 s; our deadline caps the whole call.
    retryOptions: { autoRetry: true, maxRetries: 3, totalTimeout: 60, maxRetryDelay: 8 },
  };
  if (options.projectId) settings.projectId = options.projectId;
  if (options.apiEndpoint) settings.apiEndpoint = options.apiEndpoint;
  return new Storage(settings);
}

/** The BlobStore port over `@google-cloud/storage`: one bucket, deadlines, errors translated. */
export class GcsBlobStore implements BlobStore {
  readonly bucket: string;
  private readonly timeoutMs: number;
  private readonly clock: Clock;

  constructor(
    private readonly storage: Storage,
    options: Pick<GcsBlobStoreOptions, 'bucket' | 'timeoutMs' | 'clock'>,
  ) {
    this.bucket = options.bucket;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.clock = options.clock ?? systemClock;
  }

  async put(name: string, data: Uint8Array, options: PutOptions = {}): Promise<void> {
    const file = this.storage.bucket(this.bucket).file(name);
    await this.call(`put ${name}`, () =>
      file.save(Buffer.from(data.buffer, data.byteOffset, data.byteLength), {
        resumable: false,
        contentType: options.contentType ?? 'application/octet-stream',
        validation: 'md5',
        ...(options.ifAbsent ? { preconditionOpts: { ifGenerationMatch: 0 } } : {}),
      }),
    );
  }

  /**
   * Downloads are checked by the client against the object's stored crc32c. Storage 8.x prints a
   * MaxListenersExceededWarning per download (teeny-request 11; googleapis/google-cloud-node#9185):
   * a known upstream warning, not a leak in this code.
   */
  async get(name: string): Promise<Buffer | undefined> {
    try {
      const [bytes] = await this.call(`get ${name}`, () => this.storage.bucket(this.bucket).file(name).download());
      return bytes;
    } catch (error) {
      if (error instanceof BotError && httpStatus(error.cause) === 404) return undefined;
      throw error;
    }
  }

  async list(prefix: string): Promise<BlobInfo[]> {
    const [files] = await this.call(`list ${prefix}`, () =>
      this.storage.bucket(this.bucket).getFiles({ prefix, autoPaginate: true }),
    );
    return files
      .map((f) => ({
        name: f.name,
        sizeBytes: Number(f.metadata.size ?? 0),
        updatedMs: Date.parse(String(f.metadata.updated ?? f.metadata.timeCreated ?? '')) || 0,
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async delete(name: string): Promise<void> {
    await this.call(`delete ${name}`, () =>
      this.storage.bucket(this.bucket).file(name).delete({ ignoreNotFound: true }),
    );
  }

  private async call<R>(what: string, op: () => Promise<R>): Promise<R> {
    try {
      return await withDeadline(() => op(), {
        clock: this.clock,
        timeoutMs: this.timeoutMs,
        code: 'STORE.UNAVAILABLE',
        what: `Cloud Storage ${what}`,
      });
    } catch (error) {
      throw translateStorageError(error, `gs://${this.bucket}: ${what}`);
    }
  }
}

function httpStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Storage errors carry the HTTP status in `code`: 412/409 are conflicts, 429/5xx retryable. */
export function translateStorageError(error: unknown, what: string): BotError {
  if (error instanceof BotError) return error;
  const status = httpStatus(error);
  const message = error instanceof Error ? error.message : String(error);
  if (status === 412 || status === 409)
    return new StoreError('STORE.CONFLICT', `${what}: ${message}`, { cause: error, retryable: false });
  const retryable = status === undefined || status === 408 || status === 429 || status >= 500;
  return new StoreError('STORE.UNAVAILABLE', `${what}: ${message}`, { cause: error, retryable });
}
