import { Decimal } from 'decimal.js';
import { interestChargesBetween } from '../../shared/core/fills/interest.js';
import { MARGIN_RATIO, PAIR } from './market.js';

export type PositionSide = 'long' | 'short';

export interface Position {
  openAmount: Decimal;
  averagePrice: Decimal;
  /** Fees of the opening trades, settled when the position closes. */
  unrealizedFee: Decimal;
  /** Daily interest accrued, settled when the position closes. */
  unrealizedInterest: Decimal;
}

/** The fake's margin thresholds (read by clients from /v1/user/margin/status, never hard-coded there). */
export const MARGIN_CALL_PERCENTAGE = '40';
export const LOSSCUT_PERCENTAGE = '30';

const jpy4 = (d: Decimal): string => d.toDecimalPlaces(4, Decimal.ROUND_HALF_EVEN).toFixed(4);
const btc4 = (d: Decimal): string => d.toFixed(4);

/** Spot assets (JPY, BTC with locked parts) and the margin positions of the one fake user. */
export class Account {
  jpy: Decimal;
  btc: Decimal;
  lockedJpy = new Decimal(0);
  lockedBtc = new Decimal(0);
  readonly positions = new Map<PositionSide, Position>();

  constructor(initialJpy: number, initialBtc: number) {
    this.jpy = new Decimal(initialJpy);
    this.btc = new Decimal(initialBtc);
  }

  freeJpy(): Decimal {
    return this.jpy.minus(this.lockedJpy);
  }

  freeBtc(): Decimal {
    return this.btc.minus(this.lockedBtc);
  }

  /** A spot trade: buy spends JPY (+fee), sell receives JPY (-fee). A negative fee is the maker rebate. */
  spotFill(side: 'buy' | 'sell', amount: Decimal, price: Decimal, fee: Decimal): void {
    const value = amount.mul(price);
    if (side === 'buy') {
      this.jpy = this.jpy.minus(value).minus(fee);
      this.btc = this.btc.plus(amount);
    } else {
      this.jpy = this.jpy.plus(value).minus(fee);
      this.btc = this.btc.minus(amount);
    }
  }

  openPosition(side: PositionSide, amount: Decimal, price: Decimal, fee: Decimal): void {
    const existing = this.positions.get(side);
    if (!existing) {
      this.positions.set(side, {
        openAmount: amount,
        averagePrice: price,
        unrealizedFee: fee,
        unrealizedInterest: new Decimal(0),
      });
      return;
    }
    const total = existing.openAmount.plus(amount);
    existing.averagePrice = existing.averagePrice.mul(existing.openAmount).plus(price.mul(amount)).div(total);
    existing.openAmount = total;
    existing.unrealizedFee = existing.unrealizedFee.plus(fee);
  }

  openAmount(side: PositionSide): Decimal {
    return this.positions.get(side)?.openAmount ?? new Decimal(0);
  }

  /**
   * Closes `amount` (at most the open amount) at `price`: realizes the price P&L and settles the
   * closed share of the opening fees and interest plus this trade's fee into JPY.
   */
  closePosition(
    side: PositionSide,
    amount: Decimal,
    price: Decimal,
    fee: Decimal,
  ): { profitLoss: Decimal; interest: Decimal } {
    const position = this.positions.get(side);
    if (!position || amount.gt(position.openAmount)) throw new Error(`cannot close ${amount} of ${side}`);
    const share = amount.div(position.openAmount);
    const profitLoss = (side === 'long' ? price.minus(position.averagePrice) : position.averagePrice.minus(price)).mul(
      amount,
    );
    const openFee = position.unrealizedFee.mul(share);
    const interest = position.unrealizedInterest.mul(share);
    this.jpy = this.jpy.plus(profitLoss).minus(fee).minus(openFee).minus(interest);
    position.openAmount = position.openAmount.minus(amount);
    position.unrealizedFee = position.unrealizedFee.minus(openFee);
    position.unrealizedInterest = position.unrealizedInterest.minus(interest);
    if (position.openAmount.isZero()) this.positions.delete(side);
    return { profitLoss, interest };
  }

