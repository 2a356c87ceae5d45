/**
 * The one pair the fake lists (btc_jpy) with bitbank's published rules and the fields ccxt's
 * `parseMarket` reads from `/spot/pairs` (fees, digits, unit/limit amounts, is_enabled) plus the
 * margin fields the bot reads (`margin_*_interest`, `stop_margin_*_order`, ...).
 */
export const PAIR = 'btc_jpy';
export const LOT_BTC = '0.0001';
export const TICK_JPY = '1';
export const MAKER_FEE_RATE = '-0.0002';
export const TAKER_FEE_RATE = '0.0012';
/** Daily margin interest (fraction of position value), charged once per day while open. */
export const MARGIN_INTEREST_DAILY = '0.0004';
/** Individual risk ratio: margin needed = notional * ratio (about 2x leverage). */
export const MARGIN_RATIO = '0.5';

export interface MarketState {
  minAmountBtc: string;
  status: 'NORMAL' | 'BUSY' | 'VERY_BUSY';
  stopMarginLongOrder: boolean;
  stopMarginShortOrder: boolean;
  circuitBreakMode: 'NONE' | 'CIRCUIT_BREAK' | 'FULL_RANGE_CIRCUIT_BREAK' | 'RESUMPTION' | 'LISTING';
}

export function defaultMarketState(): MarketState {
  return { minAmountBtc: LOT_BTC, status: 'NORMAL', stopMarginLongOrder: false, stopMarginShortOrder: false, circuitBreakMode: 'NONE' };
}

export function pairsPayload(market: MarketState): { pairs: Array<Record<string, unknown>> } {
  return {
    pairs: [
      {
        name: PAIR,
        base_asset: 'btc',
        quote_asset: 'jpy',
        maker_fee_rate_base: '0',
        taker_fee_rate_base: '0',
        maker_fee_rate_quote: MAKER_FEE_RATE,
        taker_fee_rate_quote: TAKER_FEE_RATE,
        margin_open_maker_fee_rate_quote: MAKER_FEE_RATE,
        margin_open_taker_fee_rate_quote: TAKER_FEE_RATE,
        margin_close_maker_fee_rate_quote: MAKER_FEE_RATE,
        margin_close_taker_fee_rate_quote: TAKER_FEE_RATE,
        margin_long_interest: MARGIN_INTEREST_DAILY,
        margin_short_interest: MARGIN_INTEREST_DAILY,
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
