import { z } from 'zod';
import { ConfigurationError } from './core/errors.js';
import { crossSettingProblems } from './config-rules.js';
import { MARKETS } from './core/market.js';
import { EXECUTIONS } from './core/fills/fill-model.js';
import { STRATEGY_NAMES } from './core/strategy/names.js';

/**
 * Every setting of the bot: one zod schema, each key described, read from an env-like object.
 * `loadConfig(process.env)` runs once at cold start; tests pass plain objects.
 */
const num = (min: number, max: number) => z.coerce.number().finite().min(min).max(max);
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const url = () => z.url({ protocol: /^https?$/ });

export const SETTINGS = {
  BOT_MODE: {
    schema: z.enum(['paper', 'live']).default('paper'),
    describe:
      'paper (simulated fills, the default) or live (real orders; needs keys); each mode keeps its own positions, orders and trades (modes/{mode}/ in Firestore)',
  },
  BOT_PAIR: { schema: z.enum(['btc_jpy']).default('btc_jpy'), describe: 'the bitbank pair traded' },
  BOT_MARKET: {
    schema: z.enum(MARKETS).default('spot'),
    describe:
      'spot (the default: on the trend strategy the same trades as margin without its interest, README "Spot or ' +
      'margin") is long or flat: buys BTC with JPY and sells only the BTC it bought, no interest, no loss-cut, a ' +
      "strategy's short signal held flat; margin is long and short, position_side orders, 0.04 %/day interest at " +
      "00:00 JST, the exchange's loss-cut",
  },
  BOT_TIMEFRAME: { schema: z.enum(['1h']).default('1h'), describe: 'bar length; the tick runs at every bar close' },
  GCP_PROJECT: {
    schema: z
      .string()
      .regex(/^[a-z][a-z0-9-]{4,29}$/)
      .default('demo-crypto-bot'),
    describe: 'Google Cloud project id (demo-* ids are emulator-only)',
  },
  FIRESTORE_DATABASE: { schema: z.string().min(1).default('(default)'), describe: 'Firestore database id' },
  BITBANK_PUBLIC_URL: {
    schema: url().default('https://public.bitbank.cc'),
    describe: 'bitbank public API base URL (point at the local fake for tests and the demo)',
  },
  BITBANK_PRIVATE_URL: {
    schema: url().default('https://api.bitbank.cc'),
    describe: 'bitbank private API base URL (paths under /v1)',
  },
  BITBANK_MARKETS_URL: {
    schema: url().default('https://api.bitbank.cc'),
    describe: 'bitbank host serving /spot/pairs',
  },
  BITBANK_AUTH_METHOD: {
    schema: z.enum(['time-window', 'nonce']).default('time-window'),
    describe: 'request signing method',
  },
  BITBANK_API_KEY: {
    schema: z.string().min(1).optional(),
    describe: 'API key (from Secret Manager via --set-secrets; required in live mode)',
    secret: true,
  },
  BITBANK_API_SECRET: {
    schema: z.string().min(1).optional(),
    describe: 'API secret (from Secret Manager via --set-secrets; required in live mode)',
    secret: true,
  },
  BITBANK_KEY_SECRET_NAME: {
    schema: z.string().min(1).default('bitbank-api-key'),
    describe: 'Secret Manager secret holding the API key',
  },
  BITBANK_SECRET_SECRET_NAME: {
    schema: z.string().min(1).default('bitbank-api-secret'),
    describe: 'Secret Manager secret holding the API secret',
  },
  EXCHANGE_CALL_TIMEOUT_MS: {
    schema: int(100, 60_000).default(10_000),
    describe: 'deadline of one exchange request, ms',
  },
  TICK_DEADLINE_MS: {
    schema: int(1_000, 300_000).default(60_000),
    describe:
      "overall deadline of one tick, ms (at least 10 s under the tick function's 120 s timeout: shared/config-rules.ts)",
  },
  TICK_TOO_LATE_BARS: {
    schema: int(1, 24).default(2),
    describe: 'a tick more than this many bars after its bar records TICK.TOO_LATE and does not trade',
  },
  ENTRY_WINDOW_MINUTES: {
    schema: int(1, 60).default(10),
    describe:
      'new positions only within this many minutes of the bar open (a later delivery still runs exits, stops and reconciliation: TICK.LATE_ENTRY)',
  },
  EXECUTION: {
    schema: z.enum(EXECUTIONS).default('taker'),
    describe:
      'how entries and planned exits go out: taker (market orders), maker-only (a post-only limit at the best bid/ask resting across ticks beside the stop, cancelled and given up when unfilled after MAKER_WAIT_BARS; an exit is then tried again by the next exit plan) or maker-then-taker (its unfilled rest then sent at market); the tick (shared/app/resting-entry.ts, resting-exit.ts) and the backtest (shared/core/fills/fill-model.ts) alike; stops stay stop orders',
  },
  MAKER_WAIT_BARS: {
    schema: int(1, 24).default(1),
    describe:
      'bars a post-only entry or exit rests before the EXECUTION fallback (the tick of bar placed + this cancels it)',
  },
  MACRO_MODE: {
    schema: z.enum(['required', 'off']).default('required'),
    describe: 'required: stale macro data stops trading for the bar; off: the model without macro features',
  },
  MACRO_MAX_AGE_DAYS: {
    schema: int(1, 30).default(4),
    describe: 'a macro series older than this many calendar days is stale',
  },
  YAHOO_BASE_URL: {
    schema: url().default('https://query2.finance.yahoo.com'),
    describe: 'Yahoo Finance host for chart() requests (point at tools/fake-yahoo for tests and the demo)',
  },
  FEAR_GREED_URL: {
    schema: url().default('https://api.alternative.me'),
    describe: 'alternative.me base URL serving /fng/ (the Crypto Fear & Greed index)',
  },
  BOT_STRATEGY: {
    schema: z.enum(STRATEGY_NAMES).default('trend'),
    describe:
      'the strategy the tick runs (shared/core/strategy/registry.ts): trend (daily trend ensemble), ml (the model), or a research baseline',
  },
  TREND_DECISION_HOUR_UTC: {
    schema: int(0, 23).default(0),
    describe: 'trend: UTC hour whose close is the daily decision (0 = 09:00 JST)',
  },
  TREND_TARGET_VOL: {
    schema: num(0.05, 2).default(0.4),
    describe: 'trend: annualised volatility the position is sized for (then capped by the sizing settings)',
  },
  RISK_PER_TRADE: {
    schema: num(0.0001, 1).default(0.005),
    describe: 'fraction of equity risked per trade over the stop distance',
  },
  MAX_POSITION_BTC: { schema: num(0.0001, 10).default(0.0005), describe: 'largest position, BTC' },
  KELLY_MAX_FRACTION: {
    schema: num(0, 1).default(0.05),
    describe: 'cap on the fractional-Kelly size, fraction of equity',
  },
  KELLY_MIN_TRADES: { schema: int(1, 1000).default(10), describe: 'closed trades needed before Kelly sizing applies' },
  KELLY_WINDOW_TRADES: { schema: int(1, 1000).default(30), describe: 'closed trades Kelly is computed over' },
  ATR_STOP_MULTIPLE: { schema: num(0.1, 20).default(1.2), describe: 'stop distance in ATRs' },
  TAKE_PROFIT_ATR_MULTIPLE: { schema: num(0.1, 50).default(2.4), describe: 'take-profit distance in ATRs' },
  DAILY_LOSS_LIMIT: {
    schema: num(0.001, 1).default(0.03),
    describe: 'fraction of equity lost in a UTC day that stops entries for the day',
  },
  MAX_CONSECUTIVE_LOSSES: { schema: int(1, 100).default(3), describe: 'consecutive losing trades that pause entries' },
  LOSS_PAUSE_HOURS: { schema: int(1, 720).default(24), describe: 'length of that pause, hours' },
  MAX_ENTRIES_PER_DAY: { schema: int(1, 100).default(3), describe: 'new positions per UTC day at most' },
  MAX_DRAWDOWN: {
    schema: num(0.01, 1).default(0.15),
    describe: 'drawdown from the equity peak that trips the breaker until a person resets it',
  },
  LOG_LEVEL: {
    schema: z.enum(['DEBUG', 'INFO', 'WARNING', 'ERROR']).default('INFO'),
    describe: 'lowest severity written',
  },
  BACKUP_BUCKET: {
    schema: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/)
      .optional(),
    describe:
      'Cloud Storage bucket the backup function writes to (set by the deploy; backup fails with CONFIG.INVALID without it)',
  },
  STORAGE_API_ENDPOINT: {
    schema: url().optional(),
    describe: 'Cloud Storage JSON API endpoint override (tools/fake-gcs in tests and the demo; unset in production)',
  },
  TICK_LATENCY_BUDGET_MS: {
    schema: int(1_000, 300_000).default(30_000),
    describe: 'a tick slower than this is over budget (logCheck opens TICK.SLOW; health shows it)',
  },
  LOGGING_API_ENDPOINT: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/)
      .optional(),
    describe:
      'host:port of a Cloud Logging gRPC endpoint without TLS (tools/fake-logging in tests and the demo; unset in production)',
  },
  NOTIFY_DISCORD_WEBHOOK_URL: {
    schema: url().optional(),
    describe: 'Discord webhook URL notifications are posted to (Secret Manager; unset: no Discord)',
    secret: true,
  },
  NOTIFY_SLACK_WEBHOOK_URL: {
    schema: url().optional(),
    describe: 'Slack incoming-webhook URL notifications are posted to (Secret Manager; unset: no Slack)',
    secret: true,
  },
  TELEGRAM_BOT_TOKEN: {
    schema: z
      .string()
      .regex(/^\d{1,20}:[A-Za-z0-9_-]{10,100}$/)
      .optional(),
    describe:
      'Telegram bot token: sendMessage to TELEGRAM_CHAT_IDS and the telegram webhook (Secret Manager; unset: no Telegram)',
    secret: true,
  },
  TELEGRAM_CHAT_IDS: {
    schema: z
      .string()
      .regex(/^-?\d{1,20}(,-?\d{1,20})*$/)
      .optional(),
    describe:
      'comma-separated Telegram chat ids: notified, and the only chats whose commands the telegram function obeys',
  },
  TELEGRAM_API_URL: {
    schema: url().default('https://api.telegram.org'),
    describe: 'Telegram Bot API base URL (point at tools/fake-telegram for tests and the demo)',
  },
  TELEGRAM_WEBHOOK_SECRET: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/)
      .optional(),
    describe:
      'X-Telegram-Bot-Api-Secret-Token the telegram function requires (Secret Manager; the deploy registers it with setWebhook)',
    secret: true,
  },
  NOTIFY_LOCALE: {
    schema: z.enum(['en', 'ja']).default('en'),
    describe: 'language of notifications and Telegram answers: en or ja',
  },
  NOTIFY_DAILY_SUMMARY_HOUR_UTC: {
    schema: int(0, 23).default(0),
    describe: 'UTC hour of the daily summary (0 = 09:00 JST); it covers the 24 hours before',
  },
  NOTIFY_CALL_TIMEOUT_MS: {
    schema: int(500, 60_000).default(10_000),
    describe: 'deadline of one notification request (webhook or Telegram), ms',
  },
  NOTIFY_INCIDENT_AFTER_RUNS: {
    schema: int(1, 100).default(3),
    describe: 'consecutive notify runs a channel fails in before it opens the NOTIFY.CHANNEL_FAILING incident',
  },
} as const satisfies Record<string, { schema: z.ZodType; describe: string; secret?: boolean }>;

