import { describe, expect, it } from 'vitest';
import { BITBANK_FEE_SCHEDULE } from '../../core/market-rules.js';
import { marketRulesToDomain } from './mappers.js';

const pair = {
  name: 'btc_jpy',
  unit_amount: '0.0001',
  amount_digits: 4,
  price_digits: 0,
  limit_max_amount: '1000',
  market_max_amount: '10',
  stop_margin_long_order: false,
  stop_margin_short_order: false,
};
const status = { data: { statuses: [{ pair: 'btc_jpy', min_amount: '0.0001' }] } };

describe('marketRulesToDomain: costs from /spot/pairs, the schedule where a field is absent', () => {
  it('reads spot and margin fee rates and the daily interest from the answer', () => {
    const rules = marketRulesToDomain(
      {
        ...pair,
        maker_fee_rate_quote: '-0.0001',
        taker_fee_rate_quote: '0.0009',
        margin_open_maker_fee_rate_quote: '0.0000',
        margin_open_taker_fee_rate_quote: '0.0011',
        margin_close_maker_fee_rate_quote: '0.0001',
        margin_close_taker_fee_rate_quote: '0.0010',
        margin_long_interest: '0.0003',
        margin_short_interest: '0.0005',
      },
      status,
      'btc_jpy',
    );
    expect(rules).toMatchObject({
      makerFeeRate: -0.0001,
      takerFeeRate: 0.0009,
      marginMakerFeeRate: 0.0001,
      marginTakerFeeRate: 0.0011,
      marginLongInterestDaily: 0.0003,
      marginShortInterestDaily: 0.0005,
    });
    expect(rules.defaultedFields).toBeUndefined();
  });

  it('takes the documented schedule for each absent field and names the fields', () => {
    const rules = marketRulesToDomain(
      { ...pair, taker_fee_rate_quote: '0.0012', margin_short_interest: null },
      status,
      'btc_jpy',
    );
    expect(rules).toMatchObject({
      makerFeeRate: BITBANK_FEE_SCHEDULE.makerFeeRate,
      takerFeeRate: 0.0012,
      marginMakerFeeRate: BITBANK_FEE_SCHEDULE.makerFeeRate,
      marginTakerFeeRate: BITBANK_FEE_SCHEDULE.takerFeeRate,
      marginLongInterestDaily: BITBANK_FEE_SCHEDULE.marginInterestDaily,
      marginShortInterestDaily: BITBANK_FEE_SCHEDULE.marginInterestDaily,
    });
    expect(rules.defaultedFields).toEqual(
      expect.arrayContaining(['maker_fee_rate_quote', 'margin_short_interest', 'margin_open_taker_fee_rate_quote']),
    );
    expect(rules.defaultedFields).not.toContain('taker_fee_rate_quote');
  });

  it('a fee field present but not a number is a bad response, never a default', () => {
    expect(() => marketRulesToDomain({ ...pair, taker_fee_rate_quote: 'n/a' }, status, 'btc_jpy')).toThrow(
      expect.objectContaining({ code: 'EXCHANGE.BAD_RESPONSE' }),
    );
  });
});
