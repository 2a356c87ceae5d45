/**
 * The first live run, made safe: with the exchange's minimum amount, proves on the real account what
 * only the fake bitbank has shown so far, before `BOT_MODE=live`:
 *   1. credentials: reads, margin status and the order permission (`verifyCredentials`);
 *   2. margin status NORMAL, no position of the pair open (the check never mixes with one);
 *   3. `post_only` is honoured: a post-only buy far under the market rests; one that would cross is
 *      not filled (bitbank cancels it);
 *   4. `position_side` is honoured: a market buy with `position_side: long` opens a long of the size;
 *   5. a stop and a take-profit for the full size rest together;
 *   then cancels every order it placed and closes the position it opened, also when a step failed
 *   (finally; each exchange call has the adapter's deadline; cleanup is bounded to 3 rounds).
 * Exit code 0 only when every check passed and the cleanup left nothing behind.
 */
import { Decimal } from 'decimal.js';
import { toBotError } from '../../shared/core/errors.js';
import {
  OPEN_ORDER_STATUSES,
  type Exchange,
  type ExchangeOrder,
  type OrderRequest,
} from '../../shared/ports/exchange.port.js';
import { toOrderPrice } from '../../shared/core/money.js';

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface LiveCheckReport {
  readonly ok: boolean;
  readonly checks: readonly CheckResult[];
  /** What the cleanup did, and what it could not undo (then a person must). */
  readonly cleanup: {
    readonly cancelled: string[];
    readonly closedBtc: string;
    readonly leftOpenOrders: string[];
    readonly leftPositionBtc: string;
  };
}

const CLEANUP_ROUNDS = 3;

