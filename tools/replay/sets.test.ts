import { describe, expect, it } from 'vitest';
import { replaySets } from './sets.js';

describe('replay --set', () => {
  it('passes valid settings through to the replayed functions', () => {
    expect(replaySets({ EXECUTION: 'maker-then-taker', RISK_PER_TRADE: '0.01' }, {})).toEqual({
      EXECUTION: 'maker-then-taker',
      RISK_PER_TRADE: '0.01',
    });
  });

  it('refuses settings the replay owns and values the schema rejects', () => {
    expect(() => replaySets({ BITBANK_PRIVATE_URL: 'http://elsewhere' }, {})).toThrow(/set by the replay itself/);
    expect(() => replaySets({ EXECUTION: 'sometimes' }, {})).toThrow(
      expect.objectContaining({ code: 'CONFIG.INVALID' }),
    );
  });
});
