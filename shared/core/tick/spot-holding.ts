import { Decimal } from 'decimal.js';
import type { ExchangeTrade, MarginPosition } from '../../ports/exchange.port.js';

/**
 * On spot "the position" is the BTC the bot bought, not the account's BTC balance (which may hold
 * more, bought or deposited by a person). The ledger (one per pair and mode) counts only the fills
 * of orders the bot placed: it starts empty when spot trading starts, adds the bot's buys and
 * subtracts its sells. Reconciled against the balance as "balance >= holding": more is the
 * account's own; less means something sold the bot's BTC (RECONCILE.SPOT_SHORTFALL).
 */
export interface SpotLedger {
  readonly pair: string;
  /** The bot's holding, BTC (exact decimal string). */
  readonly amountBtc: string;
  /** Average buy price of the holding, JPY (0 when flat). */
  readonly averagePriceJpy: number;
  /** Orders the bot placed on spot (newest last, at most MAX_BOT_ORDERS). */
  readonly botOrderIds: readonly string[];
  /** Fills already counted, of the last SPOT_LOOKBACK_MS before `syncedToMs`. */
  readonly appliedTradeIds: readonly string[];
  /** Newest fill time counted; fills are read again from SPOT_LOOKBACK_MS before it. */
  readonly syncedToMs: number;
  readonly updatedAtMs: number;
}

/** Fills are re-read this far back, so a fill reported late is still counted (once: by trade id). */
export const SPOT_LOOKBACK_MS = 2 * 86_400_000;
/** Order ids kept: a bar's orders are a handful, so this covers months of resting stops. */
export const MAX_BOT_ORDERS = 500;

export function emptySpotLedger(pair: string, nowMs: number): SpotLedger {
  return {
    pair,
    amountBtc: '0',
    averagePriceJpy: 0,
    botOrderIds: [],
    appliedTradeIds: [],
    syncedToMs: nowMs,
    updatedAtMs: nowMs,
  };
}

/** The ledger with `orderId` known as the bot's (a no-op when it already is). */
export function withBotOrder(ledger: SpotLedger, orderId: string, nowMs: number): SpotLedger {
  if (ledger.botOrderIds.includes(orderId)) return ledger;
  return { ...ledger, botOrderIds: [...ledger.botOrderIds, orderId].slice(-MAX_BOT_ORDERS), updatedAtMs: nowMs };
}

/**
 * Counts the spot fills of the bot's orders not counted yet (margin fills, other pairs and other
 * orders are not the bot's spot holding). A sell larger than the holding floors it at zero.
 */
export function applyBotFills(ledger: SpotLedger, trades: readonly ExchangeTrade[], nowMs: number): SpotLedger {
  const bot = new Set(ledger.botOrderIds);
  const applied = new Set(ledger.appliedTradeIds);
  const fresh = trades
    .filter((t) => t.pair === ledger.pair && t.positionSide === undefined)
    .filter((t) => bot.has(t.orderId) && !applied.has(t.tradeId))
    .sort((a, b) => a.executedAtMs - b.executedAtMs || byTradeId(a.tradeId, b.tradeId));
  if (fresh.length === 0) return ledger;
  let amount = new Decimal(ledger.amountBtc);
  let cost = amount.mul(ledger.averagePriceJpy);
  for (const t of fresh) {
    if (t.side === 'buy') {
      amount = amount.plus(t.amountBtc);
      cost = cost.plus(new Decimal(t.amountBtc).mul(t.priceJpy));
    } else {
      const left = Decimal.max(amount.minus(t.amountBtc), 0);
      cost = amount.isZero() ? new Decimal(0) : cost.mul(left).div(amount);
      amount = left;
    }
  }
  const syncedToMs = Math.max(ledger.syncedToMs, ...fresh.map((t) => t.executedAtMs));
  // Ids older than the re-read window are never read again: dropped, so the list stays short.
  const recent = new Set(trades.filter((t) => t.executedAtMs >= syncedToMs - SPOT_LOOKBACK_MS).map((t) => t.tradeId));
  const appliedTradeIds = [...new Set([...ledger.appliedTradeIds, ...fresh.map((t) => t.tradeId)])].filter((id) =>
    recent.has(id),
  );
  return {
    ...ledger,
    amountBtc: amount.toString(),
    averagePriceJpy: amount.isZero() ? 0 : cost.div(amount).toNumber(),
    appliedTradeIds,
    syncedToMs,
    updatedAtMs: nowMs,
  };
}

/** Fills of one millisecond in the exchange's order: bitbank's trade ids increase. */
function byTradeId(a: string, b: string): number {
  const [x, y] = [Number(a), Number(b)];
  return Number.isSafeInteger(x) && Number.isSafeInteger(y) ? x - y : a.localeCompare(b);
}

export interface SpotPositionView {
  /** The ledger after the check (cut to the balance on a shortfall). */
  readonly ledger: SpotLedger;
  /** The bot's position as the Exchange port shows it (a long), or none when flat. */
  readonly positions: MarginPosition[];
  /** BTC the bot bought that the account no longer holds (undefined when balance >= holding). */
  readonly shortfallBtc?: string;
}

/**
 * The bot's spot position against the account's BTC on hand: the holding when the balance covers
 * it; otherwise the balance (rounded down to the lot: what the bot can still sell), with the
 * shortfall reported and the ledger cut to it (the BTC gone is not the bot's to find again).
 */
export function spotPositionView(
  ledger: SpotLedger,
  btcOnhand: string,
  lotBtc: string,
  nowMs: number,
): SpotPositionView {
  const holding = new Decimal(ledger.amountBtc);
  const onhand = new Decimal(btcOnhand);
  let next = ledger;
  let shortfallBtc: string | undefined;
  if (onhand.lt(holding)) {
    const kept = onhand.div(lotBtc).floor().mul(lotBtc);
    shortfallBtc = holding.minus(kept).toString();
    const averagePriceJpy = kept.isZero() ? 0 : ledger.averagePriceJpy;
    next = { ...ledger, amountBtc: kept.toString(), averagePriceJpy, updatedAtMs: nowMs };
  }
  const amount = new Decimal(next.amountBtc);
  const positions: MarginPosition[] = amount.gt(0)
    ? [
        {
          pair: next.pair,
          side: 'long',
          amountBtc: amount.toFixed(4),
          averagePriceJpy: String(next.averagePriceJpy),
          unrealizedFeeJpy: '0',
          unrealizedInterestJpy: '0',
        },
      ]
    : [];
  return { ledger: next, positions, ...(shortfallBtc === undefined ? {} : { shortfallBtc }) };
}
