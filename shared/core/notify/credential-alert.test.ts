import { describe, expect, it } from 'vitest';
import { credentialAlertStep, type CredentialLatch } from './credential-alert.js';

const AUTH = { ok: false, code: 'EXCHANGE.AUTH', message: 'bitbank 20003: key rejected' };
const OK = { ok: true, code: 'TICK.OK', message: '' };

describe('credentials failing: one notification per incident', () => {
  it('announces the first failure on the keys, then nothing until a good tick ends the incident', () => {
    let latch: CredentialLatch | undefined;
    const kinds: string[] = [];
    const run = (tick: typeof AUTH, nowMs: number) => {
      const step = credentialAlertStep(latch, tick, nowMs);
      if (step.latch) latch = step.latch;
      if (step.event) kinds.push(`${step.event.kind}@${step.event.atMs}`);
    };
    run(AUTH, 1);
    run({ ...AUTH, code: 'EXCHANGE.NONCE' }, 2);
    run({ ok: false, code: 'EXCHANGE.TIMEOUT', message: '' }, 3);
    expect(latch).toMatchObject({ failing: true, sinceMs: 1, code: 'EXCHANGE.AUTH' });
    run(OK, 4);
    expect(latch).toMatchObject({ failing: false, sinceMs: null });
    run({ ...AUTH, code: 'EXCHANGE.NONCE' }, 5);
    expect(kinds).toEqual(['credentials-failed@1', 'credentials-failed@5']);
  });

  it('writes nothing while all is well or for failures that say nothing about the keys', () => {
    expect(credentialAlertStep(undefined, OK, 1)).toEqual({});
    expect(credentialAlertStep(undefined, { ok: false, code: 'EXCHANGE.UNAVAILABLE', message: '' }, 1)).toEqual({});
  });
});
