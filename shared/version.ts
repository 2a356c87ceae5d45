import { createRequire } from 'node:module';

/** The bot's version: stamped into bundles by the build, read from package.json in development. */
export function botVersion(): string {
  const stamped = process.env.BOT_BUILD_VERSION;
  if (stamped) return stamped;
  try {
    return (createRequire(import.meta.url)('../package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
