import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { Firestore, GeoPoint, Timestamp } from '@google-cloud/firestore';
import request from 'node:http';
import { describeWithEmulator, emulatorHost, emulatorStore } from './support/emulator.js';
import { EMULATOR_PROJECT_ID, clearFirestoreEmulator } from '../tools/lib/firestore-emulator.js';
import { startFakeGcs, type FakeGcs } from '../tools/fake-gcs/server.js';
import { createFirestore } from '../shared/adapters/firestore/firestore-store.js';
import { RawValue, dumpDatabase } from '../shared/adapters/backup/firestore-dump.js';
import { appendAudit } from '../shared/adapters/audit/audit-log.js';
import { runRestoreCli, type RestoreIo } from '../tools/restore/restore.js';
import { resetRuntime } from '../functions/runtime.js';
import { resetBackupClients } from '../functions/backup.js';
import { backupPrefix } from '../shared/core/backup/layout.js';
import { GcsBlobStore, createStorage } from '../shared/adapters/storage/gcs-blob-store.js';
import '../functions/index.js';

const BUCKET = 'crypto-bot-test-backups';
let fake: FakeGcs;
let db: Firestore;

async function post(target: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const server = getTestServer(target);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  try {
    return await new Promise((resolve, reject) => {
      const req = request.request(
        { host: '127.0.0.1', port, path: '/', method: 'POST', headers: { 'content-type': 'application/json' } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }),
          );
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  } finally {
    server.close();
  }
}

async function restore(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: RestoreIo = { out: (l) => out.push(l), err: (l) => err.push(l), nowMs: () => Date.UTC(2026, 10, 27) };
  const code = await runRestoreCli(args, process.env, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const asMap = (dumps: Array<{ path: string; content: Buffer }>) =>
  new Map(dumps.map((d) => [d.path, d.content.toString('utf8')]));

/** Documents with every Firestore value type, subcollections, and enough documents to page. */
async function seed(): Promise<void> {
  const batch = db.batch();
  batch.set(db.doc('kinds/all'), {
    int: 42,
    bigInt: 2n ** 62n + 1n,
    negInt: -7,
    double: 0.1,
    integralDouble: new RawValue({ doubleValue: 3 }),
    negZero: -0,
    nan: NaN,
    inf: Infinity,
    negInf: -Infinity,
    ts: new Timestamp(1_764_180_000, 123_456_000),
    oldTs: new Timestamp(-62_135_596_800, 0),
    bytes: Buffer.from([0, 255, 1, 128]),
    ref: db.doc('ticks/t0001'),
    geo: new GeoPoint(35.681, 139.767),
    nul: null,
    t: true,
    emptyMap: {},
    emptyArray: [],
    nested: { z: { y: [1, 'two', { three: Timestamp.fromMillis(1) }] }, a: 'first' },
    'field.with.dots': '日本語 ✓ "quotes" \\ \n newline',
  });
  batch.set(db.doc('trades/T1'), { pnlJpy: 1234.5, closedAt: Timestamp.fromMillis(1_764_000_000_123) });
  batch.set(db.doc('trades/T1/fills/F1'), { priceJpy: '15000000', sizeBtc: '0.0001' });
  batch.set(db.doc('trades/T1/fills/F2'), { priceJpy: '15000010', sizeBtc: '0.0002' });
  batch.set(db.doc('orphans/no-parent/kids/K1'), { note: 'the parent document does not exist' });
  await batch.commit();
  for (let start = 0; start < 700; start += 350) {
    const b = db.batch();
    for (let i = start; i < start + 350; i += 1)
      b.set(db.doc(`ticks/t${String(i).padStart(4, '0')}`), {
        barOpenMs: 1_764_000_000_000 + i * 3_600_000,
        outcome: i % 7 === 0 ? 'failed' : 'ok',
        latencyMs: i * 1.5,
      });
    await b.commit();
  }
  await appendAudit(emulatorStore(), {
    kind: 'kill-switch',
    atMs: 1_764_000_000_000,
    actor: 'test',
    details: { on: true },
  });
}

describeWithEmulator(
  'backup and restore round trip (Firestore emulator + fake Cloud Storage + the real storage client)',
  () => {
    beforeAll(async () => {
      fake = await startFakeGcs({ buckets: [BUCKET] });
      process.env.BACKUP_BUCKET = BUCKET;
      process.env.STORAGE_API_ENDPOINT = fake.endpoint;
      resetRuntime();
      resetBackupClients();
      db = createFirestore({ projectId: EMULATOR_PROJECT_ID });
      await seed();
    });
    afterAll(async () => {
      delete process.env.BACKUP_BUCKET;
      delete process.env.STORAGE_API_ENDPOINT;
      resetRuntime();
      resetBackupClients();
      await db.terminate();
      await fake.close();
    });

    let original: Map<string, string>;
    let uri = '';

    it('backup writes one JSON-lines file per collection and a manifest, byte-identical to the database', async () => {
      const { status, body } = await post('backup', { kind: 'daily' });
      expect(status).toBe(200);
      expect(body.documents).toBe(1 + 1 + 2 + 1 + 700 + 1);
      uri = String(body.uri);
      expect(uri).toMatch(/^gs:\/\/crypto-bot-test-backups\/backups\/daily\/\d{8}T\d{6}Z\/$/);
      original = asMap(await dumpDatabase(db));
      expect([...original.keys()]).toEqual([
        'audit',
        'kinds',
        'orphans/no-parent/kids',
        'ticks',
        'trades',
        'trades/T1/fills',
      ]);
      const prefix = uri.replace(`gs://${BUCKET}/`, '');
      const objects = fake.objects(BUCKET);
      expect(objects.get(`${prefix}collections/trades%2FT1%2Ffills.jsonl`)?.bytes.toString('utf8')).toBe(
        original.get('trades/T1/fills'),
      );
      expect(objects.get(`${prefix}collections/ticks.jsonl`)?.bytes.toString('utf8').split('\n')).toHaveLength(701);
      const manifest = JSON.parse(objects.get(`${prefix}manifest.json`)?.bytes.toString('utf8') ?? '{}') as {
        collections: Array<{ path: string; count: number }>;
        schemaVersion: number;
      };
      expect(manifest.schemaVersion).toBe(1);
      expect(manifest.collections.map((c) => [c.path, c.count])).toEqual([
        ['audit', 1],
        ['kinds', 1],
        ['orphans/no-parent/kids', 1],
        ['ticks', 700],
        ['trades', 1],
        ['trades/T1/fills', 2],
      ]);
      const kinds = JSON.parse(original.get('kinds') ?? '') as { fields: Record<string, unknown> };
      expect(kinds.fields.integralDouble).toEqual({ doubleValue: 3 });
      expect(kinds.fields.bigInt).toEqual({ integerValue: '4611686018427387905' });
      expect(kinds.fields.ts).toEqual({ timestampValue: '2025-11-26T18:00:00.123456000Z' });
      expect(kinds.fields.negZero).toEqual({ doubleValue: '-0' });
      expect(kinds.fields.ref).toEqual({ referenceValue: 'ticks/t0001' });
    });

    it('restore refuses a database that is not empty (dry run too) and writes nothing', async () => {
      const result = await restore(['--from', uri, '--dry-run']);
      expect(result.code).toBe(1);
      expect(result.err).toContain('restore needs an empty database');
      expect(asMap(await dumpDatabase(db))).toEqual(original);
    });

    it('a dry run into an empty database verifies and writes nothing', async () => {
      await clearFirestoreEmulator(emulatorHost());
      const result = await restore(['--from', uri, '--dry-run']);
      expect(result.err).toBe('');
      expect(result.code).toBe(0);
      expect(result.out).toContain('DRY RUN');
      expect(await db.listCollections()).toEqual([]);
    });

    it('restore brings back every document byte-identically (timestamps, doubles, references, subcollections) and audits itself', async () => {
      const result = await restore(['--from', `${uri}manifest.json`, '--actor', 'test-operator']);
      expect(result.err).toBe('');
      expect(result.code).toBe(0);
      const restored = asMap(await dumpDatabase(db));
      for (const [path, content] of original) if (path !== 'audit') expect(restored.get(path), path).toBe(content);
      const auditLines = (restored.get('audit') ?? '').trimEnd().split('\n');
      expect(auditLines).toHaveLength(2);
      expect(`${auditLines[0]}\n`).toBe(original.get('audit'));
      expect(auditLines[1]).toContain('"actor":{"stringValue":"test-operator"}');
      expect(auditLines[1]).toContain('"kind":{"stringValue":"restore"}');
      const snap = await db.doc('kinds/all').get();
      const raw = (snap as unknown as { _fieldsProto: Record<string, { valueType: string }> })._fieldsProto;
      expect(raw.integralDouble?.valueType).toBe('doubleValue');
      expect((snap.get('ts') as Timestamp).nanoseconds).toBe(123_456_000);
    });

    it('a second restore is refused: the database is no longer empty', async () => {
      const result = await restore(['--from', uri]);
      expect(result.code).toBe(1);
      expect(result.err).toContain('empty database');
    });

    it('a corrupted file fails the checksum before anything is written', async () => {
      await clearFirestoreEmulator(emulatorHost());
      const prefix = uri.replace(`gs://${BUCKET}/`, '');
      const name = `${prefix}collections/trades.jsonl`;
      const saved = fake.objects(BUCKET).get(name);
      if (!saved) throw new Error('missing object');
      // Replaced through the API (storage's own hashes then match): only the manifest's sha-256 can tell.
      const blobs = new GcsBlobStore(createStorage({ apiEndpoint: fake.endpoint }), { bucket: BUCKET });
      await blobs.put(name, Buffer.from(saved.bytes.toString('utf8').replace('1234.5', '9234.5')));
      const result = await restore(['--from', uri]);
      fake.objects(BUCKET).set(name, saved);
      expect(result.code).toBe(1);
      expect(result.err).toContain('trades: sha-256');
      expect(await db.listCollections()).toEqual([]);
    });

    it('a missing manifest is refused as an incomplete backup', async () => {
      const result = await restore(['--from', `gs://${BUCKET}/backups/daily/19990101T000000Z`]);
      expect(result.code).toBe(1);
      expect(result.err).toContain('not a complete backup');
    });

    it('retention keeps the newest 4 weekly backups and deletes old unfinished ones', async () => {
      const objects = fake.objects(BUCKET);
      const nowMs = Date.now();
      const template = [...objects.values()][0];
      if (!template) throw new Error('the bucket is empty');
      const old = Array.from({ length: 6 }, (_, i) => backupPrefix('weekly', nowMs - (i + 1) * 7 * 86_400_000));
      for (const p of old) {
        objects.set(`${p}manifest.json`, { ...template, bytes: Buffer.from('{}') });
        objects.set(`${p}collections/ticks.jsonl`, { ...template, bytes: Buffer.from('') });
      }
      const unfinished = backupPrefix('daily', nowMs - 3 * 86_400_000);
      objects.set(`${unfinished}collections/ticks.jsonl`, { ...template });
      const { status, body } = await post('backup', { kind: 'weekly' });
      expect(status).toBe(200);
      const weeklies = new Set(
        [...objects.keys()]
          .filter((n) => n.startsWith('backups/weekly/'))
          .map((n) => n.split('/').slice(0, 3).join('/')),
      );
      expect(weeklies.size).toBe(4);
      expect(body.removed).toEqual(expect.arrayContaining([old[3], old[4], old[5], unfinished]));
      expect([...objects.keys()].some((n) => n.startsWith(unfinished))).toBe(false);
      expect([...objects.keys()].some((n) => n.startsWith(uri.replace(`gs://${BUCKET}/`, '')))).toBe(true);
    });

    it('a request without a kind is answered 400 BACKUP.BAD_REQUEST', async () => {
      const { status, body } = await post('backup', { kind: 'hourly' });
      expect(status).toBe(400);
      expect(body.code).toBe('BACKUP.BAD_REQUEST');
    });
  },
);

describe('backup without a bucket', () => {
  it('answers 500 CONFIG.INVALID naming BACKUP_BUCKET', async () => {
    resetRuntime();
    resetBackupClients();
    const { status, body } = await post('backup', { kind: 'daily' });
    expect(status).toBe(500);
    expect(body.code).toBe('CONFIG.INVALID');
    expect(String(body.message)).toContain('BACKUP_BUCKET');
  });
});
