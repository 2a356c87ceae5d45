import { BITBANK_FEE_SCHEDULE } from '../../shared/core/market-rules.js';

/**
 * The one pair the fake lists (btc_jpy) with bitbank's published rules and the fields ccxt's
 * `parseMarket` reads from `/spot/pairs` (fees, digits, unit/limit amounts, is_enabled) plus the
 * margin fields the bot reads (`margin_*_interest`, `stop_margin_*_order`, ...). Fees and interest
 * start at bitbank's schedule (shared/core/market-rules.ts) and are settable through the admin API;
 * a rate set to null is left out of `/spot/pairs` (as a bitbank answer lacking the field).
 */
export const PAIR = 'btc_jpy';
export const LOT_BTC = '0.0001';
export const TICK_JPY = '1';
/** Individual risk ratio: margin needed = notional * ratio (about 2x leverage). */
export const MARGIN_RATIO = '0.5';

export interface MarketState {
  minAmountBtc: string;
  status: 'NORMAL' | 'BUSY' | 'VERY_BUSY';
  stopMarginLongOrder: boolean;
  stopMarginShortOrder: boolean;
  circuitBreakMode: 'NONE' | 'CIRCUIT_BREAK' | 'FULL_RANGE_CIRCUIT_BREAK' | 'RESUMPTION' | 'LISTING';
  /** Fee rates, spot and margin alike (fractions; negative = rebate); null: served as absent, charged at the schedule. */
  makerFeeRate: string | null;
  takerFeeRate: string | null;
  /** Daily margin interest (fraction of position value), charged at each 00:00 JST a position is open. */
  marginInterestDaily: string | null;
}

/** The rates the fake charges: the served ones, or the schedule for a field it leaves out. */
export function chargedRates(market: MarketState): { maker: string; taker: string; interestDaily: string } {
  return {
    maker: market.makerFeeRate ?? String(BITBANK_FEE_SCHEDULE.makerFeeRate),
    taker: market.takerFeeRate ?? String(BITBANK_FEE_SCHEDULE.takerFeeRate),
    interestDaily: market.marginInterestDaily ?? String(BITBANK_FEE_SCHEDULE.marginInterestDaily),
  };
}

export function defaultMarketState(): MarketState {
  return {
    minAmountBtc: LOT_BTC,
    status: 'NORMAL',
    stopMarginLongOrder: false,
    stopMarginShortOrder: false,
    circuitBreakMode: 'NONE',
    makerFeeRate: String(BITBANK_FEE_SCHEDULE.makerFeeRate),
    takerFeeRate: String(BITBANK_FEE_SCHEDULE.takerFeeRate),
    marginInterestDaily: String(BITBANK_FEE_SCHEDULE.marginInterestDaily),
  };
}

export function pairsPayload(market: MarketState): { pairs: Array<Record<string, unknown>> } {
  const present = (entries: Record<string, string | null>): Record<string, string> =>
    Object.fromEntries(Object.entries(entries).filter((e): e is [string, string] => e[1] !== null));
  return {
    pairs: [
      {
        name: PAIR,
        base_asset: 'btc',
        quote_asset: 'jpy',
        maker_fee_rate_base: '0',
        taker_fee_rate_base: '0',
        ...present({
          maker_fee_rate_quote: market.makerFeeRate,
          taker_fee_rate_quote: market.takerFeeRate,
          margin_open_maker_fee_rate_quote: market.makerFeeRate,
          margin_open_taker_fee_rate_quote: market.takerFeeRate,
          margin_close_maker_fee_rate_quote: market.makerFeeRate,
          margin_close_taker_fee_rate_quote: market.takerFeeRate,
          margin_long_interest: market.marginInterestDaily,
          margin_short_interest: market.marginInterestDaily,
        }),
        margin_current_individual_ratio: MARGIN_RATIO,
        margin_current_individual_until: null,
        margin_current_company_ratio: null,
        margin_current_company_until: null,
        margin_next_individual_ratio: null,
        margin_next_individual_until: null,
        margin_next_company_ratio: null,
        margin_next_company_until: null,
        unit_amount: market.minAmountBtc,
        limit_max_amount: '1000',
        market_max_amount: '10',
        market_allowance_rate: '0.2',
        price_digits: 0,
        amount_digits: 4,
        is_enabled: true,
        stop_order: false,
        stop_order_and_cancel: false,
        stop_market_order: false,
        stop_stop_order: false,
        stop_stop_limit_order: false,
        stop_margin_long_order: market.stopMarginLongOrder,
        stop_margin_short_order: market.stopMarginShortOrder,
        stop_buy_order: false,
        stop_sell_order: false,
      },
    ],
  };
}

export function statusPayload(market: MarketState): { statuses: Array<Record<string, unknown>> } {
  return { statuses: [{ pair: PAIR, status: market.status, min_amount: market.minAmountBtc }] };
}
