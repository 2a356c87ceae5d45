import { startFakeTelegram } from './server.js';

/** `npx tsx tools/fake-telegram/main.ts [--port N]`: a fake Telegram Bot API until stopped (token from TELEGRAM_BOT_TOKEN, else a fake one). */
const portArg = process.argv.indexOf('--port');
const token = process.env.TELEGRAM_BOT_TOKEN ?? '123456:fake-telegram-token';
const fake = await startFakeTelegram({ token, port: portArg > 0 ? Number(process.argv[portArg + 1]) : 0 });
console.log(
  `fake-telegram listening on ${fake.apiUrl} (set TELEGRAM_API_URL=${fake.apiUrl}; sent messages: GET ${fake.apiUrl}/__admin/messages)`,
);
const stop = (): void => void fake.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
