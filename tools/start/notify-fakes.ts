import { randomBytes, randomInt } from 'node:crypto';
import { startFakeTelegram, type FakeTelegram } from '../fake-telegram/server.js';
import { startFakeWebhook, type FakeWebhook } from '../fake-webhook/server.js';

/**
 * Notifications for the local run. A user's own NOTIFY_* / TELEGRAM_* settings are passed through
 * to the functions untouched (they are in the environment the functions read); for each channel
 * they leave unset, a fake is started instead: a webhook receiver playing Discord and Slack, and a
 * fake Telegram Bot API with a generated token, chat and webhook secret (the telegram function is
 * registered as its webhook, as the deploy does with setWebhook).
 */
export interface NotifyFakes {
  /** Settings to give the functions (only for the channels the user left unset). */
  readonly env: Record<string, string>;
  /** One line per channel: where its messages go. */
  readonly channels: string[];
  /** setWebhook on the fake Telegram, pointing at the served telegram function. */
  registerWebhook(telegramFunctionUrl: string): Promise<void>;
  /** Plays a user sending each command on the fake Telegram; returns the bot's answers. */
  ask(commands: readonly string[]): Promise<Array<{ command: string; answer: string }>>;
  /** Messages the fake receiver and the fake Telegram got. */
  received(): { webhook: number; telegram: number };
  close(): Promise<void>;
}

export async function startNotifyFakes(env: NodeJS.ProcessEnv = process.env): Promise<NotifyFakes> {
  const out: Record<string, string> = {};
  const channels: string[] = [];
  let receiver: FakeWebhook | undefined;
  let telegram: FakeTelegram | undefined;
  const chatId = '10001';
  const secret = randomBytes(16).toString('hex');
  if (!env.NOTIFY_DISCORD_WEBHOOK_URL && !env.NOTIFY_SLACK_WEBHOOK_URL) {
    receiver = await startFakeWebhook();
    Object.assign(out, {
      NOTIFY_DISCORD_WEBHOOK_URL: receiver.discordUrl(),
      NOTIFY_SLACK_WEBHOOK_URL: receiver.slackUrl(),
    });
    channels.push(`discord, slack -> fake webhook receiver ${receiver.url} (GET ${receiver.url}/__admin/messages)`);
  } else {
    const own = (['discord', 'slack'] as const).filter((c) => env[`NOTIFY_${c.toUpperCase()}_WEBHOOK_URL`]);
    channels.push(`${own.join(', ')} -> your ${own.map((c) => `NOTIFY_${c.toUpperCase()}_WEBHOOK_URL`).join(' and ')}`);
  }
  if (!env.TELEGRAM_BOT_TOKEN) {
    const token = `${randomInt(100_000, 999_999)}:local${randomBytes(12).toString('hex')}`;
    telegram = await startFakeTelegram({ token });
    Object.assign(out, {
      TELEGRAM_BOT_TOKEN: token,
      TELEGRAM_CHAT_IDS: chatId,
      TELEGRAM_API_URL: telegram.apiUrl,
      TELEGRAM_WEBHOOK_SECRET: secret,
    });
    channels.push(
      `telegram -> fake Bot API ${telegram.apiUrl}, chat ${chatId} (GET ${telegram.apiUrl}/__admin/messages)`,
    );
  } else {
    channels.push(
      `telegram -> your TELEGRAM_BOT_TOKEN, chats ${env.TELEGRAM_CHAT_IDS ?? '(none set)'} at ${env.TELEGRAM_API_URL ?? 'https://api.telegram.org'}`,
    );
  }
  return {
    env: out,
    channels,
    async registerWebhook(url) {
      if (!telegram) return;
      const response = await fetch(`${telegram.apiUrl}/bot${telegram.token}/setWebhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url, secret_token: secret }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw new Error(`fake Telegram setWebhook answered ${response.status}`);
    },
    async ask(commands) {
      if (!telegram) return [];
      const answers: Array<{ command: string; answer: string }> = [];
      for (const command of commands) {
        const before = telegram.messages(chatId).length;
        await telegram.userSays(chatId, command);
        answers.push({
          command,
          answer:
            telegram
              .messages(chatId)
              .slice(before)
              .map((m) => m.text)
              .join('\n') || '(no answer)',
        });
      }
      return answers;
    },
    received: () => ({ webhook: receiver?.messages().length ?? 0, telegram: telegram?.messages().length ?? 0 }),
    async close() {
      await receiver?.close();
      await telegram?.close();
    },
  };
}
