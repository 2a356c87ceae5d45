import type { MarketRules } from '../ports/exchange.port.js';

/** bitbank's BTC/JPY margin rules as published (lot, tick, fees, margin interest): the backtest's exchange and the tests' rules. */
export const BITBANK_BTC_JPY: MarketRules = {
  pair: 'btc_jpy',
  lotBtc: '0.0001',
  minAmountBtc: '0.0001',
  tickJpy: '1',
  makerFeeRate: 0,
  takerFeeRate: 0.001,
  marginLongInterestDaily: 0.0004,
  marginShortInterestDaily: 0.0004,
  marginLongOpenStopped: false,
  marginShortOpenStopped: false,
  maxLimitAmountBtc: '1000',
  maxMarketAmountBtc: '10',
};
