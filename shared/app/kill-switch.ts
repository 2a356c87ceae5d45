import { toBotError } from '../core/errors.js';
import type { Logger } from '../ports/logger.port.js';
import type { Store } from '../ports/store.port.js';
import { appendAudit } from '../adapters/audit/audit-log.js';
import { KILL_SWITCH_DOC, killSwitch, type KillSwitchRecord } from '../store/tick-collections.js';
import { writeKillSwitch } from '../store/kill-switch-write.js';

/**
 * `killSwitch/global`: stops new entries; exits, stops and reconciliation always go on. Written only
 * through `setKillSwitch` (the ops command and the drawdown breaker), which appends an audit record.
 */
export type KillSwitchState =
  | { readonly active: false; readonly unreadable: false; readonly record?: KillSwitchRecord }
  | { readonly active: true; readonly unreadable: false; readonly record: KillSwitchRecord }
  /** A document that exists but fails its schema counts as ON (fail safe: no entries), with its own code. */
  | { readonly active: true; readonly unreadable: true; readonly message: string };

export async function readKillSwitch(store: Store, log?: Logger): Promise<KillSwitchState> {
  try {
    const record = await store.get(killSwitch, KILL_SWITCH_DOC);
    if (!record) return { active: false, unreadable: false };
    return record.active ? { active: true, unreadable: false, record } : { active: false, unreadable: false, record };
  } catch (thrown) {
    const error = toBotError(thrown);
    if (error.code !== 'STORE.BAD_RECORD') throw error;
    log?.error('kill switch document unreadable: counted as ON (no entries; exits and stops go on)', {
      code: 'RISK.KILL_SWITCH_UNREADABLE',
      detail: error.message.slice(0, 300),
    });
    return { active: true, unreadable: true, message: error.message };
  }
}

export interface KillSwitchChange {
  readonly active: boolean;
  readonly reason: string;
  /** Who: `cli:<user>`, a person's name, or `tick:drawdown-breaker`. */
  readonly actor: string;
  readonly atMs: number;
  /** Extra audit details (mode, drawdown figures); never a secret. */
  readonly details?: Record<string, unknown>;
}

/** Writes the kill switch (with its notification, in one write) and its audit record; returns the audit record's id. */
export async function setKillSwitch(store: Store, change: KillSwitchChange): Promise<string> {
  const reason = change.reason.trim();
  if (reason === '') throw new TypeError('a kill-switch change needs a reason');
  await writeKillSwitch(store, { active: change.active, reason, setBy: change.actor, setAtMs: change.atMs });
  return appendAudit(store, {
    kind: 'kill-switch',
    atMs: change.atMs,
    actor: change.actor,
    details: { active: change.active, reason, ...change.details },
  });
}
