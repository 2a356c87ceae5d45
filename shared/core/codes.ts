/**
 * The one vocabulary of outcome codes: log lines, metrics, HTTP bodies, incidents, alert
 * policies and the README runbook all use these names. Add a code here, never inline.
 */
export const OUTCOME_CODES = {
  'CONFIG.INVALID': { retryable: false, alert: 'service-down', meaning: 'settings do not parse' },
  'EXCHANGE.AUTH': {
    retryable: false,
    alert: 'live-not-trading',
    meaning: 'keys rejected or lacking permission (live mode stops; no fallback)',
  },
  'EXCHANGE.TIMEOUT': {
    retryable: true,
    alert: 'high-error-rate',
    meaning: 'exchange call passed its deadline or the network failed',
  },
  'EXCHANGE.UNAVAILABLE': {
    retryable: true,
    alert: 'high-error-rate',
    meaning: 'exchange answered 5xx or a system error',
  },
  'EXCHANGE.MAINTENANCE': {
    retryable: true,
    alert: 'high-error-rate',
    meaning: 'exchange in maintenance or busy (10007/10008)',
  },
  'EXCHANGE.RATE_LIMIT': {
    retryable: true,
    alert: 'high-error-rate',
    meaning: 'rate limit hit (429 / 10009); retried slower',
  },
  'EXCHANGE.NONCE': {
    retryable: false,
    alert: 'high-error-rate',
    meaning: 'request time or nonce rejected (clock skew); fixed, not retried in a loop',
  },
  'EXCHANGE.ORDER_REJECTED': {
    retryable: false,
    alert: 'high-error-rate',
    meaning: 'order parameters rejected (30xxx/40xxx/50xxx/60xxx/70xxx)',
  },
  'EXCHANGE.INSUFFICIENT_FUNDS': {
    retryable: false,
    alert: 'high-error-rate',
    meaning: 'not enough balance or margin credit',
  },
  'EXCHANGE.ORDER_NOT_FOUND': { retryable: false, alert: 'none', meaning: 'order look-up missed' },
  'EXCHANGE.CIRCUIT_BREAK': { retryable: false, alert: 'none', meaning: 'trading restricted by a circuit break' },
  'EXCHANGE.BAD_RESPONSE': {
    retryable: false,
    alert: 'high-error-rate',
    meaning: 'exchange answered something that does not parse',
  },
  'EXCHANGE.FEES_DEFAULTED': {
    retryable: false,
    alert: 'none',
    meaning: '/spot/pairs lacks a fee or interest field: the documented bitbank schedule is used for it',
  },
  'DATA.MISSING_CANDLES': { retryable: true, alert: 'data-failing', meaning: 'expected bars are absent' },
  'DATA.BAD_CANDLES': { retryable: false, alert: 'data-failing', meaning: 'candles fail the quality gate' },
  'DATA.STALE_CANDLES': { retryable: true, alert: 'data-failing', meaning: 'the newest candle is too old' },
  'DATA.CANDLE_GAP': {
    retryable: false,
    alert: 'none',
    meaning:
      'settled bars the exchange never published: kept as a gap and flagged; blocks only while recent (quality gate)',
  },
  'DATA.MACRO_STALE': {
    retryable: true,
    alert: 'external-fetch-failing',
    meaning: 'a macro series is older than its maximum age',
  },
  'EXTERNAL.FETCH_FAILED': {
    retryable: true,
    alert: 'external-fetch-failing',
    meaning: 'an external data source could not be reached',
  },
  'MODEL.MISSING': { retryable: false, alert: 'service-down', meaning: 'no usable model artifact' },
  'MODEL.FEATURE_MISMATCH': {
    retryable: false,
    alert: 'service-down',
    meaning: "the artifact's feature names differ from the engine's",
  },
  'MODEL.PROMOTED': {
    retryable: false,
    alert: 'none',
    meaning: 'retrain promoted a new model version (it beat the current one and the no-skill baseline)',
  },
  'MODEL.KEPT': {
    retryable: false,
    alert: 'none',
    meaning: 'retrain kept the current model (the candidate did not beat it or the baseline; the reason is logged)',
  },
  'STORE.UNAVAILABLE': { retryable: true, alert: 'high-error-rate', meaning: 'Firestore unreachable or failing' },
  'STORE.CONFLICT': { retryable: true, alert: 'high-error-rate', meaning: 'a transaction lost a race' },
  'STORE.BAD_RECORD': {
    retryable: false,
    alert: 'high-error-rate',
    meaning: 'a stored record does not match its schema',
  },
  'STORE.MIXED_MODES': {
    retryable: false,
    alert: 'service-down',
    meaning:
      'trading state from before paper and live were kept apart is in the shared collections: the tick refuses to trade until it is moved (npm run state -- migrate)',
  },
  'TICK.DUPLICATE': { retryable: false, alert: 'none', meaning: 'this bar was already claimed; nothing done' },
  'TICK.RUNNING': {
    retryable: true,
    alert: 'none',
    meaning:
      'another run of this bar holds its lease: answered 409 so Cloud Scheduler retries and takes it over after the lease',
  },
  'TICK.TOO_LATE': { retryable: false, alert: 'service-down', meaning: 'the bar is too old to trade' },
  'TICK.DEADLINE': { retryable: true, alert: 'service-down', meaning: 'the tick passed its overall deadline' },
  'TICK.BAD_REQUEST': { retryable: false, alert: 'none', meaning: 'the request does not name a valid bar' },
  'BACKUP.OK': { retryable: false, alert: 'none', meaning: 'a backup was written and retention applied' },
  'BACKUP.BAD_REQUEST': {
    retryable: false,
    alert: 'none',
    meaning: 'the backup request does not name a kind (daily, weekly, monthly)',
  },
  'RISK.KILL_SWITCH': { retryable: false, alert: 'none', meaning: 'new entries stopped by the kill switch' },
  'RISK.KILL_SWITCH_UNREADABLE': {
    retryable: false,
    alert: 'service-down',
    meaning:
      'the kill-switch document does not match its schema: it counts as ON (no entries; exits, stops and reconciliation go on) until a person rewrites it',
  },
  'RISK.LIMIT': { retryable: false, alert: 'none', meaning: 'a protection blocked the entry' },
  'TICK.OK': { retryable: false, alert: 'none', meaning: 'the tick ran: reconciled, decided, orders placed' },
  'RECONCILE.POSITION_SYNCED': {
    retryable: false,
    alert: 'none',
    meaning: "the bot's position record was brought in line with the exchange",
  },
  'RECONCILE.FILL_BOOKED': {
    retryable: false,
    alert: 'none',
    meaning: 'fills that happened while no tick ran were booked as a trade',
  },
  'RECONCILE.ORPHAN_CANCELLED': {
    retryable: false,
    alert: 'none',
    meaning: 'a stop/take-profit without its position (or of the wrong size) was cancelled',
  },
  'RECONCILE.STOP_PLACED': {
    retryable: false,
    alert: 'none',
    meaning: 'a position without its protective order got one',
  },
  'RECONCILE.SPOT_SHORTFALL': {
    retryable: false,
    alert: 'high-error-rate',
    meaning:
      "spot: the account holds less BTC than the bot bought (something else sold it); the bot's holding is cut to the balance and its stop resized",
  },
  'RECONCILE.UNPROTECTED': {
    retryable: false,
    alert: 'high-error-rate',
    meaning: 'a position of unknown origin had no stop and was closed',
  },
  'RECONCILE.ORDER_UNKNOWN': {
    retryable: true,
    alert: 'high-error-rate',
    meaning:
      'an order whose answer was lost is not found yet and the settle window has not passed: never sent again; the tick fails so Scheduler retries until it is found or proven absent',
  },
  'TICK.LATE_ENTRY': {
    retryable: false,
    alert: 'none',
    meaning:
      'the tick ran after the entry window of its bar: no new position on a stale price (exits, stops and reconciliation ran)',
  },
  'RECONCILE.INTENT_RESOLVED': {
    retryable: false,
    alert: 'none',
    meaning: 'an order whose answer was lost was found (or proven absent) on the exchange',
  },
  'TICK.MISSED': {
    retryable: false,
    alert: 'service-down',
    meaning: 'no successful tick for 2 bars (alive but not trading)',
  },
  'TICK.SLOW': { retryable: false, alert: 'data-failing', meaning: 'ticks took longer than the latency budget' },
  'EXCHANGE.MARGIN_CALL': {
    retryable: false,
    alert: 'high-error-rate',
    meaning: 'margin status is not NORMAL (call, losscut, debt)',
  },
  'LOGGING.UNAVAILABLE': { retryable: true, alert: 'high-error-rate', meaning: 'Cloud Logging could not be queried' },
  'STRATEGY.FAILED': { retryable: false, alert: 'high-error-rate', meaning: 'the strategy could not decide' },
  INTERNAL: { retryable: false, alert: 'high-error-rate', meaning: 'an unexpected error (a bug)' },
  METHOD_NOT_ALLOWED: {
    retryable: false,
    alert: 'none',
    meaning: 'the function was called with an HTTP method it does not answer',
  },
  'HTTP.BAD_REQUEST': {
    retryable: false,
    alert: 'none',
    meaning: 'the request was refused before any function ran (a body that is not valid JSON, an undecodable path)',
  },
  'RETRAIN.BAD_REQUEST': {
    retryable: false,
    alert: 'none',
    meaning: 'the retrain request body does not parse (seed, evalBars, dryRun)',
  },
  'NOTIFY.OK': {
    retryable: false,
    alert: 'none',
    meaning: 'a notify run delivered the outbox (sent, deferred and failed counts by channel)',
  },
  'NOTIFY.CHANNEL_FAILING': {
    retryable: true,
    alert: 'none',
    meaning:
      'a notification channel failed in several notify runs in a row: an incident (a warning on /detailed, not a 503), the other channels still deliver',
  },
  'TELEGRAM.REFUSED': {
    retryable: false,
    alert: 'none',
    meaning: 'a telegram webhook call without the secret token, or from a chat not in TELEGRAM_CHAT_IDS: ignored',
  },
  'TELEGRAM.COMMAND': {
    retryable: false,
    alert: 'none',
    meaning: 'a Telegram command was answered (and audited with its chat id)',
  },
} as const satisfies Record<string, { retryable: boolean; alert: AlertName; meaning: string }>;

export type AlertName =
  'service-down' | 'high-error-rate' | 'live-not-trading' | 'data-failing' | 'external-fetch-failing' | 'none';

export type OutcomeCode = keyof typeof OUTCOME_CODES;

export const ALL_CODES = Object.keys(OUTCOME_CODES) as OutcomeCode[];

export function isOutcomeCode(value: string): value is OutcomeCode {
  return Object.hasOwn(OUTCOME_CODES, value);
}
