import { startFakeWebhook } from './server.js';

/** `npx tsx tools/fake-webhook/main.ts [--port N]`: a Discord/Slack webhook receiver until stopped. */
const portArg = process.argv.indexOf('--port');
const fake = await startFakeWebhook({ port: portArg > 0 ? Number(process.argv[portArg + 1]) : 0 });
console.log(
  `fake-webhook listening on ${fake.url} (NOTIFY_DISCORD_WEBHOOK_URL=${fake.discordUrl()} NOTIFY_SLACK_WEBHOOK_URL=${fake.slackUrl()}; messages: GET ${fake.url}/__admin/messages)`,
);
const stop = (): void => void fake.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
