import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '../../candle.js';
import { trade } from '../../strategy/test-fixtures.js';
import { protectionContext } from './context.fixture.js';
import { checkProtections, defaultProtections } from './index.js';
import { DEFAULT_STRATEGY_SETTINGS } from '../../strategy/settings.js';
import type { ProtectionContext } from './types.js';

const DAY = Date.UTC(2024, 0, 10);
const base: ProtectionContext = protectionContext({ nowMs: DAY + 12 * HOUR_MS });

describe('the default protection set', () => {
  it('lets a clean context through', () => {
    expect(checkProtections(defaultProtections(DEFAULT_STRATEGY_SETTINGS), base)).toEqual([]);
  });

  it('reports every block, the kill-switch breaker first', () => {
    const blocks = checkProtections(defaultProtections(DEFAULT_STRATEGY_SETTINGS), {
      ...base,
      equityJpy: 80_000,
      circuitBreak: 'CIRCUIT_BREAK',
      recentEntryTimesMs: [DAY + 1, DAY + 2, DAY + 3],
    });
    expect(blocks.map((b) => b.protection)).toEqual(['max-drawdown', 'circuit-break', 'entries-per-day']);
    expect(blocks[0]?.code).toBe('RISK.KILL_SWITCH');
  });

  it('counts yesterday for nothing', () => {
    const blocks = checkProtections(defaultProtections(DEFAULT_STRATEGY_SETTINGS), {
      ...base,
      closedTrades: [trade(-5_000, DAY - HOUR_MS)],
      recentEntryTimesMs: [DAY - DAY_MS + 1, DAY - 2, DAY - 1],
    });
    expect(blocks).toEqual([]);
  });
});
