import { z } from 'zod';
import { collection } from '../ports/store.port.js';

const ms = z.number().int();

/**
 * `telegramUpdates/{update_id}`: every Telegram update handled, created once, so a webhook delivery
 * Telegram repeats (it retries on any non-2xx or a lost answer) runs its command once. Kept 7 days.
 */
export const telegramUpdates = collection(
  'telegramUpdates',
  z.object({ updateId: z.number().int(), chatId: z.string(), command: z.string().max(40), receivedAtMs: ms }),
  { days: 7, fromField: 'receivedAtMs' },
);

/** `telegramConfirmations/{chatId}`: a command waiting for its confirmation reply (`/resume` -> `/confirm`). */
export const telegramConfirmations = collection(
  'telegramConfirmations',
  z.object({ command: z.literal('resume'), askedAtMs: ms, expiresAtMs: ms }),
);