type Settings = typeof SETTINGS;
export type Config = { readonly [K in keyof Settings]: z.output<Settings[K]['schema']> };
export type SettingName = keyof Settings;

const schema = z.object(
  Object.fromEntries(Object.entries(SETTINGS).map(([key, s]) => [key, s.schema])) as {
    [K in keyof Settings]: Settings[K]['schema'];
  },
);

/**
 * Parses settings from an env-like object and applies the cross-setting rules (shared/config-rules.ts);
 * one error lists every bad key and what it expects. The deploy checks a configuration whose live keys
 * Secret Manager will mount (`liveKeysFromSecretManager`); a running function needs them in its env.
 */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  opts: { liveKeysFromSecretManager?: boolean } = {},
): Config {
  const raw = Object.fromEntries(Object.keys(SETTINGS).map((key) => [key, blankToUndefined(env[key])]));
  const parsed = schema.safeParse(raw);
  const problems: string[] = parsed.success
    ? []
    : parsed.error.issues.map(
        (issue) => `${issue.path.join('.')}: ${issue.message} (${SETTINGS[issue.path[0] as SettingName].describe})`,
      );
  if (parsed.success) {
    for (const p of crossSettingProblems(parsed.data as Config)) problems.push(`${p.key}: ${p.message}`);
  }
  if (parsed.success && parsed.data.BOT_MODE === 'live' && opts.liveKeysFromSecretManager !== true) {
    for (const key of ['BITBANK_API_KEY', 'BITBANK_API_SECRET'] as const) {
      if (parsed.data[key] === undefined)
        problems.push(`${key}: required when BOT_MODE=live (${SETTINGS[key].describe})`);
    }
  }
  if (!parsed.success || problems.length > 0) {
    throw new ConfigurationError(`invalid configuration: ${problems.join('; ')}`, {
      details: { keys: problems.map((p) => p.split(':')[0]) },
    });
  }
  return Object.freeze(parsed.data) as Config;
}

/** Names of the settings that are secrets (never on a command line, in a log line, an answer or a document). */
export const SECRET_SETTINGS = (Object.keys(SETTINGS) as SettingName[]).filter(
  (name) => (SETTINGS[name] as { secret?: boolean }).secret === true,
);

/** The configured secret values (what a logger scrubs by value). */
export function secretValues(config: Config): string[] {
  return SECRET_SETTINGS.map((name) => config[name]).filter((v): v is string => typeof v === 'string' && v.length > 0);
}

/** The settings table (name, default, description) for docs and `--help`; secrets have no default shown. */
export function describeSettings(): Array<{ name: SettingName; defaultValue: string; description: string }> {
  const defaults = schema.parse({});
  return (Object.keys(SETTINGS) as SettingName[]).map((name) => ({
    name,
    defaultValue: defaults[name] === undefined ? '' : String(defaults[name]),
    description: SETTINGS[name].describe,
  }));
}

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
