import { describe, expect, it } from 'vitest';
import { macroAvailableAtMs } from '../../core/features/macro-staleness.js';
import { finalPoints, nextRefreshMs } from './macro-refresh.js';

const t = (iso: string): number => Date.parse(iso);

describe('macro cache policy', () => {
  it('a US series is due when its day becomes known to the features (22:00 UTC), once more an hour later, then daily', () => {
    expect(nextRefreshMs('vix', t('2024-03-06T15:00:00Z'))).toBe(t('2024-03-06T22:00:00Z'));
    expect(nextRefreshMs('vix', t('2024-03-06T22:00:00Z'))).toBe(t('2024-03-06T23:00:00Z'));
    expect(nextRefreshMs('vix', t('2024-03-06T22:59:00Z'))).toBe(t('2024-03-06T23:00:00Z'));
    expect(nextRefreshMs('vix', t('2024-03-06T23:00:00Z'))).toBe(t('2024-03-07T22:00:00Z'));
    expect(nextRefreshMs('vix', t('2024-03-06T23:59:00Z'))).toBe(t('2024-03-07T22:00:00Z'));
    expect(nextRefreshMs('treasury10y', t('2024-03-07T00:30:00Z'))).toBe(t('2024-03-07T22:00:00Z'));
  });

  it('the refresh moment is the one the features use: a live tick at that bar sees what a backtest sees', () => {
    for (const name of ['vix', 'fearGreed'] as const) {
      const knownAtMs = macroAvailableAtMs(name, '2024-03-06');
      expect(nextRefreshMs(name, knownAtMs - 1)).toBe(knownAtMs);
    }
  });

  it('Fear & Greed (published at 00:00 UTC) is due at 00:00 UTC and once more at 01:00 UTC', () => {
    expect(nextRefreshMs('fearGreed', t('2024-03-06T15:00:00Z'))).toBe(t('2024-03-07T00:00:00Z'));
    expect(nextRefreshMs('fearGreed', t('2024-03-07T00:30:00Z'))).toBe(t('2024-03-07T01:00:00Z'));
    expect(nextRefreshMs('fearGreed', t('2024-03-07T01:00:00Z'))).toBe(t('2024-03-08T00:00:00Z'));
  });

  it('keeps only values whose day had closed at fetch time (no intraday value cached)', () => {
    const points = [
      { date: '2024-03-05', value: 1 },
      { date: '2024-03-06', value: 2 },
    ];
    expect(finalPoints('vix', points, t('2024-03-06T21:59:00Z'))).toEqual([points[0]]);
    expect(finalPoints('vix', points, t('2024-03-06T22:00:00Z'))).toEqual(points);
    expect(finalPoints('fearGreed', points, t('2024-03-06T00:00:00Z'))).toEqual(points);
  });
});
