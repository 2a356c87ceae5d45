/**
 * A local receiver for Discord and Slack webhooks: every POST is recorded as a message and answered
 * the way the service does (Discord 204 with no body, Slack 200 `ok`; the kind is read from the
 * path's first segment: `/discord/...`, `/slack/...`). Faults for tests and the demo: answer 429
 * (with `Retry-After` in the header, or Discord's JSON `retry_after`), 5xx, or be down. Listens on
 * 127.0.0.1 and a free port unless told otherwise. Admin: `GET /__admin/messages`, `POST /__admin/faults`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedMessage {
  readonly path: string;
  readonly body: Record<string, unknown>;
  /** The text: Discord `content`, Slack `text`. */
  readonly text: string;
  readonly receivedAtMs: number;
}

export interface WebhookFault {
  /** Only requests whose path starts with this (default: all). */
  readonly pathPrefix?: string;
  /** 429, 500, 503... or 'down' (the connection is destroyed without an answer). */
  readonly status: number | 'down';
  /** How many requests get the fault (default: every one until cleared). */
  readonly times?: number;
  /** For 429: seconds, in the `Retry-After` header or, for `body`, Discord's JSON `retry_after`. */
  readonly retryAfterSeconds?: number;
  readonly retryAfterIn?: 'header' | 'body';
}

export interface FakeWebhook {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** A Discord-looking webhook URL on this receiver (`/discord/<id>/<token>`). */
  discordUrl(id?: string, token?: string): string;
  slackUrl(path?: string): string;
  /** Accepted messages, oldest first (faulted requests are not messages). */
  messages(pathPrefix?: string): ReceivedMessage[];
  /** Every request, accepted or not: `status path`. */
  readonly requests: string[];
  fault(fault: WebhookFault | null): void;
  /** Forgets messages, requests and the fault. */
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeWebhook(options: { port?: number; now?: () => number } = {}): Promise<FakeWebhook> {
  const now = options.now ?? (() => Date.now());
  const messages: ReceivedMessage[] = [];
  const requests: string[] = [];
  let fault: (WebhookFault & { left: number }) | null = null;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => route(req, res, Buffer.concat(chunks).toString('utf8')));
  });

  function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  }

  function route(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    if (path === '/__admin/messages' && req.method === 'GET') return json(res, 200, { messages });
    if (path === '/__admin/faults' && req.method === 'POST') {
      setFault(raw ? (JSON.parse(raw) as WebhookFault | null) : null);
      return json(res, 200, { ok: true });
    }
    if (req.method !== 'POST') return json(res, 405, { message: '405: Method Not Allowed' });
    if (fault && (!fault.pathPrefix || path.startsWith(fault.pathPrefix)) && fault.left > 0) {
      fault.left -= 1;
      requests.push(`${fault.status} ${path}`);
      if (fault.status === 'down') {
        req.socket.destroy();
        return;
      }
      const seconds = fault.retryAfterSeconds ?? 1;
      if (fault.status === 429 && fault.retryAfterIn === 'body')
        return json(res, 429, { message: 'You are being rate limited.', retry_after: seconds, global: false });
      if (fault.status === 429) return json(res, 429, { message: 'rate limited' }, { 'retry-after': String(seconds) });
      return json(res, fault.status, { message: 'fault injected' });
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      requests.push(`400 ${path}`);
      return json(res, 400, { message: 'Cannot send an empty message', code: 50006 });
    }
    const text = typeof body.content === 'string' ? body.content : typeof body.text === 'string' ? body.text : '';
    if (!text) {
      requests.push(`400 ${path}`);
      return json(res, 400, { message: 'Cannot send an empty message', code: 50006 });
    }
    messages.push({ path, body, text, receivedAtMs: now() });
    if (path.startsWith('/slack')) {
      requests.push(`200 ${path}`);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    requests.push(`204 ${path}`);
    res.writeHead(204).end();
  }

  function setFault(next: WebhookFault | null): void {
    fault = next ? { ...next, left: next.times ?? Number.POSITIVE_INFINITY } : null;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    discordUrl: (id = '1234567890', token = 'fake-discord-token') => `${url}/discord/${id}/${token}`,
    slackUrl: (path = 'T000/B000/fake-slack-secret') => `${url}/slack/${path}`,
    messages: (prefix) => messages.filter((m) => !prefix || m.path.startsWith(prefix)),
    requests,
    fault: setFault,
    reset: () => {
      messages.length = 0;
      requests.length = 0;
      fault = null;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
