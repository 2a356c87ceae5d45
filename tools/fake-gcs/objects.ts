/** The fake's stored objects and the JSON answers it builds from them (no server state here). */
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { crc32c } from './crc32c.js';

export interface StoredObject {
  bytes: Buffer;
  /** Computed at upload, as Cloud Storage does: served bytes that no longer match fail the client's validation. */
  md5Hash: string;
  crc32c: string;
  contentType: string;
  generation: number;
  metageneration: number;
  createdMs: number;
  updatedMs: number;
  metadata: Record<string, string>;
}

/** Objects list with prefix, delimiter and pages (`pageToken` is the last name served). */
export function list(
  res: ServerResponse,
  q: URLSearchParams,
  bucketName: string,
  bucket: Map<string, StoredObject>,
): void {
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter');
  const maxResults = Math.min(Number(q.get('maxResults') ?? 1000) || 1000, 1000);
  const startAfter = q.get('pageToken') ?? '';
  const names = [...bucket.keys()].filter((n) => n.startsWith(prefix) && n > startAfter).sort();
  const items: string[] = [];
  const prefixes = new Set<string>();
  let last = '';
  for (const name of names) {
    if (items.length + prefixes.size >= maxResults) break;
    last = name;
    const rest = name.slice(prefix.length);
    const cut = delimiter ? rest.indexOf(delimiter) : -1;
    if (delimiter && cut >= 0) prefixes.add(prefix + rest.slice(0, cut + delimiter.length));
    else items.push(name);
  }
  const more = names.length > 0 && last !== '' && last < (names[names.length - 1] ?? '');
  sendJson(res, 200, {
    kind: 'storage#objects',
    ...(items.length > 0 ? { items: items.map((n) => describe(bucketName, n, bucket.get(n) as StoredObject)) } : {}),
    ...(prefixes.size > 0 ? { prefixes: [...prefixes] } : {}),
    ...(more ? { nextPageToken: last } : {}),
  });
}

export function download(res: ServerResponse, object: StoredObject): void {
  res.writeHead(200, {
    'Content-Type': object.contentType,
    'Content-Length': String(object.bytes.length),
    'x-goog-hash': `crc32c=${object.crc32c},md5=${object.md5Hash}`,
    'x-goog-generation': String(object.generation),
    'x-goog-stored-content-length': String(object.bytes.length),
    'x-goog-stored-content-encoding': 'identity',
  });
  res.end(object.bytes);
}

export function describe(bucket: string, name: string, o: StoredObject): Record<string, unknown> {
  return {
    kind: 'storage#object',
    id: `${bucket}/${name}/${o.generation}`,
    selfLink: `/storage/v1/b/${bucket}/o/${encodeURIComponent(name)}`,
    name,
    bucket,
    generation: String(o.generation),
    metageneration: String(o.metageneration),
    contentType: o.contentType,
    storageClass: 'STANDARD',
    size: String(o.bytes.length),
    md5Hash: o.md5Hash,
    crc32c: o.crc32c,
    etag: o.md5Hash,
    timeCreated: new Date(o.createdMs).toISOString(),
    updated: new Date(o.updatedMs).toISOString(),
    ...(Object.keys(o.metadata).length > 0 ? { metadata: o.metadata } : {}),
  };
}

export function md5Base64(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('base64');
}

export function crc32cBase64(bytes: Buffer): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32c(bytes));
  return out.toString('base64');
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=UTF-8',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, {
    error: { code: status, message, errors: [{ message, reason: status === 404 ? 'notFound' : 'invalid' }] },
  });
}
