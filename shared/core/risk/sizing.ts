import { Decimal } from 'decimal.js';
import { toOrderAmount } from '../money.js';
import type { ClosedTrade } from '../plan.js';
import type { MarketRules } from '../../ports/exchange.port.js';
import { kellyFraction } from '../performance/kelly.js';
import type { StrategySettings } from '../strategy/settings.js';

export interface SizeInput {
  readonly equityJpy: number;
  readonly priceJpy: number;
  /** |entry - stop| on the tick grid, JPY per BTC. */
  readonly stopDistanceJpy: number;
  readonly closedTrades: readonly ClosedTrade[];
  readonly rules: MarketRules;
  readonly settings: StrategySettings;
}

export type SizeResult =
  | { readonly ok: true; readonly amountBtc: string; readonly limitedBy: string; readonly reasons: readonly string[] }
  | { readonly ok: false; readonly reason: string; readonly reasons: readonly string[] };

/**
 * Position size: risk `riskPerTrade` of equity over the stop distance, capped by fractional Kelly
 * (from the last `kellyWindowTrades` closed trades once `kellyMinTrades` exist; never above
 * `kellyMaxFraction` of equity, which also applies during the warm-up), by `maxPositionBtc`, by
 * the exchange's market-order maximum, then floored to the lot. Below the minimum: no order.
 */
export function positionSize(input: SizeInput): SizeResult {
  const { equityJpy, priceJpy, stopDistanceJpy, closedTrades, rules, settings } = input;
  const reasons: string[] = [];
  if (!(equityJpy > 0) || !(priceJpy > 0) || !(stopDistanceJpy > 0)) {
    return {
      ok: false,
      reason: `cannot size: equity ${equityJpy}, price ${priceJpy}, stop distance ${stopDistanceJpy}`,
      reasons,
    };
  }
  const caps: Array<[string, number]> = [
    ['risk-per-trade', (settings.riskPerTrade * equityJpy) / stopDistanceJpy],
    ['max-position', settings.maxPositionBtc],
    ['exchange-max', Number(rules.maxMarketAmountBtc)],
  ];
  let kellyCapFraction = settings.kellyMaxFraction;
  let probe = false;
  if (closedTrades.length >= settings.kellyMinTrades) {
    const window = closedTrades.slice(-settings.kellyWindowTrades).map((t) => t.pnlJpy);
    const kelly = kellyFraction(window);
    if (kelly !== undefined) {
      const fractional = kelly * settings.kellyFraction;
      reasons.push(`kelly ${kelly.toFixed(4)} over ${window.length} trades, fractional ${fractional.toFixed(4)}`);
      if (fractional <= 0) {
        if (settings.kellyNonPositive === 'hold')
          return { ok: false, reason: 'kelly: no edge in the recent trades', reasons };
        probe = true;
        reasons.push('kelly <= 0: probing at the exchange minimum');
      } else kellyCapFraction = Math.min(kellyCapFraction, fractional);
    }
  } else
    reasons.push(
      `kelly warm-up: ${closedTrades.length}/${settings.kellyMinTrades} trades, cap ${settings.kellyMaxFraction} of equity`,
    );
  const kellyCapBtc = (kellyCapFraction * equityJpy) / priceJpy;
  const minimumBtc = Number(rules.minAmountBtc);
  // A Kelly cap at or below zero, or below the exchange minimum, would stop trading for good (no new
  // trades, so the Kelly window never changes): in 'minimum-lot' mode it probes at the minimum instead.
  if (!probe && kellyCapBtc < minimumBtc && closedTrades.length >= settings.kellyMinTrades) {
    if (settings.kellyNonPositive === 'hold')
      return {
        ok: false,
        reason: `kelly cap ${kellyCapBtc.toPrecision(3)} BTC is below the exchange minimum`,
        reasons,
      };
    probe = true;
    reasons.push('kelly cap below the exchange minimum: probing at the minimum');
  }
  caps.push(probe ? ['kelly-probe', minimumBtc] : ['kelly', kellyCapBtc]);

  let [limitedBy, sizeBtc] = caps[0] as [string, number];
  for (const [name, cap] of caps) {
    if (cap < sizeBtc) [limitedBy, sizeBtc] = [name, cap];
  }
  reasons.push(`size ${sizeBtc.toPrecision(6)} BTC limited by ${limitedBy}`);
  // toOrderAmount floors through the number's shortest decimal form; guard tiny float noise.
  const amountBtc = toOrderAmount(new Decimal(sizeBtc).toSignificantDigits(12, Decimal.ROUND_DOWN).toString(), rules);
  if (amountBtc === undefined) {
    return {
      ok: false,
      reason: `size ${sizeBtc.toPrecision(6)} BTC is below the exchange minimum ${rules.minAmountBtc} BTC`,
      reasons,
    };
  }
  return { ok: true, amountBtc, limitedBy, reasons };
}
