/**
 * The lockfile a bundle ships for what it leaves external, so Cloud Build (`npm ci` when a
 * package-lock.json is present) installs the very packages the tested build ran with: the externals the
 * esbuild metafile shows imported, at the root package-lock.json's versions, with every package they
 * need at the same place in the tree. Pure: the metafile and the root lock in, the files' content out.
 */
import type { Metafile } from 'esbuild';
import { isBuiltin } from 'node:module';

export interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  peer?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}
export interface PackageLock {
  name?: string;
  version?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

/** The npm packages a bundle imports but does not contain, by package name. */
export function externalPackages(metafile: Metafile): string[] {
  const names = new Set<string>();
  for (const input of Object.values(metafile.inputs)) {
    for (const imported of input.imports) {
      // esbuild lists its own helpers as `<runtime>`; Node's built-ins and relative paths are no packages
      if (imported.external !== true || isBuiltin(imported.path) || /^(\.|<)/.test(imported.path)) continue;
      const parts = imported.path.split('/');
      names.add(imported.path.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string));
    }
  }
  return [...names].sort();
}

/** Where npm finds `dep` for the package installed at `from` ('' = the root): the nearest node_modules up the tree. */
export function resolveInLock(
  packages: Readonly<Record<string, LockEntry>>,
  from: string,
  dep: string,
): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base ? `${base}/node_modules/${dep}` : `node_modules/${dep}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut < 0 ? '' : base.slice(0, cut);
  }
}

/** Every dependency an installed package needs, and whether it may be missing. */
function needs(entry: LockEntry): Array<{ dep: string; optional: boolean }> {
  return [
    ...Object.keys(entry.dependencies ?? {}).map((dep) => ({ dep, optional: false })),
    ...Object.keys(entry.optionalDependencies ?? {}).map((dep) => ({ dep, optional: true })),
    ...Object.keys(entry.peerDependencies ?? {}).map((dep) => ({
      dep,
      optional: entry.peerDependenciesMeta?.[dep]?.optional === true,
    })),
  ];
}

/**
 * The bundle's package.json dependencies (exact versions) and package-lock.json: the externals and
 * everything they need, copied from the root lock at the same paths (so each resolves as it did in
 * the tested tree). Throws when a needed package is not in the root lock.
 */
export function bundleLock(
  meta: { name: string; version: string },
  externals: readonly string[],
  root: PackageLock,
): { dependencies: Record<string, string>; lock: PackageLock } {
  const packages: Record<string, LockEntry> = {};
  const dependencies: Record<string, string> = {};
  const visit = (path: string): void => {
    if (packages[path]) return;
    const entry = root.packages[path] as LockEntry;
    const { dev: _dev, devOptional, ...rest } = entry;
    packages[path] = devOptional ? { ...rest, optional: true } : rest;
    for (const { dep, optional } of needs(entry)) {
      const found = resolveInLock(root.packages, path, dep);
      if (found) visit(found);
      else if (!optional) throw new Error(`package-lock.json has no ${dep}, needed by ${path}`);
    }
  };
  for (const name of externals) {
    const path = resolveInLock(root.packages, '', name);
    const version = path ? root.packages[path]?.version : undefined;
    if (!path || !version) {
      throw new Error(`package-lock.json has no ${name}: add it to package.json and run npm install`);
    }
    dependencies[name] = version;
    visit(path);
  }
  const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => a.localeCompare(b)));
  return {
    dependencies,
    lock: {
      name: meta.name,
      version: meta.version,
      lockfileVersion: 3,
      requires: true,
      packages: { '': { name: meta.name, version: meta.version, dependencies }, ...sorted },
    },
  };
}
