import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { buildManifest, parseManifest, verifyFile } from './manifest.js';
import { backupPrefix, collectionObjectName, parseBackupObject, parseGsUri } from './layout.js';

const file = (path: string, lines: string[]) => ({
  path,
  object: collectionObjectName(path),
  content: Buffer.from(lines.map((l) => `${l}\n`).join('')),
});

describe('backup manifest', () => {
  const files = [file('ticks', ['{"id":"a"}', '{"id":"b"}']), file('audit', ['{"id":"x"}']), file('empty', [])];
  const manifest = buildManifest({
    kind: 'daily',
    createdAtMs: Date.UTC(2026, 10, 26, 18),
    source: { projectId: 'p', databaseId: '(default)' },
    files,
  });

  it('counts lines, sums totals, sorts by path and checksums with sha-256', () => {
    expect(manifest.collections.map((c) => [c.path, c.count])).toEqual([
      ['audit', 1],
      ['empty', 0],
      ['ticks', 2],
    ]);
    expect(manifest.totals).toEqual({ documents: 3, bytes: files.reduce((s, f) => s + f.content.length, 0) });
    expect(manifest.collections[2]?.sha256).toBe(createHash('sha256').update('{"id":"a"}\n{"id":"b"}\n').digest('hex'));
    expect(manifest.createdAt).toBe('2026-11-26T18:00:00.000Z');
  });

  it('round-trips through JSON and rejects tampered manifests', () => {
    expect(parseManifest(Buffer.from(JSON.stringify(manifest)))).toEqual({ manifest });
    const tampered = { ...manifest, totals: { ...manifest.totals, documents: 99 } };
    expect('problems' in parseManifest(Buffer.from(JSON.stringify(tampered)))).toBe(true);
    expect('problems' in parseManifest(Buffer.from(JSON.stringify({ ...manifest, extra: 1 })))).toBe(true);
    expect('problems' in parseManifest(Buffer.from('not json'))).toBe(true);
  });

  it('verifyFile accepts the original and names every difference otherwise', () => {
    const entry = manifest.collections[2];
    if (!entry) throw new Error('no entry');
    expect(verifyFile(entry, files[0]?.content)).toEqual([]);
    expect(verifyFile(entry, undefined)).toEqual([`ticks: ${entry.object} is missing`]);
    const flipped = Buffer.from(files[0]?.content ?? '');
    flipped[2] = 'X'.charCodeAt(0);
    expect(verifyFile(entry, flipped)).toEqual([expect.stringContaining('sha-256')]);
    const extra = Buffer.concat([files[0]?.content ?? Buffer.alloc(0), Buffer.from('{}\n')]);
    expect(verifyFile(entry, extra)).toHaveLength(3);
  });
});

describe('backup layout', () => {
  it('names backups by kind and UTC stamp and parses them back', () => {
    const at = Date.UTC(2026, 10, 1, 20, 0, 5);
    const prefix = backupPrefix('monthly', at);
    expect(prefix).toBe('backups/monthly/20261101T200005Z/');
    expect(parseBackupObject(`${prefix}manifest.json`)).toEqual({
      kind: 'monthly',
      createdAtMs: at,
      prefix,
      rest: 'manifest.json',
    });
    expect(parseBackupObject('other/monthly/20261101T200005Z/manifest.json')).toBeUndefined();
    expect(parseBackupObject('backups/hourly/20261101T200005Z/x')).toBeUndefined();
  });

  it('encodes subcollection paths into one flat object name', () => {
    expect(collectionObjectName('trades/a b/fills')).toBe('collections/trades%2Fa%20b%2Ffills.jsonl');
  });

  it('parses gs:// URIs, with or without the manifest name', () => {
    expect(parseGsUri('gs://my-bucket/backups/daily/20261126T180000Z')).toEqual({
      bucket: 'my-bucket',
      prefix: 'backups/daily/20261126T180000Z/',
    });
    expect(parseGsUri('gs://my-bucket/backups/daily/20261126T180000Z/manifest.json')).toEqual({
      bucket: 'my-bucket',
      prefix: 'backups/daily/20261126T180000Z/',
    });
    expect(parseGsUri('gs://my-bucket')).toEqual({ bucket: 'my-bucket', prefix: '' });
    expect(() => parseGsUri('s3://x/y')).toThrow(RangeError);
  });
});
