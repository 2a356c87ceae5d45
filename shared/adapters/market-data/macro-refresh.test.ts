import { describe, expect, it } from 'vitest';
import { finalPoints, nextRefreshMs } from './macro-refresh.js';

const t = (iso: string): number => Date.parse(iso);

describe('macro cache policy', () => {
  it('a US series is due once a day, an hour after its 22:00 UTC close', () => {
    expect(nextRefreshMs('vix', t('2024-03-06T15:00:00Z'))).toBe(t('2024-03-06T23:00:00Z'));
    expect(nextRefreshMs('vix', t('2024-03-06T23:00:00Z'))).toBe(t('2024-03-07T23:00:00Z'));
    expect(nextRefreshMs('vix', t('2024-03-06T23:59:00Z'))).toBe(t('2024-03-07T23:00:00Z'));
    expect(nextRefreshMs('treasury10y', t('2024-03-07T00:30:00Z'))).toBe(t('2024-03-07T23:00:00Z'));
  });

  it('Fear & Greed (published at 00:00 UTC) is due at 01:00 UTC', () => {
    expect(nextRefreshMs('fearGreed', t('2024-03-06T15:00:00Z'))).toBe(t('2024-03-07T01:00:00Z'));
    expect(nextRefreshMs('fearGreed', t('2024-03-07T00:30:00Z'))).toBe(t('2024-03-07T01:00:00Z'));
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
