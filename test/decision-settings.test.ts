import { expect, it } from 'vitest';
import { describeWithEmulator, emulatorStore, emulatorHost } from './support/emulator.js';
import { clearFirestoreEmulator } from '../tools/lib/firestore-emulator.js';
import { recordDecisionSettings } from '../shared/app/decision-settings.js';
import { loadConfig } from '../shared/config.js';
import { audit } from '../shared/store/audit-collections.js';
import { LAST_DECISION_SETTINGS_ID, decisionSettingsDocs } from '../shared/store/decision-settings-collections.js';

describeWithEmulator('decision settings at cold start: one audit record when they change', () => {
  const title =
    'records the first start, nothing for the same settings or a non-decision change, ' +
    'one record naming each change, once for two instances starting together (emulator)';
  it(title, async () => {
    await clearFirestoreEmulator(emulatorHost());
    const store = emulatorStore();
    const T = Date.UTC(2026, 11, 2, 9);
    const configChanges = async () =>
      (await store.list(audit)).map((d) => d.data).filter((r) => r.details.action === 'decision-settings');

    expect(await recordDecisionSettings(store, loadConfig({}), T, 'tick')).toMatch(/^\d{13}-config-change-/);
    expect(await recordDecisionSettings(store, loadConfig({ LOG_LEVEL: 'DEBUG' }), T + 1, 'tick')).toBeUndefined();
    expect(await configChanges()).toHaveLength(1);
    const [first] = await configChanges();
    expect(first).toMatchObject({ kind: 'config-change', actor: 'tick', details: { first: true, from: null } });

    const live = loadConfig({ BOT_MODE: 'live', MAX_POSITION_BTC: '0.002' }, { liveKeysFromSecretManager: true });
    const start = (): Promise<string | undefined> => recordDecisionSettings(store, live, T + 2, 'tick');
    const both = await Promise.all([start(), start()]);
    expect(both.filter((id) => id !== undefined)).toHaveLength(1);
    const records = await configChanges();
    expect(records).toHaveLength(2);
    const last = await store.get(decisionSettingsDocs, LAST_DECISION_SETTINGS_ID);
    expect(records.find((r) => r.atMs === T + 2)?.details).toEqual({
      action: 'decision-settings',
      first: false,
      from: records.find((r) => r.atMs === T)?.details.to,
      to: last?.fingerprint,
      changes: [
        { key: 'BOT_MODE', from: 'paper', to: 'live' },
        { key: 'MAX_POSITION_BTC', from: 0.0005, to: 0.002 },
      ],
    });
    expect(last?.values).toMatchObject({ BOT_MODE: 'live', MAX_POSITION_BTC: 0.002, BOT_STRATEGY: 'trend' });
  });
});
