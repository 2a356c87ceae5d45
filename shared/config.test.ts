import { describe, expect, it } from 'vitest';
import { loadConfig, describeSettings, SETTINGS } from './config.js';
import { ConfigurationError } from './core/errors.js';

function configError(env: Record<string, string>): ConfigurationError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('loadConfig', () => {
  it('defaults to paper mode on btc_jpy 1h with no keys', () => {
    const config = loadConfig({});
    expect(config.BOT_MODE).toBe('paper');
    expect(config.BOT_PAIR).toBe('btc_jpy');
    expect(config.BOT_TIMEFRAME).toBe('1h');
    expect(config.BITBANK_API_KEY).toBeUndefined();
    expect(config.MAX_POSITION_BTC).toBe(0.0005);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('coerces numbers and accepts overrides such as the local fake URL', () => {
    const config = loadConfig({
      BITBANK_PUBLIC_URL: 'http://127.0.0.1:4000',
      TICK_DEADLINE_MS: '30000',
      RISK_PER_TRADE: '0.01',
    });
    expect(config.BITBANK_PUBLIC_URL).toBe('http://127.0.0.1:4000');
    expect(config.TICK_DEADLINE_MS).toBe(30_000);
    expect(config.RISK_PER_TRADE).toBe(0.01);
  });

  it('BOT_MARKET is spot by default (cheaper after costs, README), margin when set, and nothing else', () => {
    expect(loadConfig({}).BOT_MARKET).toBe('spot');
    expect(loadConfig({ BOT_MARKET: 'margin' }).BOT_MARKET).toBe('margin');
    expect(configError({ BOT_MARKET: 'futures' }).details).toEqual({ keys: ['BOT_MARKET'] });
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ BOT_MODE: '  ' }).BOT_MODE).toBe('paper');
  });

  it('lists every bad key in one error with what it expects', () => {
    const error = configError({
      BOT_MODE: 'yolo',
      RISK_PER_TRADE: 'lots',
      BITBANK_PUBLIC_URL: 'ftp://x',
      TICK_DEADLINE_MS: '5',
    });
    expect(error.code).toBe('CONFIG.INVALID');
    expect(error.retryable).toBe(false);
    expect(error.details.keys).toEqual(
      expect.arrayContaining(['BOT_MODE', 'RISK_PER_TRADE', 'BITBANK_PUBLIC_URL', 'TICK_DEADLINE_MS']),
    );
    expect(error.message).toContain('paper');
    expect(error.message).toContain('fraction of equity risked');
  });

  it('refuses live mode without keys, naming both', () => {
    const error = configError({ BOT_MODE: 'live' });
    expect(error.details.keys).toEqual(['BITBANK_API_KEY', 'BITBANK_API_SECRET']);
  });

  it('accepts live mode with keys and never prints them in describeSettings', () => {
    const config = loadConfig({ BOT_MODE: 'live', BITBANK_API_KEY: 'k-123456', BITBANK_API_SECRET: 's-abcdef' });
    expect(config.BOT_MODE).toBe('live');
    const table = describeSettings();
    expect(JSON.stringify(table)).not.toContain('s-abcdef');
    expect(table.map((r) => r.name)).toEqual(Object.keys(SETTINGS));
  });

  it.each([
    ['BOT_PAIR', 'eth_jpy'],
    ['BOT_TIMEFRAME', '5m'],
    ['GCP_PROJECT', 'Bad_Project'],
    ['BITBANK_AUTH_METHOD', 'hmac'],
    ['EXCHANGE_CALL_TIMEOUT_MS', '10.5'],
    ['TICK_TOO_LATE_BARS', '0'],
    ['MACRO_MODE', 'maybe'],
    ['MACRO_MAX_AGE_DAYS', '99'],
    ['MAX_POSITION_BTC', '-1'],
    ['KELLY_MAX_FRACTION', '2'],
    ['ATR_STOP_MULTIPLE', '0'],
    ['DAILY_LOSS_LIMIT', '0'],
    ['MAX_ENTRIES_PER_DAY', 'three'],
    ['MAX_DRAWDOWN', '1.5'],
    ['LOG_LEVEL', 'TRACE'],
  ])('rejects %s=%s', (key, value) => {
    expect(configError({ [key]: value }).details.keys).toEqual([key]);
  });
});

describe('cross-setting rules (one place: shared/config-rules.ts; the deploy and every cold start apply them)', () => {
  it('refuses a tick deadline the tick function cannot reach before its timeout (120 s), naming the key', () => {
    const error = configError({ TICK_DEADLINE_MS: '300000' });
    expect(error.message).toMatch(
      /TICK_DEADLINE_MS: 300000 ms must end at least 10000 ms before the tick function's timeout \(120 s\)/,
    );
    expect(error.details?.keys).toEqual(['TICK_DEADLINE_MS']);
    expect(loadConfig({ TICK_DEADLINE_MS: '110000' }).TICK_DEADLINE_MS).toBe(110_000);
    expect(() => loadConfig({ TICK_DEADLINE_MS: '110001' })).toThrow(ConfigurationError);
  });

  it('refuses an exchange call as long as the tick deadline, a notification call longer than the telegram function and Kelly needing more trades than its window', () => {
    expect(configError({ TICK_DEADLINE_MS: '20000', EXCHANGE_CALL_TIMEOUT_MS: '20000' }).details?.keys).toEqual([
      'EXCHANGE_CALL_TIMEOUT_MS',
    ]);
    expect(configError({ NOTIFY_CALL_TIMEOUT_MS: '30000' }).message).toMatch(
      /NOTIFY_CALL_TIMEOUT_MS: .*telegram function's timeout \(30 s\)/,
    );
    expect(configError({ KELLY_MIN_TRADES: '31' }).message).toMatch(
      /KELLY_MIN_TRADES: 31 .*KELLY_WINDOW_TRADES \(30\)/,
    );
  });

  it('the deploy checks the same rules without the live keys (they come from Secret Manager)', () => {
    expect(loadConfig({ BOT_MODE: 'live' }, { liveKeysFromSecretManager: true }).BOT_MODE).toBe('live');
    expect(() =>
      loadConfig({ BOT_MODE: 'live', TICK_DEADLINE_MS: '115000' }, { liveKeysFromSecretManager: true }),
    ).toThrow(/TICK_DEADLINE_MS/);
  });
});
