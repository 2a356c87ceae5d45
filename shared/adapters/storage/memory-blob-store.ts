import { StoreError } from '../../core/errors.js';
import type { BlobInfo, BlobStore, PutOptions } from '../../ports/blob-store.port.js';

/** The BlobStore port in memory: the reference the GCS adapter's contract test compares against. */
export class MemoryBlobStore implements BlobStore {
  private readonly objects = new Map<string, { bytes: Buffer; updatedMs: number }>();

  constructor(
    readonly bucket = 'memory',
    private readonly nowMs: () => number = () => 0,
  ) {}

  async put(name: string, data: Uint8Array, options: PutOptions = {}): Promise<void> {
    if (options.ifAbsent && this.objects.has(name))
      throw new StoreError('STORE.CONFLICT', `${name} already exists`, { retryable: false });
    this.objects.set(name, { bytes: Buffer.from(data), updatedMs: this.nowMs() });
  }

  async get(name: string): Promise<Buffer | undefined> {
    const found = this.objects.get(name);
    return found ? Buffer.from(found.bytes) : undefined;
  }

  async list(prefix: string): Promise<BlobInfo[]> {
    return [...this.objects.entries()]
      .filter(([name]) => name.startsWith(prefix))
      .map(([name, o]) => ({ name, sizeBytes: o.bytes.length, updatedMs: o.updatedMs }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async delete(name: string): Promise<void> {
    this.objects.delete(name);
  }
}
