/**
 * A local fake of the Cloud Storage JSON API, enough for the real `@google-cloud/storage` client
 * pointed at it with `apiEndpoint`: uploads (media, multipart, resumable), download (`alt=media`,
 * with `x-goog-hash` so the client's checksum validation runs), object metadata, list with
 * prefix/delimiter/pages, delete, bucket create/get, and `ifGenerationMatch` preconditions.
 * Objects live in memory. Listens on 127.0.0.1 and a free port unless told otherwise.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseMultipart } from './multipart.js';
import {
  crc32cBase64,
  describe,
  download,
  list,
  md5Base64,
  sendError,
  sendJson,
  type StoredObject,
} from './objects.js';

interface UploadSession {
  bucket: string;
  name: string;
  contentType: string;
  metadata: Record<string, string>;
  ifGenerationMatch: string | null;
  chunks: Buffer[];
  received: number;
}

export interface FakeGcs {
  /** `http://127.0.0.1:PORT`, the value for the client's `apiEndpoint`. */
  endpoint: string;
  /** Every request seen, `METHOD path?query`, for tests that check what the client sent. */
  requests: string[];
  /** Direct access for tests (e.g. corrupting an object to prove checksums are verified). */
  objects(bucket: string): Map<string, StoredObject>;
  close(): Promise<void>;
}

