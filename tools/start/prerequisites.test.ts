import { describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { missingPrerequisite, portFree, type PrerequisiteProbe } from './prerequisites.js';

const ready: PrerequisiteProbe = {
  nodeVersion: '22.13.0',
  java: () => true,
  emulator: () => '/sdk/cloud_firestore_emulator',
  portFree: async () => true,
};

describe('npm start prerequisites: one sentence naming what to install or change', () => {
  it('all present: nothing to say', async () => {
    expect(await missingPrerequisite(ready, 0)).toBeUndefined();
    expect(await missingPrerequisite(ready, 8080)).toBeUndefined();
  });

  it.each([
    ['Node older than 22', { nodeVersion: '20.19.1' }, /^Node 20\.19\.1 is too old: crypto-bot needs Node 22\.13/],
    [
      'Node 22 older than 22.13 (eslint and commander need it)',
      { nodeVersion: '22.12.0' },
      /^Node 22\.12\.0 is too old/,
    ],
    ['no Java', { java: () => false }, /^Java is not installed/],
    ['no emulator', { emulator: () => undefined }, /^The Cloud Firestore emulator is not installed/],
    ['a busy port', { portFree: async (p: number) => p !== 8082 }, /^Port 8082 on 127\.0\.0\.1 is busy/],
  ] as const)('%s', async (_name, change, sentence) => {
    const problem = await missingPrerequisite({ ...ready, ...change }, 8080);
    expect(problem).toMatch(sentence);
    expect(problem?.split(/\. /)).toHaveLength(1);
  });

  it('Java and the emulator are not needed when FIRESTORE_EMULATOR_HOST names a running one', async () => {
    expect(
      await missingPrerequisite(
        { ...ready, java: () => false, emulator: () => undefined, emulatorHost: '127.0.0.1:8085' },
        0,
      ),
    ).toBeUndefined();
  });

  it('a port range past 65535 is refused', async () => {
    expect(await missingPrerequisite(ready, 65_534)).toMatch(/^--port 65534 is not a usable port/);
  });

  it('portFree sees a listening loopback socket', async () => {
    const server: Server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    expect(await portFree(port)).toBe(false);
    await new Promise<void>((r) => server.close(() => r()));
    expect(await portFree(port)).toBe(true);
  });
});
