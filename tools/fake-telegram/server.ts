/**
 * A local fake of the Telegram Bot API, enough for the bot: `sendMessage`, `setWebhook`,
 * `getWebhookInfo`, `deleteWebhook` under `/bot<token>/`, answered in Telegram's envelope
 * (`{ok, result}` / `{ok: false, error_code, description, parameters: {retry_after}}`); a wrong
 * token is 401. `userSays(chatId, text)` plays a user: it POSTs an Update to the registered
 * webhook with the registered `X-Telegram-Bot-Api-Secret-Token`, as Telegram does. Faults: 429 with
 * `retry_after`, 5xx, down. Admin: `GET /__admin/messages`, `POST /__admin/updates {chat_id, text}`,
 * `POST /__admin/faults`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentMessage {
  readonly chatId: string;
  readonly text: string;
  readonly messageId: number;
  readonly sentAtMs: number;
}

export interface TelegramFault {
  readonly status: 429 | 500 | 502 | 'down';
  readonly times?: number;
  readonly retryAfterSeconds?: number;
}

export interface FakeTelegram {
  /** The value for TELEGRAM_API_URL. */
  readonly apiUrl: string;
  readonly token: string;
  /** What the bot sent, oldest first. */
  messages(chatId?: string): SentMessage[];
  readonly webhook: { url: string; secretToken: string | undefined } | undefined;
  /** Every Bot API request: `status method`. */
  readonly requests: string[];
  /** Plays a user writing `text` in `chatId`: the Update goes to the webhook; its HTTP status is returned. */
  userSays(chatId: string | number, text: string, options?: { secretToken?: string | null }): Promise<number>;
  fault(fault: TelegramFault | null): void;
  /** Forgets messages, requests, the fault and the webhook. */
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeTelegram(options: {
  token: string;
  port?: number;
  now?: () => number;
}): Promise<FakeTelegram> {
  const now = options.now ?? (() => Date.now());
  const messages: SentMessage[] = [];
  const requests: string[] = [];
  let webhook: { url: string; secretToken: string | undefined } | undefined;
  let fault: (TelegramFault & { left: number }) | null = null;
  let nextMessageId = 1;
  let nextUpdateId = 100_000;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void route(req, res, Buffer.concat(chunks).toString('utf8')));
  });

  const json = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const failure = (
    res: ServerResponse,
    status: number,
    description: string,
    extra: Record<string, unknown> = {},
  ): void => json(res, status, { ok: false, error_code: status, description, ...extra });

  async function route(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    let body: Record<string, unknown> = {};
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      return failure(res, 400, 'Bad Request: can not parse JSON object');
    }
    if (path === '/__admin/messages') return json(res, 200, { messages });
    if (path === '/__admin/faults') {
      setFault(body.status === undefined ? null : (body as unknown as TelegramFault));
      return json(res, 200, { ok: true });
    }
    if (path === '/__admin/updates')
      return json(res, 200, { status: await userSays(String(body.chat_id), String(body.text ?? '')) });
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(path);
    if (!match) return failure(res, 404, 'Not Found');
    const [, token, method] = match as unknown as [string, string, string];
    if (token !== options.token) {
      requests.push(`401 ${method}`);
      return failure(res, 401, 'Unauthorized');
    }
    if (fault && fault.left > 0) {
      fault.left -= 1;
      requests.push(`${fault.status} ${method}`);
      if (fault.status === 'down') {
        req.socket.destroy();
        return;
      }
      const seconds = fault.retryAfterSeconds ?? 1;
      if (fault.status === 429)
        return failure(res, 429, `Too Many Requests: retry after ${seconds}`, { parameters: { retry_after: seconds } });
      return failure(res, fault.status, 'Internal Server Error');
    }
    requests.push(`200 ${method}`);
    switch (method) {
      case 'sendMessage': {
        const chatId = String(body.chat_id ?? '');
        const text = typeof body.text === 'string' ? body.text : '';
        if (!chatId || !text) return failure(res, 400, 'Bad Request: message text is empty');
        const message = { chatId, text, messageId: nextMessageId++, sentAtMs: now() };
        messages.push(message);
        return json(res, 200, {
          ok: true,
          result: {
            message_id: message.messageId,
            chat: { id: Number(chatId) },
            date: Math.floor(message.sentAtMs / 1000),
            text,
          },
        });
      }
      case 'setWebhook':
        webhook = {
          url: String(body.url ?? ''),
          secretToken: typeof body.secret_token === 'string' ? body.secret_token : undefined,
        };
        return json(res, 200, { ok: true, result: true, description: 'Webhook was set' });
      case 'deleteWebhook':
        webhook = undefined;
        return json(res, 200, { ok: true, result: true });
      case 'getWebhookInfo':
        return json(res, 200, { ok: true, result: { url: webhook?.url ?? '', pending_update_count: 0 } });
      default:
        return failure(res, 404, 'Not Found: method not found');
    }
  }

  async function userSays(
    chatId: string | number,
    text: string,
    opts: { secretToken?: string | null } = {},
  ): Promise<number> {
    if (!webhook) throw new Error('fake-telegram: no webhook registered (setWebhook first)');
    const id = nextUpdateId++;
    const secret = opts.secretToken === undefined ? webhook.secretToken : opts.secretToken;
    const update = {
      update_id: id,
      message: {
        message_id: id,
        date: Math.floor(now() / 1000),
        chat: { id: Number(chatId), type: 'private' },
        from: { id: Number(chatId), is_bot: false, first_name: 'Tester' },
        text,
      },
    };
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
      body: JSON.stringify(update),
      signal: AbortSignal.timeout(30_000),
    });
    await response.arrayBuffer();
    return response.status;
  }

  function setFault(next: TelegramFault | null): void {
    fault = next ? { ...next, left: next.times ?? Number.POSITIVE_INFINITY } : null;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl,
    token: options.token,
    messages: (chatId) => messages.filter((m) => chatId === undefined || m.chatId === String(chatId)),
    get webhook() {
      return webhook;
    },
    requests,
    userSays,
    fault: setFault,
    reset: () => {
      messages.length = 0;
      requests.length = 0;
      fault = null;
      webhook = undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
