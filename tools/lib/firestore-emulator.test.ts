import { describe, expect, it } from 'vitest';
import { emulatorRequired } from './firestore-emulator.js';

describe('REQUIRE_FIRESTORE_EMULATOR', () => {
  it('1 and true require the emulator (what .ci/run sets); unset, empty, 0 and false do not', () => {
    expect([
      emulatorRequired({ REQUIRE_FIRESTORE_EMULATOR: '1' }),
      emulatorRequired({ REQUIRE_FIRESTORE_EMULATOR: 'true' }),
    ]).toEqual([true, true]);
    // no longer tied to CI=true: the variable alone decides
    expect(emulatorRequired({ REQUIRE_FIRESTORE_EMULATOR: '1', CI: '' })).toBe(true);
    expect(
      [
        {},
        { REQUIRE_FIRESTORE_EMULATOR: '' },
        { REQUIRE_FIRESTORE_EMULATOR: '0' },
        { REQUIRE_FIRESTORE_EMULATOR: 'false' },
      ].map((env) => emulatorRequired(env)),
    ).toEqual([false, false, false, false]);
  });
  it('anything else is a mistake, not "not required"', () => {
    expect(() => emulatorRequired({ REQUIRE_FIRESTORE_EMULATOR: 'yes' })).toThrow('must be 1/true or 0/false');
  });
});
