import type { Config } from '../../config.js';
import { withDeadline } from '../../core/retry.js';
import { toBotError } from '../../core/errors.js';
import type { ChannelAnswer } from '../../core/notify/delivery.js';
import type { ChannelName } from '../../core/notify/events.js';
import type { Clock } from '../../ports/clock.port.js';

/**
 * Where notifications go: one destination per Discord webhook, Slack incoming webhook and Telegram
 * chat. `post` sends one plain-text message under a deadline and returns the HTTP answer; it never
 * puts the URL or the token in an error (they are secrets): only the channel's name.
 */
export interface Destination {
  /** `discord`, `slack`, `telegram:<chatId>`: the key of its delivery on an outbox document. */
  readonly key: string;
  readonly channel: ChannelName;
  post(text: string, signal?: AbortSignal): Promise<ChannelAnswer>;
}

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<Response>;

export interface DestinationOptions {
  clock: Clock;
  callTimeoutMs: number;
  fetch?: FetchLike;
}

export function telegramChatIds(config: Pick<Config, 'TELEGRAM_CHAT_IDS'>): string[] {
  return (config.TELEGRAM_CHAT_IDS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function destinationsFromConfig(config: Config, options: DestinationOptions): Destination[] {
  const out: Destination[] = [];
  const post = poster(options);
  if (config.NOTIFY_DISCORD_WEBHOOK_URL) {
    const url = config.NOTIFY_DISCORD_WEBHOOK_URL;
    // allowed_mentions: no @everyone / role pings from text the bot did not write (an exchange message).
    out.push({
      key: 'discord',
      channel: 'discord',
      post: (text, signal) => post('discord', url, { content: text, allowed_mentions: { parse: [] } }, signal),
    });
  }
  if (config.NOTIFY_SLACK_WEBHOOK_URL) {
    const url = config.NOTIFY_SLACK_WEBHOOK_URL;
    out.push({ key: 'slack', channel: 'slack', post: (text, signal) => post('slack', url, { text }, signal) });
  }
  if (config.TELEGRAM_BOT_TOKEN) {
    const url = telegramMethodUrl(config.TELEGRAM_API_URL, config.TELEGRAM_BOT_TOKEN, 'sendMessage');
    for (const chatId of telegramChatIds(config)) {
      out.push({
        key: `telegram:${chatId}`,
        channel: 'telegram',
        post: (text, signal) =>
          post('telegram', url, { chat_id: chatId, text, disable_web_page_preview: true }, signal),
      });
    }
  }
  return out;
}

export function telegramMethodUrl(apiUrl: string, token: string, method: string): string {
  return `${apiUrl.replace(/\/+$/, '')}/bot${token}/${method}`;
}

/** POST JSON under a deadline; network errors and the deadline become an Error naming only the channel. */
export function poster(options: DestinationOptions) {
  const doFetch: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  return async (channel: string, url: string, body: unknown, signal?: AbortSignal): Promise<ChannelAnswer> => {
    try {
      return await withDeadline(
        async (deadline) => {
          const response = await doFetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
            signal: deadline,
          });
          const raw = await response.text();
          let parsed: unknown = null;
          try {
            parsed = raw ? (JSON.parse(raw) as unknown) : null;
          } catch {
            parsed = null;
          }
          return { status: response.status, retryAfterHeader: response.headers.get('retry-after'), body: parsed };
        },
        {
          clock: options.clock,
          timeoutMs: options.callTimeoutMs,
          code: 'EXTERNAL.FETCH_FAILED',
          what: `${channel} request`,
          ...(signal ? { signal } : {}),
        },
      );
    } catch (thrown) {
      const error = toBotError(thrown);
      const cause = (thrown as { cause?: { code?: unknown } } | undefined)?.cause?.code;
      // The message of a fetch failure can carry the URL (and so the token): keep only safe parts.
      throw new Error(
        error.code === 'EXTERNAL.FETCH_FAILED' && /did not finish/.test(error.message)
          ? `${channel}: no answer within ${options.callTimeoutMs} ms`
          : `${channel}: network error${typeof cause === 'string' ? ` ${cause}` : ''}`,
      );
    }
  };
}