/** Runs the checks against `exchange` (the bitbank adapter in live configuration); never throws. */
export async function runLiveCheck(
  exchange: Exchange,
  options: { pair: string; log: (line: string) => void },
): Promise<LiveCheckReport> {
  const { pair, log } = options;
  const checks: CheckResult[] = [];
  const placed: string[] = [];
  let openedBtc = new Decimal(0);
  const record = (name: string, ok: boolean, detail: string): boolean => {
    checks.push({ name, ok, detail });
    log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${detail}`);
    return ok;
  };
  const place = async (request: OrderRequest): Promise<ExchangeOrder> => {
    const order = await exchange.placeOrder(request);
    placed.push(order.orderId);
    return order;
  };

  try {
    const credentials = await exchange.verifyCredentials();
    const failing = credentials.checks.filter((c) => !c.ok).map((c) => `${c.name}${c.code ? ` (${c.code})` : ''}`);
    if (
      !record(
        'credentials',
        credentials.ok,
        credentials.ok ? credentials.checks.map((c) => c.name).join(', ') : `failing: ${failing.join(', ')}`,
      )
    )
      return await finish();

    const status = await exchange.fetchMarginStatus();
    if (
      !record(
        'margin status',
        status.status === 'NORMAL',
        `${status.status}, margin balance ${status.totalMarginBalanceJpy} JPY`,
      )
    )
      return await finish();
    const existing = await exchange.fetchMarginPositions(pair);
    if (
      !record(
        'no open position',
        existing.length === 0,
        existing.length === 0
          ? `none on ${pair}`
          : `${existing.map((p) => `${p.side} ${p.amountBtc}`).join(', ')} open: close it first, the check never mixes with a position`,
      )
    )
      return await finish();

    const rules = await exchange.loadMarketRules(pair);
    const amountBtc = rules.minAmountBtc;
    const ticker = await exchange.fetchTicker(pair);
    const bid = new Decimal(ticker.bidJpy);
    const ask = new Decimal(ticker.askJpy);
    log(`     minimum amount ${amountBtc} BTC, bid ${ticker.bidJpy}, ask ${ticker.askJpy} JPY`);

    // post_only: a post-only buy 10 % under the bid rests; a post-only buy 1 % over the ask would take: it must not fill.
    const resting = await place({
      pair,
      side: 'buy',
      positionSide: 'long',
      type: 'limit',
      amountBtc,
      priceJpy: toOrderPrice(bid.mul(0.9).toString(), rules, 'down'),
      postOnly: true,
    });
    const restingNow = await exchange.fetchOrder(pair, resting.orderId);
    const restOk = OPEN_ORDER_STATUSES.includes(restingNow.status) && new Decimal(restingNow.executedBtc).isZero();
    await exchange.cancelOrder(pair, resting.orderId);
    const crossing = await place({
      pair,
      side: 'buy',
      positionSide: 'long',
      type: 'limit',
      amountBtc,
      priceJpy: toOrderPrice(ask.mul(1.01).toString(), rules, 'up'),
      postOnly: true,
    });
    const crossingNow = await exchange.fetchOrder(pair, crossing.orderId);
    const notTaken = new Decimal(crossingNow.executedBtc).isZero();
    if (!notTaken) openedBtc = openedBtc.plus(crossingNow.executedBtc);
    if (
      !record(
        'post_only honoured',
        restOk && notTaken,
        `resting post-only buy ${restingNow.status}; crossing post-only buy ${crossingNow.status}, executed ${crossingNow.executedBtc}`,
      )
    )
      return await finish();

    // position_side: a market buy as a long opens a long of that size.
    const entry = await place({ pair, side: 'buy', positionSide: 'long', type: 'market', amountBtc });
    const entryNow = await exchange.fetchOrder(pair, entry.orderId);
    openedBtc = openedBtc.plus(entryNow.executedBtc);
    const positions = await exchange.fetchMarginPositions(pair);
    const long = positions.find((p) => p.side === 'long');
    const sideOk =
      entryNow.status === 'FULLY_FILLED' &&
      long !== undefined &&
      new Decimal(long.amountBtc).eq(amountBtc) &&
      positions.every((p) => p.side === 'long');
    if (
      !record(
        'position_side honoured',
        sideOk,
        `market buy ${entryNow.status}; positions ${positions.map((p) => `${p.side} ${p.amountBtc}`).join(', ') || 'none'}`,
      )
    )
      return await finish();

    // A stop and a take-profit for the full size, resting together.
    const last = new Decimal(ticker.lastJpy);
    const stop = await place({
      pair,
      side: 'sell',
      positionSide: 'long',
      type: 'stop',
      amountBtc,
      triggerPriceJpy: toOrderPrice(last.mul(0.8).toString(), rules, 'down'),
    });
    const takeProfit = await place({
      pair,
      side: 'sell',
      positionSide: 'long',
      type: 'take_profit',
      amountBtc,
      triggerPriceJpy: toOrderPrice(last.mul(1.2).toString(), rules, 'up'),
    });
    const open = await exchange.fetchOpenOrders(pair);
    const both = [stop.orderId, takeProfit.orderId].every((id) =>
      open.some((o) => o.orderId === id && new Decimal(o.remainingBtc).eq(amountBtc)),
    );
    record(
      'stop and take-profit rest together for the full size',
      both,
      `open orders: ${open.map((o) => `${o.type} ${o.remainingBtc}`).join(', ') || 'none'}`,
    );
    return await finish();
  } catch (thrown) {
    const error = toBotError(thrown);
    record('run', false, `${error.code}: ${error.message.slice(0, 300)}`);
    return await finish();
  }

  /** Cancels what it placed and closes what it opened; bounded rounds; reports what is left. */
  async function finish(): Promise<LiveCheckReport> {
    const cancelled: string[] = [];
    let closedBtc = new Decimal(0);
    let leftOpenOrders: string[] = [];
    let leftPositionBtc = openedBtc;
    for (let round = 0; round < CLEANUP_ROUNDS; round += 1) {
      try {
        const open = (await exchange.fetchOpenOrders(pair)).filter((o) => placed.includes(o.orderId));
        for (const order of open) {
          await exchange.cancelOrder(pair, order.orderId).then(
            () => cancelled.push(order.orderId),
            (e: unknown) => log(`     cancel ${order.orderId} failed: ${toBotError(e).code}`),
          );
        }
        const long = (await exchange.fetchMarginPositions(pair)).find((p) => p.side === 'long');
        const toClose = Decimal.min(leftPositionBtc, new Decimal(long?.amountBtc ?? 0));
        if (toClose.gt(0)) {
          const close = await exchange.placeOrder({
            pair,
            side: 'sell',
            positionSide: 'long',
            type: 'market',
            amountBtc: toClose.toString(),
          });
          const closeNow = await exchange.fetchOrder(pair, close.orderId);
          closedBtc = closedBtc.plus(closeNow.executedBtc);
          leftPositionBtc = leftPositionBtc.minus(closeNow.executedBtc);
        } else {
          leftPositionBtc = new Decimal(0);
        }
        leftOpenOrders = (await exchange.fetchOpenOrders(pair))
          .filter((o) => placed.includes(o.orderId))
          .map((o) => o.orderId);
        if (leftOpenOrders.length === 0 && leftPositionBtc.lte(0)) break;
      } catch (thrown) {
        log(
          `     cleanup round ${round + 1} failed: ${toBotError(thrown).code}: ${toBotError(thrown).message.slice(0, 200)}`,
        );
        leftOpenOrders = [...placed];
      }
    }
    const cleanup = {
      cancelled,
      closedBtc: closedBtc.toString(),
      leftOpenOrders,
      leftPositionBtc: Decimal.max(leftPositionBtc, 0).toString(),
    };
    const clean = leftOpenOrders.length === 0 && leftPositionBtc.lte(0);
    log(
      clean
        ? `ok   cleanup: ${cancelled.length} orders cancelled, ${cleanup.closedBtc} BTC closed`
        : `FAIL cleanup INCOMPLETE: cancel ${leftOpenOrders.join(', ') || 'nothing'} and close ${cleanup.leftPositionBtc} BTC long on ${pair} by hand`,
    );
    return {
      ok:
        clean &&
        checks.length > 0 &&
        checks.every((c) => c.ok) &&
        checks.some((c) => c.name.startsWith('stop and take-profit')),
      checks,
      cleanup,
    };
  }
}
