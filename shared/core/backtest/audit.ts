import { Decimal } from 'decimal.js';
import { DAY_MS, HOUR_MS, utcDayStartMs } from '../candle.js';
import { isOnStep } from '../money.js';
import { kellyFraction } from '../performance/kelly.js';
import type { StrategySettings } from '../strategy/settings.js';
import type { MarketRules } from '../../ports/exchange.port.js';
import type { BacktestResult, BacktestTrade } from './types.js';

export interface LimitBreach {
  readonly limit: string;
  readonly tradeIndex: number;
  readonly detail: string;
}

const EPS = 1e-9;

/**
 * Checks every limit after the fact, from the trades and the equity curve alone (not from what
 * the planner said): lot grid and minimum, maximum position, risk per trade over the stop,
 * Kelly caps, entries per UTC day, daily loss, loss-streak pause, drawdown breaker.
 */
export function auditBacktest(result: BacktestResult, settings: StrategySettings, rules: MarketRules): LimitBreach[] {
  const breaches: LimitBreach[] = [];
  const { trades, equityJpy } = result;
  const entriesByDay = new Map<number, number>();
  let peak = -Infinity;
  let peakUpTo = -1;
  let priorCount = 0;
  trades.forEach((t, index) => {
    const add = (limit: string, detail: string) => breaches.push({ limit, tradeIndex: index, detail });
    const amount = Number(t.amountBtc);
    const equity = equityJpy[t.decisionBar] as number;
    for (; peakUpTo < t.decisionBar; peakUpTo += 1) peak = Math.max(peak, equityJpy[peakUpTo + 1] as number);
    while (priorCount < index && (trades[priorCount] as BacktestTrade).exitTimeMs <= t.decisionTimeMs) priorCount += 1;
    const prior = trades.slice(
      Math.max(0, priorCount - Math.max(settings.kellyWindowTrades, settings.maxConsecutiveLosses)),
      priorCount,
    );

    if (!isOnStep(t.amountBtc, rules.lotBtc) || new Decimal(t.amountBtc).lt(rules.minAmountBtc))
      add('lot', `${t.amountBtc} BTC is off the lot grid or below the minimum`);
    if (amount > settings.maxPositionBtc + EPS) add('max-position', `${t.amountBtc} BTC > ${settings.maxPositionBtc}`);
    const riskJpy = amount * Math.abs(t.decisionPriceJpy - t.stopPriceJpy);
    if (riskJpy > settings.riskPerTrade * equity * (1 + EPS))
      add('risk-per-trade', `risk ${riskJpy.toFixed(0)} JPY > ${settings.riskPerTrade} x ${equity.toFixed(0)}`);
    const valueJpy = amount * t.decisionPriceJpy;
    if (valueJpy > settings.kellyMaxFraction * equity * (1 + EPS))
      add('kelly-max', `value ${valueJpy.toFixed(0)} JPY > ${settings.kellyMaxFraction} of equity`);
    if (priorCount >= settings.kellyMinTrades) {
      const k = kellyFraction(prior.slice(-settings.kellyWindowTrades).map((p) => p.pnlJpy));
      if (k !== undefined) {
        const fractional = k * settings.kellyFraction;
        if (fractional <= 0 && (settings.kellyNonPositive === 'hold' || amount > Number(rules.minAmountBtc) + EPS))
          add('kelly', `kelly ${k.toFixed(4)} <= 0 but ${t.amountBtc} BTC entered`);
        const probeAllowed = settings.kellyNonPositive === 'minimum-lot' && amount <= Number(rules.minAmountBtc) + EPS;
        if (fractional > 0 && valueJpy > fractional * equity * (1 + EPS) && !probeAllowed)
          add('kelly', `value ${valueJpy.toFixed(0)} JPY > kelly ${fractional.toFixed(4)} of equity`);
      }
    }
    const day = utcDayStartMs(t.entryTimeMs);
    const entries = (entriesByDay.get(day) ?? 0) + 1;
    entriesByDay.set(day, entries);
    if (entries > settings.maxEntriesPerDay)
      add('entries-per-day', `${entries} entries on ${new Date(day).toISOString().slice(0, 10)}`);
    const decisionDay = utcDayStartMs(t.decisionTimeMs);
    let lostToday = 0;
    for (let j = priorCount - 1; j >= 0 && (trades[j] as BacktestTrade).exitTimeMs >= decisionDay; j -= 1) {
      if ((trades[j] as BacktestTrade).exitTimeMs < decisionDay + DAY_MS)
        lostToday -= (trades[j] as BacktestTrade).pnlJpy;
    }
    if (lostToday > 0 && lostToday >= settings.dailyLossLimit * (equity + lostToday) * (1 - EPS))
      add('daily-loss', `entered after losing ${lostToday.toFixed(0)} JPY today`);
    const streak = prior.slice(-settings.maxConsecutiveLosses);
    if (streak.length === settings.maxConsecutiveLosses && streak.every((p) => p.pnlJpy < 0)) {
      const resume = Math.max(...streak.map((p) => p.exitTimeMs)) + settings.lossPauseHours * HOUR_MS;
      if (t.decisionTimeMs < resume)
        add('loss-streak', `entered ${((resume - t.decisionTimeMs) / HOUR_MS).toFixed(1)} h before the pause ended`);
    }
    if (peak > 0 && 1 - equity / peak >= settings.maxDrawdown)
      add('max-drawdown', `entered at drawdown ${((1 - equity / peak) * 100).toFixed(2)} %`);
    if (result.killSwitchAtMs !== undefined && t.decisionTimeMs >= result.killSwitchAtMs)
      add('kill-switch', 'entered after the kill switch was set');
  });
  return breaches;
}