export async function startFakeGcs(options: { buckets?: string[]; port?: number } = {}): Promise<FakeGcs> {
  const buckets = new Map<string, Map<string, StoredObject>>();
  for (const b of options.buckets ?? []) buckets.set(b, new Map());
  const sessions = new Map<string, UploadSession>();
  const requests: string[] = [];
  let generation = 1_000_000;
  let endpoint = '';

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        route(req, res, Buffer.concat(chunks));
      } catch (error) {
        sendError(res, 500, (error as Error).message);
      }
    });
  });

  function route(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    requests.push(`${method} ${url.pathname}${url.search}`);
    const q = url.searchParams;
    let m: RegExpMatchArray | null;
    if (method === 'POST' && url.pathname === '/storage/v1/b') {
      const name = (JSON.parse(body.toString('utf8') || '{}') as { name?: string }).name ?? '';
      if (buckets.has(name)) return sendError(res, 409, 'bucket exists');
      buckets.set(name, new Map());
      return sendJson(res, 200, { kind: 'storage#bucket', id: name, name });
    }
    if ((m = url.pathname.match(/^\/storage\/v1\/b\/([^/]+)$/)) && method === 'GET') {
      const name = decodeURIComponent(m[1] ?? '');
      return buckets.has(name)
        ? sendJson(res, 200, { kind: 'storage#bucket', id: name, name })
        : sendError(res, 404, 'no such bucket');
    }
    if ((m = url.pathname.match(/^\/upload\/storage\/v1\/b\/([^/]+)\/o$/))) {
      const bucket = bucketOr404(res, m[1]);
      if (!bucket) return;
      return upload(req, res, method, q, decodeURIComponent(m[1] ?? ''), bucket, body);
    }
    if ((m = url.pathname.match(/^\/storage\/v1\/b\/([^/]+)\/o$/)) && method === 'GET') {
      const bucket = bucketOr404(res, m[1]);
      if (!bucket) return;
      return list(res, q, decodeURIComponent(m[1] ?? ''), bucket);
    }
    if ((m = url.pathname.match(/^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/))) {
      const bucket = bucketOr404(res, m[1]);
      if (!bucket) return;
      const bucketName = decodeURIComponent(m[1] ?? '');
      const name = decodeURIComponent(m[2] ?? '');
      const object = bucket.get(name);
      if (!object) return sendError(res, 404, `No such object: ${bucketName}/${name}`);
      if (method === 'DELETE') {
        bucket.delete(name);
        res.writeHead(204).end();
        return;
      }
      if (method === 'GET' && q.get('alt') === 'media') return download(res, object);
      if (method === 'GET') return sendJson(res, 200, describe(bucketName, name, object));
    }
    sendError(res, 404, `fake-gcs: no route for ${method} ${url.pathname}`);
  }

  function upload(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    q: URLSearchParams,
    bucketName: string,
    bucket: Map<string, StoredObject>,
    body: Buffer,
  ): void {
    const type = q.get('uploadType');
    if (type === 'resumable' && q.has('upload_id')) return resumeUpload(req, res, q.get('upload_id') ?? '', body);
    if (method !== 'POST') return sendError(res, 405, 'uploads are POST');
    const contentType = req.headers['content-type'] ?? 'application/octet-stream';
    if (type === 'media') {
      return finishUpload(
        res,
        bucketName,
        bucket,
        { name: q.get('name') ?? '', contentType, metadata: {}, ifGenerationMatch: q.get('ifGenerationMatch') },
        body,
      );
    }
    if (type === 'multipart') {
      const [metaPart, mediaPart] = parseMultipart(contentType, body);
      if (!metaPart || !mediaPart)
        return sendError(res, 400, 'multipart upload needs a metadata part and a media part');
      const meta = JSON.parse(metaPart.body.toString('utf8')) as {
        name?: string;
        contentType?: string;
        metadata?: Record<string, string>;
      };
      const name = meta.name ?? q.get('name') ?? '';
      return finishUpload(
        res,
        bucketName,
        bucket,
        {
          name,
          contentType: meta.contentType ?? mediaPart.contentType ?? 'application/octet-stream',
          metadata: meta.metadata ?? {},
          ifGenerationMatch: q.get('ifGenerationMatch'),
        },
        mediaPart.body,
      );
    }
    if (type === 'resumable') {
      const meta = (body.length > 0 ? JSON.parse(body.toString('utf8')) : {}) as {
        name?: string;
        contentType?: string;
        metadata?: Record<string, string>;
      };
      const id = randomUUID();
      sessions.set(id, {
        bucket: bucketName,
        name: meta.name ?? q.get('name') ?? '',
        contentType: meta.contentType ?? String(req.headers['x-upload-content-type'] ?? 'application/octet-stream'),
        metadata: meta.metadata ?? {},
        ifGenerationMatch: q.get('ifGenerationMatch'),
        chunks: [],
        received: 0,
      });
      res
        .writeHead(200, {
          Location: `${endpoint}/upload/storage/v1/b/${encodeURIComponent(bucketName)}/o?uploadType=resumable&upload_id=${id}`,
        })
        .end();
      return;
    }
    sendError(res, 400, `unsupported uploadType ${String(type)}`);
  }

  function resumeUpload(req: IncomingMessage, res: ServerResponse, id: string, body: Buffer): void {
    const session = sessions.get(id);
    if (!session) return sendError(res, 404, 'no such upload session');
    // Content-Range: "bytes 0-99/100", "bytes 0-99/*", or "bytes */100" (a status query / empty final chunk).
    const range = String(req.headers['content-range'] ?? `bytes */${session.received + body.length}`);
    const m = range.match(/^bytes (?:(\d+)-(\d+)|\*)\/(\d+|\*)$/);
    if (!m) return sendError(res, 400, `bad Content-Range ${range}`);
    if (m[1] !== undefined && Number(m[1]) === session.received && body.length > 0) {
      session.chunks.push(body);
      session.received += body.length;
    }
    const total = m[3] === '*' ? undefined : Number(m[3]);
    if (total === undefined || session.received < total) {
      const headers: Record<string, string> = session.received > 0 ? { Range: `bytes=0-${session.received - 1}` } : {};
      res.writeHead(308, headers).end();
      return;
    }
    sessions.delete(id);
    const bucket = buckets.get(session.bucket);
    if (!bucket) return sendError(res, 404, 'bucket vanished');
    finishUpload(res, session.bucket, bucket, session, Buffer.concat(session.chunks));
  }

  function finishUpload(
    res: ServerResponse,
    bucketName: string,
    bucket: Map<string, StoredObject>,
    target: { name: string; contentType: string; metadata: Record<string, string>; ifGenerationMatch: string | null },
    bytes: Buffer,
  ): void {
    if (!target.name) return sendError(res, 400, 'object name required');
    const existing = bucket.get(target.name);
    if (target.ifGenerationMatch !== null && String(existing?.generation ?? 0) !== target.ifGenerationMatch) {
      return sendError(res, 412, 'Precondition Failed');
    }
    const nowMs = Date.now();
    generation += 1;
    const object: StoredObject = {
      bytes,
      md5Hash: md5Base64(bytes),
      crc32c: crc32cBase64(bytes),
      contentType: target.contentType,
      generation,
      metageneration: 1,
      createdMs: nowMs,
      updatedMs: nowMs,
      metadata: target.metadata,
    };
    bucket.set(target.name, object);
    sendJson(res, 200, describe(bucketName, target.name, object));
  }

  function bucketOr404(res: ServerResponse, raw: string | undefined): Map<string, StoredObject> | undefined {
    const bucket = buckets.get(decodeURIComponent(raw ?? ''));
    if (!bucket) sendError(res, 404, 'The specified bucket does not exist.');
    return bucket;
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    requests,
    objects: (bucket) => {
      const found = buckets.get(bucket);
      if (!found) throw new Error(`fake-gcs: no bucket ${bucket}`);
      return found;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
