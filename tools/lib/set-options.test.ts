import { describe, expect, it } from 'vitest';
import { BotError } from '../../shared/core/errors.js';
import { collectSet, configWithSets } from './set-options.js';

describe('--set NAME=VALUE', () => {
  it('collects settings by their environment names and validates them with the config schema', () => {
    const sets = collectSet('ATR_STOP_MULTIPLE=2', collectSet('RISK_PER_TRADE=0.01'));
    expect(sets).toEqual({ RISK_PER_TRADE: '0.01', ATR_STOP_MULTIPLE: '2' });
    const config = configWithSets({}, sets);
    expect(config.RISK_PER_TRADE).toBe(0.01);
    expect(config.ATR_STOP_MULTIPLE).toBe(2);
  });

  it('refuses unknown names, missing "=", and secrets', () => {
    expect(() => collectSet('NOT_A_SETTING=1')).toThrow(/not a setting/);
    expect(() => collectSet('RISK_PER_TRADE')).toThrow(/NAME=VALUE/);
    expect(() => collectSet('BITBANK_API_SECRET=abc')).toThrow(/secret/);
    expect(() => collectSet('BITBANK_API_SECRET=abc')).not.toThrow(/abc/);
  });

  it('a bad value is CONFIG.INVALID naming the key', () => {
    let caught: unknown;
    try {
      configWithSets({}, { RISK_PER_TRADE: 'lots' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BotError);
    expect((caught as BotError).code).toBe('CONFIG.INVALID');
    expect((caught as BotError).message).toContain('RISK_PER_TRADE');
  });
});
