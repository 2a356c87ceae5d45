/** One stored object: its name inside the bucket, size and last update. */
export interface BlobInfo {
  name: string;
  sizeBytes: number;
  updatedMs: number;
}

export interface PutOptions {
  contentType?: string;
  /** Write only if no object has this name (a precondition, not a read-then-write). */
  ifAbsent?: boolean;
}

/**
 * Object storage for backups: one bucket, names are '/'-separated paths. Every call has a
 * deadline in the adapter; failures surface as STORE.UNAVAILABLE (retryable) or STORE.CONFLICT.
 */
export interface BlobStore {
  /** The bucket this store writes to (for `gs://bucket/...` URIs). */
  readonly bucket: string;
  put(name: string, data: Uint8Array, options?: PutOptions): Promise<void>;
  /** The object's bytes, or undefined when it does not exist. */
  get(name: string): Promise<Buffer | undefined>;
  /** Every object whose name starts with `prefix`, in name order (all pages). */
  list(prefix: string): Promise<BlobInfo[]>;
  /** Deletes the object; deleting a missing object is not an error. */
  delete(name: string): Promise<void>;
}
