import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGcs, type FakeGcs } from '../tools/fake-gcs/server.js';
import { GcsBlobStore, createStorage } from '../shared/adapters/storage/gcs-blob-store.js';
import { MemoryBlobStore } from '../shared/adapters/storage/memory-blob-store.js';
import type { BlobStore } from '../shared/ports/blob-store.port.js';
import { BotError } from '../shared/core/errors.js';

/** The same contract against the in-memory store and the real @google-cloud/storage client on the fake JSON API. */
let fake: FakeGcs;
beforeAll(async () => {
  fake = await startFakeGcs({ buckets: ['contract-bucket'] });
});
afterAll(async () => {
  await fake.close();
});

const implementations: Array<[string, () => BlobStore]> = [
  ['memory', () => new MemoryBlobStore('contract-bucket')],
  [
    'gcs (real client, fake JSON API)',
    () =>
      new GcsBlobStore(createStorage({ apiEndpoint: fake.endpoint, projectId: 'demo-crypto-bot' }), {
        bucket: 'contract-bucket',
        timeoutMs: 10_000,
      }),
  ],
];

describe.each(implementations)('BlobStore contract: %s', (label, make) => {
  const root = `contract/${label.split(' ')[0]}/`;

  it('put then get returns the same bytes, binary included', async () => {
    const store = make();
    const bytes = Buffer.from([0, 1, 2, 255, 254, 10, 13, 0x80]);
    await store.put(`${root}bin`, bytes, { contentType: 'application/octet-stream' });
    expect(Buffer.compare((await store.get(`${root}bin`)) ?? Buffer.alloc(0), bytes)).toBe(0);
    const text = Buffer.from('{"a":1}\n{"b":"\u00e9\u65e5"}\n', 'utf8');
    await store.put(`${root}text.jsonl`, text, { contentType: 'application/x-ndjson' });
    expect((await store.get(`${root}text.jsonl`))?.toString('utf8')).toBe(text.toString('utf8'));
  });

  it('get of a missing object is undefined, delete of a missing object is fine', async () => {
    const store = make();
    expect(await store.get(`${root}missing`)).toBeUndefined();
    await expect(store.delete(`${root}missing`)).resolves.toBeUndefined();
  });

  it('list returns only the prefix, sorted, with sizes; delete removes', async () => {
    const store = make();
    for (const name of ['p/b', 'p/a', 'p/c/d', 'q/x']) await store.put(`${root}${name}`, Buffer.from(name));
    const listed = await store.list(`${root}p/`);
    expect(listed.map((o) => o.name)).toEqual([`${root}p/a`, `${root}p/b`, `${root}p/c/d`]);
    expect(listed.map((o) => o.sizeBytes)).toEqual([3, 3, 5]);
    await store.delete(`${root}p/b`);
    expect((await store.list(`${root}p/`)).map((o) => o.name)).toEqual([`${root}p/a`, `${root}p/c/d`]);
  });

  it('ifAbsent refuses to overwrite with STORE.CONFLICT', async () => {
    const store = make();
    await store.put(`${root}once`, Buffer.from('1'), { ifAbsent: true });
    const error = await store.put(`${root}once`, Buffer.from('2'), { ifAbsent: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BotError);
    expect((error as BotError).code).toBe('STORE.CONFLICT');
    expect((await store.get(`${root}once`))?.toString()).toBe('1');
  });

  it('lists more than one page', async () => {
    const store = make();
    const names = Array.from({ length: 1005 }, (_, i) => `${root}many/${String(i).padStart(4, '0')}`);
    await Promise.all(names.map((n) => store.put(n, Buffer.from('x'))));
    expect((await store.list(`${root}many/`)).map((o) => o.name)).toEqual(names);
  });
});

describe('the GCS adapter against the fake', () => {
  it('sends the JSON API requests the contract relies on (multipart upload, alt=media, paged list)', () => {
    expect(
      fake.requests.some(
        (r) => r.startsWith('POST /upload/storage/v1/b/contract-bucket/o?') && r.includes('uploadType=multipart'),
      ),
    ).toBe(true);
    expect(
      fake.requests.some((r) => r.startsWith('GET /storage/v1/b/contract-bucket/o/') && r.includes('alt=media')),
    ).toBe(true);
    expect(
      fake.requests.some((r) => r.startsWith('GET /storage/v1/b/contract-bucket/o?') && r.includes('pageToken=')),
    ).toBe(true);
  });

  it('a corrupted object fails the client checksum validation instead of returning wrong bytes', async () => {
    const store = new GcsBlobStore(createStorage({ apiEndpoint: fake.endpoint }), { bucket: 'contract-bucket' });
    await store.put('corrupt/me', Buffer.from('good bytes'));
    const stored = fake.objects('contract-bucket').get('corrupt/me');
    if (!stored) throw new Error('not stored');
    stored.bytes = Buffer.from('evil bytes'); // same length, the hashes recorded at upload kept
    const error = await store.get('corrupt/me').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BotError);
    expect(String((error as BotError).message)).toContain('did not match the data from the server');
  });

  it('the fake also accepts the resumable upload the client uses for large objects', async () => {
    const storage = createStorage({ apiEndpoint: fake.endpoint });
    const bytes = Buffer.alloc(300_000, 7);
    await storage
      .bucket('contract-bucket')
      .file('resumable/big')
      .save(bytes, { resumable: true, chunkSize: 256 * 1024 });
    expect(fake.requests.some((r) => r.includes('uploadType=resumable') && r.includes('upload_id='))).toBe(true);
    const store = new GcsBlobStore(storage, { bucket: 'contract-bucket' });
    expect(Buffer.compare((await store.get('resumable/big')) ?? Buffer.alloc(0), bytes)).toBe(0);
  });

  it('an unknown bucket is a non-retryable STORE.UNAVAILABLE', async () => {
    const store = new GcsBlobStore(createStorage({ apiEndpoint: fake.endpoint }), { bucket: 'nope' });
    const error = await store.put('x', Buffer.from('x')).catch((e: unknown) => e);
    expect((error as BotError).code).toBe('STORE.UNAVAILABLE');
    expect((error as BotError).retryable).toBe(false);
  });
});
