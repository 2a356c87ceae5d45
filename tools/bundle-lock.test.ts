import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleLock, externalPackages, resolveInLock, type LockEntry, type PackageLock } from './bundle-lock.js';
import { buildFunction, EXTERNAL_PACKAGES } from './build.js';

const partition = <T>(xs: readonly T[], keep: (x: T) => boolean): [T[], T[]] => [
  xs.filter(keep),
  xs.filter((x) => !keep(x)),
];
const lock = (packages: Record<string, LockEntry>): PackageLock => ({
  lockfileVersion: 3,
  packages: { '': {}, ...packages },
});
const optionalPeer = { peerDependencies: { p: '1' }, peerDependenciesMeta: { p: { optional: true } } };

describe('bundleLock (pure)', () => {
  const root = lock({
    'node_modules/a': { version: '1.2.3', dependencies: { b: '^2', c: '^1' }, optionalDependencies: { gone: '1' } },
    'node_modules/a/node_modules/b': { version: '2.0.1', dev: true },
    'node_modules/b': { version: '3.0.0' },
    'node_modules/c': { version: '1.0.0', devOptional: true, ...optionalPeer },
    'node_modules/unused': { version: '9.9.9' },
  });

  it('takes the externals at the locked versions and everything they need at the same paths, nothing else', () => {
    const { dependencies, lock: out } = bundleLock({ name: 'fn', version: '0.1.0' }, ['a'], root);
    expect(dependencies).toEqual({ a: '1.2.3' });
    expect(out.packages).toEqual({
      '': { name: 'fn', version: '0.1.0', dependencies: { a: '1.2.3' } },
      'node_modules/a': root.packages['node_modules/a'],
      'node_modules/a/node_modules/b': { version: '2.0.1' },
      'node_modules/c': { version: '1.0.0', optional: true, ...optionalPeer },
    });
  });

  it('resolves like npm: the nearest node_modules up the tree', () => {
    expect(resolveInLock(root.packages, 'node_modules/a', 'b')).toBe('node_modules/a/node_modules/b');
    expect(resolveInLock(root.packages, 'node_modules/c', 'b')).toBe('node_modules/b');
    expect(resolveInLock(root.packages, '', 'missing')).toBeUndefined();
  });

  it('fails when a needed package is not locked', () => {
    expect(() => bundleLock({ name: 'fn', version: '0' }, ['nope'], root)).toThrow(/package-lock\.json has no nope/);
    const needsY = lock({ 'node_modules/x': { version: '1.0.0', dependencies: { y: '1' } } });
    expect(() => bundleLock({ name: 'fn', version: '0' }, ['x'], needsY)).toThrow(/no y, needed by node_modules\/x/);
  });
});

describe('dist/tick/ ships the lockfile of its externals (a real build)', () => {
  const title =
    "locks exactly the externals the metafile shows, at the root lock's versions and paths, " +
    'closed under their needs; ccxt contributes only bitbank';
  it(title, { timeout: 120_000 }, async () => {
    const built = await buildFunction('tick', mkdtempSync(join(tmpdir(), 'bundle-lock-')));
    const rootLock = JSON.parse(readFileSync(join(import.meta.dirname, '../package-lock.json'), 'utf8')) as PackageLock;
    const manifest = JSON.parse(readFileSync(join(built.dir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const shipped = JSON.parse(readFileSync(join(built.dir, 'package-lock.json'), 'utf8')) as PackageLock;

    const configured = (e: string): boolean => (EXTERNAL_PACKAGES as readonly string[]).includes(e);
    const [externals, unresolved] = partition(externalPackages(built.metafile), configured);
    expect(externals).toEqual(expect.arrayContaining(['@google-cloud/firestore', '@google-cloud/functions-framework']));
    // the rest are optional require()s esbuild could not resolve: not installed for the tests either
    for (const name of unresolved) expect(resolveInLock(rootLock.packages, '', name), name).toBeUndefined();
    expect(Object.keys(manifest.dependencies).sort()).toEqual(externals);
    for (const [name, version] of Object.entries(manifest.dependencies)) {
      expect(version).toMatch(/^\d+\.\d+\.\d+/);
      expect(version).toBe(rootLock.packages[`node_modules/${name}`]?.version);
    }
    expect(shipped.packages['']?.dependencies).toEqual(manifest.dependencies);
    for (const [path, entry] of Object.entries(shipped.packages)) {
      if (path === '') continue;
      expect(entry.version, path).toBe(rootLock.packages[path]?.version);
      expect(entry.integrity, path).toBe(rootLock.packages[path]?.integrity);
      for (const dep of Object.keys(entry.dependencies ?? {})) {
        const asTested = resolveInLock(rootLock.packages, path, dep);
        expect(resolveInLock(shipped.packages, path, dep), `${path} -> ${dep}`).toBe(asTested);
      }
    }
    const bundledOrDev = (p: string): boolean => p.endsWith('node_modules/vitest') || p.endsWith('node_modules/ccxt');
    expect(Object.keys(shipped.packages).some(bundledOrDev)).toBe(false);

    const exchangeFile = /node_modules\/ccxt\/js\/src\/[a-z0-9]+\.js$/;
    const ccxtExchanges = Object.keys(built.metafile.inputs).filter((p) => exchangeFile.test(p));
    expect(ccxtExchanges).toEqual(['node_modules/ccxt/js/src/bitbank.js']);
  });
});
