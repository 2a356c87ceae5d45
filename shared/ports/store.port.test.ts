import { describe, expect, it } from 'vitest';
import { collectionPath } from './store.port.js';
import { orders, positions, ticks, trades } from '../store/tick-collections.js';
import { LEGACY_TRADING_COLLECTIONS } from '../store/legacy-collections.js';

describe('collectionPath: trading state per mode', () => {
  it('positions, orders and trades live under modes/{mode}/, one place per mode', () => {
    for (const c of [positions, orders, trades]) {
      expect(collectionPath(c, 'paper')).toBe(`modes/paper/${c.name}`);
      expect(collectionPath(c, 'live')).toBe(`modes/live/${c.name}`);
    }
  });
  it('shared collections keep their top-level name whatever the mode', () => {
    expect(collectionPath(ticks, 'live')).toBe('ticks');
    expect(collectionPath(ticks, undefined)).toBe('ticks');
  });
  it('a store without a mode cannot reach trading state: thrown, never a default', () => {
    expect(() => collectionPath(positions, undefined)).toThrow(/not scoped to a mode/);
  });
  it('the legacy (pre-separation) collections are the top-level ones of the same names', () => {
    expect(LEGACY_TRADING_COLLECTIONS.map((l) => collectionPath(l.def, 'live'))).toEqual([
      'positions',
      'orders',
      'trades',
    ]);
  });
});
