import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_RETENTION, INCOMPLETE_GRACE_MS, planRetention, type BackupRef } from './retention.js';
import { backupPrefix, type BackupKind } from './layout.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1, 18);
const ref = (kind: BackupKind, createdAtMs: number, complete = true): BackupRef => ({
  kind,
  createdAtMs,
  prefix: backupPrefix(kind, createdAtMs),
  complete,
});

describe('planRetention (7 daily / 4 weekly / 12 monthly)', () => {
  it('keeps the newest 7 dailies, 4 weeklies and 12 monthlies and removes the older ones', () => {
    const dailies = Array.from({ length: 30 }, (_, i) => ref('daily', T0 + i * DAY));
    const weeklies = Array.from({ length: 10 }, (_, i) => ref('weekly', T0 + i * 7 * DAY + 3_600_000));
    const monthlies = Array.from({ length: 20 }, (_, i) => ref('monthly', Date.UTC(2025, i, 1, 20)));
    const { keep, remove } = planRetention([...monthlies, ...dailies, ...weeklies], { nowMs: T0 + 40 * DAY });
    expect(keep.filter((b) => b.kind === 'daily').map((b) => b.createdAtMs)).toEqual(
      dailies
        .slice(-7)
        .reverse()
        .map((b) => b.createdAtMs),
    );
    expect(keep.filter((b) => b.kind === 'weekly')).toHaveLength(4);
    expect(keep.filter((b) => b.kind === 'monthly').map((b) => b.createdAtMs)).toEqual(
      monthlies
        .slice(-12)
        .reverse()
        .map((b) => b.createdAtMs),
    );
    expect(remove).toHaveLength(23 + 6 + 8);
  });

  it('leaves a young unfinished backup alone and removes an old one; neither counts toward the quota', () => {
    const complete = Array.from({ length: 7 }, (_, i) => ref('daily', T0 + i * DAY));
    const young = ref('daily', T0 + 8 * DAY, false);
    const old = ref('daily', T0 - 3 * DAY, false);
    const { keep, remove } = planRetention([...complete, young, old], {
      nowMs: T0 + 8 * DAY + INCOMPLETE_GRACE_MS - 1,
    });
    expect(keep).toContain(young);
    expect(remove).toEqual([old]);
    expect(keep.filter((b) => b.complete)).toHaveLength(7);
  });

  it('property: every backup is either kept or removed, never both, and the quota is never exceeded', () => {
    const arb = fc.array(
      fc.record({
        kind: fc.constantFrom<BackupKind>('daily', 'weekly', 'monthly'),
        day: fc.integer({ min: 0, max: 1000 }),
        complete: fc.boolean(),
      }),
      { maxLength: 80 },
    );
    fc.assert(
      fc.property(arb, (items) => {
        const refs = items.map((i) => ref(i.kind, T0 + i.day * DAY, i.complete));
        const { keep, remove } = planRetention(refs, { nowMs: T0 + 1001 * DAY });
        expect(keep.length + remove.length).toBe(refs.length);
        expect(new Set([...keep, ...remove]).size).toBe(refs.length);
        for (const kind of ['daily', 'weekly', 'monthly'] as const) {
          const kept = keep.filter((b) => b.kind === kind && b.complete);
          expect(kept.length).toBe(
            Math.min(DEFAULT_RETENTION[kind], refs.filter((b) => b.kind === kind && b.complete).length),
          );
          const oldestKept = Math.min(...kept.map((b) => b.createdAtMs));
          for (const r of remove.filter((b) => b.kind === kind && b.complete))
            expect(r.createdAtMs).toBeLessThanOrEqual(oldestKept);
        }
      }),
    );
  });
});
