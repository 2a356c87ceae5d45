import { describe, expect, it } from 'vitest';
import { matches, parseFilter, type FakeEntry } from './filter.js';

const entry = (
  severity: string,
  payload: Record<string, unknown>,
  timestamp = '2026-11-25T12:00:00.000Z',
): FakeEntry => ({ timestamp, severity, logName: 'projects/p/logs/x', jsonPayload: payload });
const test = (filter: string, e: FakeEntry) => matches(parseFilter(filter), e);

describe('fake Logging filter subset', () => {
  it('compares severity by rank and timestamps as times', () => {
    expect(test('severity>=ERROR', entry('CRITICAL', {}))).toBe(true);
    expect(test('severity>=ERROR', entry('WARNING', {}))).toBe(false);
    expect(test('timestamp>="2026-11-25T11:59:59Z" AND timestamp<"2026-11-25T12:00:01Z"', entry('INFO', {}))).toBe(
      true,
    );
    expect(test('timestamp<"2026-11-25T12:00:00Z"', entry('INFO', {}))).toBe(false);
  });

  it('handles value lists, presence, numbers, NOT and parentheses', () => {
    const e = entry('ERROR', { code: 'DATA.BAD_CANDLES', latencyMs: 45_000, message: 'tick ok' });
    expect(test('jsonPayload.code=("DATA.MISSING_CANDLES" OR "DATA.BAD_CANDLES")', e)).toBe(true);
    expect(test('jsonPayload.code:*', e)).toBe(true);
    expect(test('jsonPayload.missing:*', e)).toBe(false);
    expect(test('jsonPayload.latencyMs>30000', e)).toBe(true);
    expect(test('jsonPayload.latencyMs>300000', e)).toBe(false);
    expect(
      test(
        'NOT jsonPayload.source="logCheck" AND (jsonPayload.message="tick ok" OR jsonPayload.message="tick failed")',
        e,
      ),
    ).toBe(true);
    expect(test('NOT jsonPayload.source="logCheck"', entry('INFO', { source: 'logCheck' }))).toBe(false);
    expect(test('jsonPayload.message=~"^tick"', e)).toBe(true);
  });

  it('rejects what it cannot parse', () => {
    expect(() => parseFilter('jsonPayload.code "x"')).toThrow();
    expect(() => parseFilter('(severity>=ERROR')).toThrow();
  });
});
