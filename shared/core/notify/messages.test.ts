import { describe, expect, it } from 'vitest';
import { dailySummarySlot, summarizeDay } from './daily-summary.js';
import {
  dailySummaryEvent,
  killSwitchEvent,
  notificationEventsFor,
  protectiveFailedEvent,
  type NotifyEvent,
} from './events.js';
import { MAX_MESSAGE_CHARS, jpy, renderMessage } from './messages.js';
import type { BookedTrade } from '../tick/booking.js';

const T = Date.UTC(2026, 0, 2, 5, 0);
const TRADE: BookedTrade = {
  pair: 'btc_jpy',
  side: 'short',
  amountBtc: '0.0005',
  entryTimeMs: T - 3 * 3_600_000,
  exitTimeMs: T,
  entryPriceJpy: 15_000_000,
  exitPriceJpy: 14_900_000,
  pnlJpy: 31.4,
  feesJpy: 17.9,
  interestJpy: 0.7,
  exitReason: 'take-profit',
  closingOrderId: 'o-77',
  tradeIds: ['t1'],
};

describe('notification events', () => {
  it('a booked trade is one position-closed event keyed by its closing order; an adopted position one position-opened', () => {
    const [closed] = notificationEventsFor({ trade: TRADE });
    expect(closed).toMatchObject({
      eventId: 'position-closed_btc_jpy_o-77',
      kind: 'position-closed',
      atMs: T,
      data: { side: 'short', pnlJpy: 31.4, exitReason: 'take-profit' },
    });
    const [opened] = notificationEventsFor({
      opened: {
        pair: 'btc_jpy',
        side: 'long',
        amountBtc: '0.001',
        entryPriceJpy: 10_000_000,
        entryTimeMs: T,
        entryFeePerBtcJpy: 12_000,
        stopPriceJpy: '9900000',
        adopted: false,
        updatedAtMs: T,
      },
    });
    expect(opened).toMatchObject({
      eventId: `position-opened_btc_jpy_long_${T}`,
      data: { entryFeeJpy: 12, stopPriceJpy: '9900000', takeProfitPriceJpy: null },
    });
  });
});

describe('messages in English and Japanese', () => {
  const closed = notificationEventsFor({ trade: TRADE })[0] as NotifyEvent;
  it('a closed position: side, size, prices, fees, P&L, reason; UTC in English, JST in Japanese', () => {
    expect(renderMessage(closed, 'en')).toBe(
      [
        '✅ Position closed: SHORT 0.0005 BTC (btc_jpy), exit: take-profit',
        'Entry ¥15,000,000 → exit ¥14,900,000',
        'P&L +¥31 (fees ¥18, interest ¥1)',
        '2026-01-02 05:00 UTC',
      ].join('\n'),
    );
    expect(renderMessage(closed, 'ja')).toBe(
      [
        '✅ 決済: ショート 0.0005 BTC (btc_jpy)・理由: 利確',
        '建値 ¥15,000,000 → 決済 ¥14,900,000',
        '損益 +¥31（手数料 ¥18・金利 ¥1）',
        '2026/01/02 14:00 JST',
      ].join('\n'),
    );
  });

  it('the kill switch names who set it and why', () => {
    const on = killSwitchEvent({ active: true, reason: 'exchange maintenance', setBy: 'telegram:4242', setAtMs: T });
    expect(on.eventId).toBe(`kill-switch_${T}_on`);
    expect(renderMessage(on, 'en')).toContain('Kill switch ON by telegram:4242');
    expect(renderMessage(on, 'ja')).toContain('キルスイッチ ON（telegram:4242）');
  });

  it('a refused protective order says what was refused and what the bot does about it', () => {
    const refused = (purpose: 'stop' | 'take-profit' | 'close') =>
      protectiveFailedEvent(
        'i-1',
        { side: 'long', purpose, code: 'EXCHANGE.ORDER_REJECTED', message: 'bitbank 60004' },
        T,
      );
    expect(refused('stop').eventId).toBe('protective-failed_i-1');
    expect(renderMessage(refused('stop'), 'en')).toBe(
      [
        '⚠️ The stop of the long position was refused by the exchange: EXCHANGE.ORDER_REJECTED bitbank 60004',
        'The position is being closed at market rather than left without its stop.',
        '2026-01-02 05:00 UTC',
      ].join('\n'),
    );
    expect(renderMessage(refused('close'), 'en')).toContain('WITHOUT a stop: a person must act');
    expect(renderMessage(refused('take-profit'), 'ja')).toMatch(/^⚠️ ロング建玉の利確注文が取引所に拒否されました/);
    expect(renderMessage(refused('close'), 'ja')).toContain('対応が必要です');
  });

  it('money is rounded yen with thousands separators and an explicit sign for P&L; text is capped', () => {
    expect(jpy(-1234.5)).toBe('-¥1,234');
    expect(jpy(1234.5, true)).toBe('+¥1,235');
    expect(jpy(0, true)).toBe('¥0');
    const long = killSwitchEvent({ active: true, reason: 'x'.repeat(5_000), setBy: 'a', setAtMs: T });
    expect(renderMessage(long, 'en').length).toBe(MAX_MESSAGE_CHARS);
  });
});

describe('daily summary', () => {
  it('is due at the configured UTC hour and covers the 24 hours before', () => {
    expect(dailySummarySlot(Date.UTC(2026, 0, 2, 0, 30), 0)).toEqual({ day: '2026-01-02', atMs: Date.UTC(2026, 0, 2) });
    expect(dailySummarySlot(Date.UTC(2026, 0, 2, 5, 59), 6)).toEqual({
      day: '2026-01-01',
      atMs: Date.UTC(2026, 0, 1, 6),
    });
  });

  it('sums P&L over 24 h, 7 d and 30 d, counts the day trades, and measures drawdown from the peak', () => {
    const atMs = Date.UTC(2026, 0, 31);
    const trade = (daysAgo: number, pnlJpy: number) => ({ exitTimeMs: atMs - daysAgo * 86_400_000, pnlJpy });
    const data = summarizeDay({
      day: '2026-01-31',
      atMs,
      mode: 'paper',
      trades: [trade(0.5, 100), trade(0.9, -30), trade(3, 50), trade(20, -200), trade(40, 999), trade(-0.1, 7)],
      equity: { equityJpy: 95_000, peakJpy: 100_000 },
      position: null,
      openIncidents: ['TICK.MISSED'],
      killSwitch: false,
    });
    expect(data).toMatchObject({
      pnlDayJpy: 70,
      pnlWeekJpy: 120,
      pnlMonthJpy: -80,
      tradesDay: 2,
      drawdown: 0.05,
      equityJpy: 95_000,
    });
    const en = renderMessage(dailySummaryEvent(data, atMs), 'en');
    expect(en).toContain('P&L 24h +¥70 · 7d +¥120 · 30d -¥80');
    expect(en).toContain('Health: open incidents TICK.MISSED');
    expect(renderMessage(dailySummaryEvent(data, atMs), 'ja')).toContain('損益 24時間 +¥70・7日 +¥120・30日 -¥80');
  });
});