  /** Charges one day's interest (`dailyRate` of the position's value) on every open position for each 00:00 JST in (fromMs, toMs]. */
  accrueInterest(fromMs: number, toMs: number, dailyRate: string): void {
    const days = interestChargesBetween(fromMs, toMs);
    if (days <= 0) return;
    for (const position of this.positions.values()) {
      position.unrealizedInterest = position.unrealizedInterest.plus(
        position.openAmount.mul(position.averagePrice).mul(dailyRate).mul(days),
      );
    }
  }

  private notional(): Decimal {
    let sum = new Decimal(0);
    for (const p of this.positions.values()) sum = sum.plus(p.openAmount.mul(p.averagePrice));
    return sum;
  }

  private unrealized(lastPrice: Decimal): { profitLoss: Decimal; costs: Decimal } {
    let profitLoss = new Decimal(0);
    let costs = new Decimal(0);
    for (const [side, p] of this.positions) {
      profitLoss = profitLoss.plus(
        (side === 'long' ? lastPrice.minus(p.averagePrice) : p.averagePrice.minus(lastPrice)).mul(p.openAmount),
      );
      costs = costs.plus(p.unrealizedFee).plus(p.unrealizedInterest);
    }
    return { profitLoss, costs };
  }

  /** Margin equity: JPY on hand + unrealized P&L - unsettled fees and interest. */
  equity(lastPrice: Decimal): Decimal {
    const { profitLoss, costs } = this.unrealized(lastPrice);
    return this.jpy.plus(profitLoss).minus(costs);
  }

  /** New position value (JPY) the margin still allows: equity / ratio - open notional. */
  credit(lastPrice: Decimal): Decimal {
    const room = this.equity(lastPrice).div(MARGIN_RATIO).minus(this.notional());
    return Decimal.max(room, 0);
  }

  marginStatus(lastPrice: Decimal): Record<string, unknown> {
    const notional = this.notional();
    const equity = this.equity(lastPrice);
    const percentage = notional.isZero() ? null : equity.div(notional).mul(100);
    let status = 'NORMAL';
    if (percentage && percentage.lt(LOSSCUT_PERCENTAGE)) status = 'LOSSCUT';
    else if (percentage && percentage.lt(MARGIN_CALL_PERCENTAGE)) status = 'CALL';
    const credit = jpy4(this.credit(lastPrice));
    return {
      status,
      total_margin_balance: jpy4(equity),
      total_margin_balance_percentage: percentage ? percentage.toDecimalPlaces(2).toFixed(2) : null,
      margin_position_profit_loss: jpy4(this.unrealized(lastPrice).profitLoss),
      unrealized_cost: jpy4(this.unrealized(lastPrice).costs),
      total_position_maintenance_margin: jpy4(notional.mul(MARGIN_RATIO)),
      margin_call_percentage: notional.isZero() ? null : MARGIN_CALL_PERCENTAGE,
      losscut_percentage: notional.isZero() ? null : LOSSCUT_PERCENTAGE,
      buy_credit: credit,
      sell_credit: credit,
      available_balances: [{ pair: PAIR, long: credit, short: credit }],
    };
  }

  positionsPayload(): Record<string, unknown> {
    const positions = [...this.positions].map(([side, p]) => ({
      pair: PAIR,
      position_side: side,
      open_amount: btc4(p.openAmount),
      product: btc4(p.openAmount),
      average_price: jpy4(p.averagePrice),
      unrealized_fee_amount: jpy4(p.unrealizedFee),
      unrealized_interest_amount: jpy4(p.unrealizedInterest),
    }));
    return {
      notice: null,
      payables: { amount: '0' },
      positions,
      losscut_threshold: { individual: LOSSCUT_PERCENTAGE, company: LOSSCUT_PERCENTAGE },
    };
  }

  assetsPayload(): { assets: Array<Record<string, unknown>> } {
    const asset = (name: string, onhand: Decimal, locked: Decimal, digits: number) => ({
      asset: name,
      free_amount: onhand.minus(locked).toFixed(digits),
      amount_precision: digits,
      onhand_amount: onhand.toFixed(digits),
      locked_amount: locked.toFixed(digits),
      withdrawing_amount: (0).toFixed(digits),
      withdrawal_fee: name === 'jpy' ? { threshold: '30000.0000', under: '550.0000', over: '770.0000' } : '0.00060000',
      stop_deposit: false,
      stop_withdrawal: false,
    });
    return { assets: [asset('jpy', this.jpy, this.lockedJpy, 4), asset('btc', this.btc, this.lockedBtc, 8)] };
  }
}
