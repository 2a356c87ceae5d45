import { randomUUID } from 'node:crypto';
import { loadConfig, secretValues, type Config } from '../shared/config.js';
import { JsonLogger } from '../shared/adapters/json-logger.js';
import { botVersion } from '../shared/version.js';
import { systemClock } from '../shared/adapters/system-clock.js';
import type { Logger } from '../shared/ports/logger.port.js';
import type { Clock } from '../shared/ports/clock.port.js';
import type { Store } from '../shared/ports/store.port.js';
import { FirestoreStore, createFirestore } from '../shared/adapters/firestore/firestore-store.js';
import type { TickDeps } from '../shared/app/tick-deps.js';
import { buildTickParts, type TickParts } from './tick-runtime.js';
import { recordDecisionSettings } from '../shared/app/decision-settings.js';

/**
 * The composition root shared by every function: built once per instance at first use (cold
 * start) and reused by warm invocations: the Firestore client, the ccxt client and the loaded
 * model are the instance's pool. Nothing here is a source of truth between invocations.
 */
export interface Runtime {
  config: Config;
  logger: Logger;
  clock: Clock;
  startedAtMs: number;
  /** This instance's id, part of every tick claim's owner. */
  instanceId: string;
}

/** What a replay or a test may swap (in-process only; production never calls it). */
export interface RuntimeOverrides {
  clock?: Clock;
  fault?: TickDeps['fault'];
  paperInitialJpy?: number;
  logger?: Logger;
  /** Wraps the tick's store once per instance (the replay's read/write counter). */
  wrapStore?: (store: Store) => Store;
}

/**
 * Error Reporting's service for lines logged outside a request (the function serving one names
 * itself: functions/http.ts); the version is the build's.
 */
const SERVICE = { service: 'crypto-bot', version: botVersion() };

let runtime: Runtime | undefined;
let store: FirestoreStore | undefined;
let tickParts: TickParts | undefined;
let overrides: RuntimeOverrides = {};
let decisionAudit: Promise<unknown> | undefined;

export function getRuntime(env: NodeJS.ProcessEnv = process.env): Runtime {
  if (runtime) return runtime;
  const config = loadConfig(env);
  const secrets = secretValues(config);
  const clock = overrides.clock ?? systemClock;
  runtime = {
    config,
    logger:
      overrides.logger ??
      new JsonLogger({
        minSeverity: config.LOG_LEVEL,
        secrets,
        serviceContext: SERVICE,
        projectId: config.GCP_PROJECT,
      }),
    clock,
    startedAtMs: clock.nowMs(),
    instanceId: randomUUID().slice(0, 8),
  };
  return runtime;
}

/** The Firestore store, one client per instance, scoped to BOT_MODE's trading state. */
export function getStore(): FirestoreStore {
  const { config } = getRuntime();
  store ??= new FirestoreStore(
    createFirestore({ projectId: config.GCP_PROJECT, databaseId: config.FIRESTORE_DATABASE }),
    undefined,
    config.BOT_MODE,
  );
  return store;
}

/** The tick's dependencies (exchange, brain, credential gate), built at the first tick of the instance. */
export function getTickDeps(): Omit<TickDeps, 'owner'> {
  const rt = getRuntime();
  tickParts ??= buildTickParts({
    ...rt,
    store: overrides.wrapStore ? overrides.wrapStore(getStore()) : getStore(),
    paperInitialJpy: overrides.paperInitialJpy,
  });
  return { ...tickParts.deps, ...(overrides.fault ? { fault: overrides.fault } : {}) };
}

/**
 * Once per instance (its cold start): audits the decision settings when they differ from the previous
 * instance's (shared/app/decision-settings.ts). A failure fails this call and the next one tries again.
 */
export function auditDecisionSettingsOnce(actor: string): Promise<unknown> {
  const { config, clock } = getRuntime();
  decisionAudit ??= recordDecisionSettings(getStore(), config, clock.nowMs(), actor).catch((error: unknown) => {
    decisionAudit = undefined;
    throw error;
  });
  return decisionAudit;
}

/** A logger usable even when the configuration itself is broken. */
export function runtimeLogger(): Logger {
  return runtime?.logger ?? fallbackLogger;
}
const fallbackLogger = new JsonLogger({ minSeverity: 'INFO', serviceContext: SERVICE });

/** For tests and replays: forget the instance so the next call rebuilds it from a new env. */
export function resetRuntime(next: RuntimeOverrides = {}): void {
  runtime = undefined;
  store = undefined;
  tickParts = undefined;
  decisionAudit = undefined;
  overrides = next;
}
