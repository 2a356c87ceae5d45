/**
 * The five alerts and what to do about each: the one source for the alert policies'
 * documentation and the README's operations runbook. Which codes feed an alert is read from
 * `OUTCOME_CODES[*].alert` in shared/core/codes.ts, so a new code shows up in both by itself.
 */
import { ALL_CODES, OUTCOME_CODES, type AlertName, type OutcomeCode } from '../../shared/core/codes.js';

export type PagedAlert = Exclude<AlertName, 'none'>;

export interface AlertRunbook {
  name: PagedAlert;
  title: string;
  severity: 'CRITICAL' | 'ERROR' | 'WARNING';
  /** What firing means, in one or two sentences. */
  means: string;
  /** What to do, in order. */
  actions: string[];
}

export const ALERTS: readonly AlertRunbook[] = [
  {
    name: 'service-down',
    title: 'Service down',
    severity: 'CRITICAL',
    means:
      '`health /detailed` answered 503 twice in 10 minutes, or no tick succeeded for 2 bars (2 hours), or a code that stops every tick was logged. The bot is not trading; "alive but not trading" counts as down.',
    actions: [
      'Open `health /detailed`: the failing checks are named by code.',
      'Read the last tick records (`ticks` collection) and the `tick` function logs filtered on `jsonPayload.code`.',
      '`CONFIG.INVALID`: fix the setting named in the message, redeploy (`npm run deploy -- --project P`).',
      '`MODEL.MISSING` / `MODEL.FEATURE_MISMATCH`: run `retrain` or promote the last good model; never hand-edit the artifact.',
      '`TICK.TOO_LATE` / `TICK.DEADLINE`: check Cloud Scheduler job `crypto-bot-tick` (paused? failing auth?) and the function timeout; a stale lease is cleared by `logCheck`.',
      '`STORE.MIXED_MODES`: the store holds positions, orders or trades from before paper and live were kept apart; decide whose they are, then `npm run state -- migrate --to paper|live` (dry run) and again with `--apply` (README, "State per mode").',
      '`RISK.KILL_SWITCH_UNREADABLE`: the `killSwitch/global` document fails its schema, so it counts as on (no entries; exits, stops and reconciliation go on). Rewrite it: `npm run ops -- kill-switch on|off --reason TEXT --project P` (never by hand).',
      'If the exchange is fine and the cause is unclear, set the kill switch (`npm run ops -- kill-switch on --reason TEXT --project P`: no new entries) while you look; the stop orders stay on the exchange.',
    ],
  },
  {
    name: 'high-error-rate',
    title: 'High error rate',
    severity: 'ERROR',
    means:
      'More than 5 errors in an hour from the exchange, Firestore or the strategy. Ticks retry and stay idempotent, but something outside or inside is failing repeatedly.',
    actions: [
      'Group the `crypto_bot/errors` metric (dashboard "Errors by code") by code to see which one.',
      '`EXCHANGE.TIMEOUT` / `UNAVAILABLE` / `MAINTENANCE` / `RATE_LIMIT`: check bitbank status; nothing to do while it recovers, the tick retries with backoff.',
      '`EXCHANGE.NONCE`: the clock or the nonce window is off; redeploy to get a new instance, check `BITBANK_AUTH_METHOD`.',
      '`EXCHANGE.ORDER_REJECTED` / `INSUFFICIENT_FUNDS`: read the order intent in `modes/live/orders`; check margin balance and lot sizes before allowing new entries.',
      '`STORE.*`: check Firestore status and quotas; `STORE.BAD_RECORD` means a stored record fails its schema: find it from the log line and fix or restore it.',
      '`INTERNAL` / `STRATEGY.FAILED`: a bug. Set the kill switch (`npm run ops -- kill-switch on --reason TEXT --project P`), file an issue with the log line.',
    ],
  },
  {
    name: 'live-not-trading',
    title: 'Live mode not trading (exchange authentication)',
    severity: 'CRITICAL',
    means:
      'bitbank rejected the API key or it lacks a permission. Live mode stops; it never falls back to paper or an "API-only" mode.',
    actions: [
      'Check the key in bitbank: not revoked, IP allow-list, permissions (read, trade, margin).',
      'Rotate: add a new version to the Secret Manager secrets `bitbank-api-key` and `bitbank-api-secret` (`gcloud secrets versions add NAME --data-file=-`), then redeploy so the functions mount `:latest`.',
      'Watch the next tick: `EXCHANGE.AUTH` must stop; `health /detailed` shows credentials verified.',
    ],
  },
  {
    name: 'data-failing',
    title: 'ATR / data computation failing or slow',
    severity: 'ERROR',
    means:
      'Candles are missing, stale or fail the quality gate (so ATR and features cannot be computed and the bar is not traded), or the context or decide step (candles, macro, features, ATR) is slower than 20 s at the 95th percentile.',
    actions: [
      'Read the failing tick lines: `DATA.MISSING_CANDLES` / `DATA.STALE_CANDLES` usually follow a bitbank outage; they clear when candles return.',
      '`DATA.BAD_CANDLES`: look at the candle day in `candleDays`; `logCheck` refreshes the candle cache once per incident.',
      'Slow step (dashboard "Step latency p95 by step"): context is the exchange and the candle cache (a cold cache pages day by day); decide is features and the model.',
    ],
  },
  {
    name: 'external-fetch-failing',
    title: 'External fetcher failure',
    severity: 'WARNING',
    means:
      'Yahoo Finance or the Fear & Greed index cannot be reached, or a macro series is older than `MACRO_MAX_AGE_DAYS`. With `MACRO_MODE=required` the bot holds instead of trading on stale data.',
    actions: [
      'Check which series from the log line (`series` field) and whether the source is up.',
      'Weekends and market holidays age series legitimately; the alert fires only after several failures.',
      'If a source is gone for long, decide consciously: `MACRO_MODE=off` runs the model without macro features (a redeploy); never let it run on silently stale data.',
    ],
  },
];

/** Codes whose catalogue entry feeds `alert`, in catalogue order. */
export function codesFor(alert: PagedAlert): OutcomeCode[] {
  return ALL_CODES.filter((code) => OUTCOME_CODES[code].alert === alert);
}

/** The README's "Operations runbook" section body (between its markers). */
export function renderRunbook(): string {
  const parts: string[] = [];
  for (const a of ALERTS) {
    parts.push(`### ${a.title} (\`${a.name}\`, ${a.severity.toLowerCase()})`);
    parts.push('');
    parts.push(`**Means:** ${a.means}`);
    const codes = codesFor(a.name);
    if (codes.length > 0) parts.push(`**Codes:** ${codes.map((c) => `\`${c}\``).join(', ')}.`);
    parts.push('');
    parts.push('**Do:**');
    a.actions.forEach((action, i) => parts.push(`${i + 1}. ${action}`));
    parts.push('');
  }
  return parts.join('\n').trimEnd();
}

/** The runbook text of one alert, as the alert policy's markdown documentation. */
export function alertDocumentation(a: AlertRunbook): string {
  const codes = codesFor(a.name);
  return [
    `**${a.title}.** ${a.means}`,
    codes.length > 0 ? `Codes: ${codes.join(', ')}.` : '',
    'What to do:',
    ...a.actions.map((action, i) => `${i + 1}. ${action}`),
    'Runbook: README.md, "Operations runbook".',
  ]
    .filter((line) => line !== '')
    .join('\n');
}
