import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from '@google-cloud/functions-framework';
import { z } from 'zod';
import { handle, refuseMethod } from './http.js';
import { getRuntime, getStore, runtimeLogger } from './runtime.js';
import { poster, telegramChatIds, telegramMethodUrl } from '../shared/adapters/notify/destinations.js';
import { runCommand } from '../shared/app/telegram/run-command.js';
import { telegramUpdates } from '../shared/store/telegram-collections.js';

const updateSchema = z.object({
  update_id: z.number().int(),
  message: z.object({ chat: z.object({ id: z.number().int() }), text: z.string().max(4096).optional() }).optional(),
});

function sameSecret(given: string | undefined, expected: string | undefined): boolean {
  if (!given || !expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * POST: the Telegram bot's webhook. Only requests carrying the configured
 * `X-Telegram-Bot-Api-Secret-Token` are read (else 401 TELEGRAM.REFUSED); only messages from
 * TELEGRAM_CHAT_IDS are obeyed (others: 200, ignored, logged with the code). A repeated update runs
 * once. The answer goes back with sendMessage; the webhook itself answers 200 so Telegram does not
 * redeliver. No command can place an order (the handler has no exchange).
 */
export async function telegramHandler(req: Request, res: Response): Promise<void> {
  if (refuseMethod('telegram', req, res, ['POST'])) return;
  const { config, clock, logger } = getRuntime();
  const log = logger.child({ source: 'telegram' });
  if (
    !config.TELEGRAM_BOT_TOKEN ||
    !sameSecret(req.get('x-telegram-bot-api-secret-token'), config.TELEGRAM_WEBHOOK_SECRET)
  ) {
    log.warn('telegram webhook call refused: secret token missing or wrong', {
      code: 'TELEGRAM.REFUSED',
      reason: 'secret-token',
    });
    res.status(401).json({ code: 'TELEGRAM.REFUSED', message: 'unauthorized' });
    return;
  }
  const update = updateSchema.safeParse(req.body);
  if (!update.success || !update.data.message?.text) {
    log.info('telegram update without a text message: ignored', {
      code: 'TELEGRAM.REFUSED',
      reason: 'not-a-text-message',
    });
    res.status(200).json({ ok: true, ignored: 'not a text message' });
    return;
  }
  const chatId = String(update.data.message.chat.id);
  const text = update.data.message.text;
  if (!telegramChatIds(config).includes(chatId)) {
    log.warn('telegram message from a chat not allowed: ignored', {
      code: 'TELEGRAM.REFUSED',
      reason: 'chat-not-allowed',
      chatId,
    });
    res.status(200).json({ ok: true, ignored: 'chat not allowed' });
    return;
  }
  const store = getStore();
  const nowMs = clock.nowMs();
  const first = await store.create(telegramUpdates, String(update.data.update_id), {
    updateId: update.data.update_id,
    chatId,
    command: text.split(/\s/)[0]?.slice(0, 40) ?? '',
    receivedAtMs: nowMs,
  });
  if (!first) {
    log.info('telegram update already handled', { code: 'TELEGRAM.COMMAND', updateId: update.data.update_id });
    res.status(200).json({ ok: true, duplicate: true });
    return;
  }
  const { command, answer } = await runCommand(
    {
      store,
      clock,
      logger: log,
      settings: { mode: config.BOT_MODE, pair: config.BOT_PAIR, locale: config.NOTIFY_LOCALE },
    },
    chatId,
    text,
  );
  const send = poster({ clock, callTimeoutMs: config.NOTIFY_CALL_TIMEOUT_MS });
  const sent = await send(
    'telegram',
    telegramMethodUrl(config.TELEGRAM_API_URL, config.TELEGRAM_BOT_TOKEN, 'sendMessage'),
    { chat_id: chatId, text: answer, disable_web_page_preview: true },
  ).catch((error: unknown) => ({ status: 0, error: error instanceof Error ? error.message : 'failed' }));
  if (sent.status < 200 || sent.status >= 300)
    log.warn('telegram answer not delivered', { code: 'TELEGRAM.COMMAND', command, status: sent.status });
  res.status(200).json({ ok: true, command });
}

export const telegram = handle('telegram', runtimeLogger, telegramHandler);
