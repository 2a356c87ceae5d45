import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The planted files do not exist, so the type-aware rules (which need the file in the TypeScript project) are off here.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }],
});

async function boundaryMessages(code: string, filePath = 'shared/core/planted.ts'): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, filePath) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
}

describe('the pure core boundary (eslint rule, run by npm test)', () => {
  it.each([
    ["import 'ccxt';", 'ccxt'],
    ["import { bitbank } from 'ccxt/js/src/bitbank.js';", 'ccxt'],
    ["import { Firestore } from '@google-cloud/firestore';", 'Google'],
    ["import { FirestoreStore } from '../adapters/firestore/firestore-store.js';", 'adapter'],
    ["import { readFileSync } from 'node:fs';", 'I/O'],
    ['export const t = Date.now();', 'Date.now'],
    ['export const d = new Date();', 'new Date'],
    ['export const r = Math.random();', 'Math.random'],
    ["export const f = () => fetch('http://x');", 'I/O'],
    ['export const e = process.env.X;', 'process'],
    ['export const s = Date();', 'Date()'],
    ['export const p = performance.now();', 'performance.now'],
    ['export const w = (f: () => void) => setTimeout(f, 10);', 'timers'],
    ["import { randomUUID } from 'node:crypto';", 'randomness'],
    ['export const u = crypto.randomUUID();', 'randomness'],
    ["export const m = () => import('ccxt');", 'dynamic import'],
    ["import { hostname } from 'node:os';", 'I/O'],
  ])('fails on %s planted in shared/core', async (code, expected) => {
    const messages = await boundaryMessages(code);
    expect(messages.join(' ')).toContain(expected);
  });

  it('allows pure code and ports in shared/core', async () => {
    expect(
      await boundaryMessages(
        "import type { Clock } from '../ports/clock.port.js';\nexport const at = (c: Clock) => new Date(c.nowMs());",
      ),
    ).toEqual([]);
    expect(
      await boundaryMessages(
        "import { createHash } from 'node:crypto';\nexport const h = (s: string) => createHash('sha256').update(s).digest('hex');",
      ),
    ).toEqual([]);
  });

  it('holds for the ports too', async () => {
    expect(
      (
        await boundaryMessages("import { Firestore } from '@google-cloud/firestore';", 'shared/ports/planted.port.ts')
      ).join(' '),
    ).toContain('Google');
  });

  it('does not restrict adapters', async () => {
    expect(await boundaryMessages("import 'ccxt';", 'shared/adapters/bitbank/planted.ts')).toEqual([]);
  });
});
