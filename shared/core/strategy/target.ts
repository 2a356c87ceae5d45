import type { OutcomeCode } from '../codes.js';
import { toOrderAmount, toOrderPrice } from '../money.js';
import type { PlanInput, Planner, TradePlan } from '../plan.js';
import type { PositionSide } from '../../ports/exchange.port.js';
import { checkProtections, defaultProtections, type Protection } from '../risk/protections/index.js';
import { positionSize } from '../risk/sizing.js';
import type { StrategySettings } from './settings.js';
import type { Strategy, StrategyTarget } from './strategy.js';

/** A target without a take-profit gets one this far away (the order path needs a price): long x3, short /3. */
export const FAR_TAKE_PROFIT_FACTOR = 3;

const hold = (probabilityUp: number | undefined, reasons: readonly string[], blockedBy?: OutcomeCode): TradePlan =>
  blockedBy === undefined
    ? { action: 'hold', probabilityUp, reasons }
    : { action: 'hold', probabilityUp, blockedBy, reasons };

/**
 * The one executor of every strategy: its target becomes the tick's plan. Exits are never
 * blocked. An entry passes the kill switch and the protections (`defaultProtections`), then is
 * sized at the smallest of the strategy's fraction of equity and the caps of `positionSize`
 * (risk per trade over the rounded stop, Kelly, `MAX_POSITION_BTC`, the exchange maximum), floored
 * to the lot; below the exchange minimum it holds and says so. No strategy can bypass this.
 */
export function strategyPlanner(
  strategy: Strategy,
  settings: StrategySettings,
  protections: readonly Protection[] = defaultProtections(settings),
): Planner {
  type Sized =
    | {
        ok: true;
        amountBtc: string;
        stopPriceJpy: string;
        takeProfitPriceJpy: string;
        sizing: string;
        reasons: readonly string[];
      }
    | { ok: false; reasons: readonly string[]; blockedBy?: OutcomeCode };
  /** The order the target asks for under the caps: stop and take-profit on the tick grid, amount on the lot grid. */
  function sizeFor(t: StrategyTarget, side: PositionSide, input: PlanInput, closeJpy: number): Sized {
    const long = side === 'long';
    const stop = t.stopPriceJpy;
    if (stop === undefined || !(stop > 0) || (long ? stop >= closeJpy : stop <= closeJpy)) {
      return {
        ok: false,
        reasons: [`stop ${stop} is not on the protective side of ${closeJpy}`],
        blockedBy: 'STRATEGY.FAILED',
      };
    }
    const rules = input.rules;
    const stopPriceJpy = toOrderPrice(stop, rules, long ? 'down' : 'up');
    const takeRaw =
      t.takeProfitPriceJpy ?? (long ? closeJpy * FAR_TAKE_PROFIT_FACTOR : closeJpy / FAR_TAKE_PROFIT_FACTOR);
    const takeProfitPriceJpy = toOrderPrice(takeRaw, rules, long ? 'down' : 'up');
    const size = positionSize({
      equityJpy: input.equityJpy,
      priceJpy: closeJpy,
      stopDistanceJpy: Math.abs(closeJpy - Number(stopPriceJpy)),
      closedTrades: input.closedTrades,
      rules,
      settings,
    });
    if (!size.ok) return { ok: false, reasons: [...size.reasons, size.reason] };
    const wantedBtc = (t.sizeFraction * input.equityJpy) / closeJpy;
    // 1e-9: a fraction read back from an amount on the lot grid (the ml strategy) must not lose a lot to float error.
    const capped = Math.min(wantedBtc * (1 + 1e-9), Number(size.amountBtc));
    const amountBtc = toOrderAmount(capped, rules);
    const sizing =
      capped < wantedBtc * (1 - 1e-9)
        ? `size capped by ${size.limitedBy} at ${size.amountBtc} BTC (wanted ${wantedBtc.toFixed(6)})`
        : `size ${t.sizeFraction.toFixed(3)} of equity`;
    if (amountBtc === undefined)
      return {
        ok: false,
        reasons: [...size.reasons, `${sizing}: below the exchange minimum ${rules.minAmountBtc} BTC`],
      };
    return { ok: true, amountBtc, stopPriceJpy, takeProfitPriceJpy, sizing, reasons: size.reasons };
  }

  return (input) => {
    const last = input.candles[input.candles.length - 1];
    if (!last) return hold(undefined, ['no candles'], 'DATA.MISSING_CANDLES');
    const t = strategy.decide(input);
    const p = t.probabilityUp;
    const reasons = [
      `${strategy.name}: ${t.side}${t.sizeFraction > 0 ? ` ${t.sizeFraction.toFixed(3)} of equity` : ''}`,
      ...t.reasons,
    ];
    const position = input.position;
    if (position) {
      const leave =
        t.position === 'exit' || (t.position !== 'keep' && t.blockedBy === undefined && t.side !== position.side);
      if (leave) return { action: 'exit', reason: t.exitReason ?? 'signal', probabilityUp: p, reasons };
      if (
        t.position === undefined &&
        t.blockedBy === undefined &&
        t.resizeBand !== undefined &&
        t.side === position.side
      ) {
        const sized = sizeFor(t, position.side, input, last.close);
        const held = Number(position.amountBtc);
        const want = sized.ok ? Number(sized.amountBtc) : 0;
        const why = `${sized.ok ? sized.sizing : sized.reasons.join('; ')}; held ${position.amountBtc} BTC, band ${t.resizeBand}`;
        if (sized.ok && Math.abs(want - held) > t.resizeBand * want)
          return {
            action: 'exit',
            reason: 'signal',
            probabilityUp: p,
            reasons: [...reasons, `resize to ${sized.amountBtc} BTC: ${why}`],
          };
        return hold(p, [...reasons, `keep: ${why}`]);
      }
      return hold(p, reasons, t.blockedBy);
    }
    if (t.blockedBy !== undefined) return hold(p, reasons, t.blockedBy);
    if (t.side === 'flat' || !(t.sizeFraction > 0)) return hold(p, reasons);
    const side = t.side;
    if (input.killSwitch) return hold(p, [...reasons, 'kill switch is set: no new positions'], 'RISK.KILL_SWITCH');
    const blocks = checkProtections(protections, { ...input, side });
    if (blocks[0]) return hold(p, [...reasons, ...blocks.map((b) => `${b.protection}: ${b.reason}`)], blocks[0].code);

    const sized = sizeFor(t, side, input, last.close);
    if (!sized.ok) return hold(p, [...reasons, ...sized.reasons], sized.blockedBy);
    const { amountBtc, stopPriceJpy, takeProfitPriceJpy } = sized;
    return {
      action: 'enter',
      side,
      amountBtc,
      stopPriceJpy,
      takeProfitPriceJpy,
      probabilityUp: p,
      reasons: [...reasons, ...sized.reasons, sized.sizing],
    };
  };
}
