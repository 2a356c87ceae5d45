import type { MarketRules } from '../ports/exchange.port.js';

/**
 * bitbank's BTC/JPY cost schedule since 2026-02-02 (its fee page and `/spot/pairs` as stored by third
 * parties): maker 0 %, taker 0.10 %, spot and margin (open and close) alike; margin positions pay
 * 0.04 % of their value a day, charged at each 00:00 JST. The live and paper bots read these from
 * `/spot/pairs` at run time; this schedule is the documented default for a field the answer lacks,
 * and the backtest's rates (it says so in its output).
 */
export const BITBANK_FEE_SCHEDULE = {
  since: '2026-02-02',
  makerFeeRate: 0,
  takerFeeRate: 0.001,
  marginInterestDaily: 0.0004,
} as const;

/** bitbank's BTC/JPY rules as published (lot, tick, fees, margin interest): the backtest's exchange and the tests' rules. */
export const BITBANK_BTC_JPY: MarketRules = {
  pair: 'btc_jpy',
  lotBtc: '0.0001',
  minAmountBtc: '0.0001',
  tickJpy: '1',
  makerFeeRate: BITBANK_FEE_SCHEDULE.makerFeeRate,
  takerFeeRate: BITBANK_FEE_SCHEDULE.takerFeeRate,
  marginMakerFeeRate: BITBANK_FEE_SCHEDULE.makerFeeRate,
  marginTakerFeeRate: BITBANK_FEE_SCHEDULE.takerFeeRate,
  marginLongInterestDaily: BITBANK_FEE_SCHEDULE.marginInterestDaily,
  marginShortInterestDaily: BITBANK_FEE_SCHEDULE.marginInterestDaily,
  marginLongOpenStopped: false,
  marginShortOpenStopped: false,
  maxLimitAmountBtc: '1000',
  maxMarketAmountBtc: '10',
};
