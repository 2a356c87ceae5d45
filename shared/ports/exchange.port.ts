import type { CandleSource } from './candle-source.port.js';
import type { LotRules } from '../core/money.js';

/**
 * The exchange as the bot needs it (bitbank margin BTC/JPY). Amounts and prices are exact
 * decimal strings on the lot/tick grid; times are ms UTC. Implemented by the bitbank adapter
 * (ccxt) and the paper exchange; every method has a deadline and raises BotErrors only.
 */
export type OrderSide = 'buy' | 'sell';
export type PositionSide = 'long' | 'short';
export type OrderType = 'limit' | 'market' | 'stop' | 'stop_limit' | 'take_profit' | 'stop_loss';
export type OrderStatus =
  | 'INACTIVE'
  | 'UNFILLED'
  | 'PARTIALLY_FILLED'
  | 'FULLY_FILLED'
  | 'CANCELED_UNFILLED'
  | 'CANCELED_PARTIALLY_FILLED'
  | 'REJECTED';

export const OPEN_ORDER_STATUSES: readonly OrderStatus[] = ['INACTIVE', 'UNFILLED', 'PARTIALLY_FILLED'];

export interface MarketRules extends LotRules {
  readonly pair: string;
  /** Spot fee rates (fractions of the traded value; negative = rebate). */
  readonly makerFeeRate: number;
  readonly takerFeeRate: number;
  /** Margin open/close fee rates (bitbank lists them apart; the larger of open and close when they differ). */
  readonly marginMakerFeeRate: number;
  readonly marginTakerFeeRate: number;
  /** Daily margin interest rates (fractions of position value per day). */
  readonly marginLongInterestDaily: number;
  readonly marginShortInterestDaily: number;
  readonly marginLongOpenStopped: boolean;
  readonly marginShortOpenStopped: boolean;
  readonly maxLimitAmountBtc: string;
  readonly maxMarketAmountBtc: string;
  /** `/spot/pairs` fields that were absent and took the documented default schedule (shared/core/market-rules.ts). */
  readonly defaultedFields?: readonly string[];
}

export interface OrderRequest {
  readonly pair: string;
  readonly side: OrderSide;
  /** Margin: buy+long opens a long, sell+long closes it; sell+short opens a short, buy+short closes it. */
  readonly positionSide?: PositionSide;
  readonly type: OrderType;
  readonly amountBtc: string;
  readonly priceJpy?: string;
  readonly triggerPriceJpy?: string;
  readonly postOnly?: boolean;
}

export interface ExchangeOrder {
  readonly orderId: string;
  readonly pair: string;
  readonly side: OrderSide;
  readonly positionSide?: PositionSide;
  readonly type: OrderType;
  readonly amountBtc: string;
  readonly remainingBtc: string;
  readonly executedBtc: string;
  readonly priceJpy?: string;
  readonly averagePriceJpy?: string;
  readonly triggerPriceJpy?: string;
  readonly status: OrderStatus;
  readonly orderedAtMs: number;
}

export interface ExchangeTrade {
  readonly tradeId: string;
  readonly orderId: string;
  readonly pair: string;
  readonly side: OrderSide;
  readonly positionSide?: PositionSide;
  readonly type: OrderType;
  readonly amountBtc: string;
  readonly priceJpy: string;
  readonly feeJpy: string;
  readonly makerTaker: 'maker' | 'taker';
  readonly profitLossJpy?: string;
  readonly interestJpy?: string;
  readonly executedAtMs: number;
}

export interface Ticker {
  readonly pair: string;
  readonly bidJpy: string;
  readonly askJpy: string;
  readonly lastJpy: string;
  readonly timestampMs: number;
}

export interface AssetBalance {
  readonly asset: string;
  readonly freeAmount: string;
  readonly onhandAmount: string;
  readonly lockedAmount: string;
}

export type MarginStatusCode = 'NORMAL' | 'LOSSCUT' | 'CALL' | 'DEBT' | 'SETTLED';

export interface MarginStatus {
  readonly status: MarginStatusCode;
  readonly totalMarginBalanceJpy: string;
  /** Current margin ratio, percent; null without positions. */
  readonly marginBalancePercentage: number | null;
  /** Thresholds read from the API, never hard-coded; null without positions. */
  readonly marginCallPercentage: number | null;
  readonly losscutPercentage: number | null;
  readonly availableLongJpy: string;
  readonly availableShortJpy: string;
}

export interface MarginPosition {
  readonly pair: string;
  readonly side: PositionSide;
  readonly amountBtc: string;
  readonly averagePriceJpy: string;
  readonly unrealizedFeeJpy: string;
  readonly unrealizedInterestJpy: string;
}

export type CircuitBreakMode = 'NONE' | 'CIRCUIT_BREAK' | 'FULL_RANGE_CIRCUIT_BREAK' | 'RESUMPTION' | 'LISTING';

export interface CredentialReport {
  readonly ok: boolean;
  /** Permissions proven: assets read, margin status read, order permission. */
  readonly checks: ReadonlyArray<{ readonly name: string; readonly ok: boolean; readonly code?: string }>;
}

/** What the bot knows of an order it meant to send, for finding it again after a lost answer. */
export interface OrderIntentMatch extends Omit<OrderRequest, 'postOnly'> {
  /** When the intent was written: the order cannot be older. */
  readonly notBeforeMs: number;
}

export interface Exchange extends CandleSource {
  loadMarketRules(pair: string, signal?: AbortSignal): Promise<MarketRules>;
  fetchTicker(pair: string, signal?: AbortSignal): Promise<Ticker>;
  fetchCircuitBreakMode(pair: string, signal?: AbortSignal): Promise<CircuitBreakMode>;
  fetchBalances(signal?: AbortSignal): Promise<AssetBalance[]>;
  fetchMarginStatus(signal?: AbortSignal): Promise<MarginStatus>;
  fetchMarginPositions(pair: string, signal?: AbortSignal): Promise<MarginPosition[]>;
  /** Sends once; never re-sent by the adapter. A lost answer surfaces as a retryable error: look the order up before anything else. */
  placeOrder(request: OrderRequest, signal?: AbortSignal): Promise<ExchangeOrder>;
  fetchOrder(pair: string, orderId: string, signal?: AbortSignal): Promise<ExchangeOrder>;
  fetchOpenOrders(pair: string, signal?: AbortSignal): Promise<ExchangeOrder[]>;
  cancelOrder(pair: string, orderId: string, signal?: AbortSignal): Promise<ExchangeOrder>;
  fetchTrades(pair: string, sinceMs: number, signal?: AbortSignal): Promise<ExchangeTrade[]>;
  /** Finds an order the bot may have sent (open or recent) matching the intent; undefined when there is none. */
  findOrder(match: OrderIntentMatch, signal?: AbortSignal): Promise<ExchangeOrder | undefined>;
  verifyCredentials(signal?: AbortSignal): Promise<CredentialReport>;
}
