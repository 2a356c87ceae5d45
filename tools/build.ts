/**
 * Bundles each function into dist/<name>/ (index.js, a package.json whose dependencies are only what
 * stays external, at exact versions, and their package-lock.json: tools/bundle-lock.ts) and prints each
 * bundle's size.
 */
import { build, type Metafile, type Plugin } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FUNCTION_NAMES } from '../functions/registry.js';
import { bundleLock, externalPackages, type PackageLock } from './bundle-lock.js';
import { chartLibraryFile } from '../shared/app/dashboard/page.js';
import { ccxtBitbankUrl } from '../shared/adapters/bitbank/ccxt-bitbank-file.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  engines: { node: string };
  dependencies: Record<string, string>;
};
const rootLock = (): PackageLock => JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as PackageLock;

/** Packages that must stay external: the framework that hosts the function, and Google clients that load proto files at run time. */
export const EXTERNAL_PACKAGES = [
  '@google-cloud/functions-framework',
  '@google-cloud/firestore',
  '@google-cloud/logging',
  '@google-cloud/storage',
] as const;

/** Files a bundle reads at run time next to its index.js (the dashboard inlines the chart library). */
const RUNTIME_ASSETS: Record<string, Array<() => string>> = { health: [chartLibraryFile] };

function gitRevision(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'nogit';
  }
}

/**
 * The alias that keeps ccxt's 100+ other exchanges out of a bundle: the adapter's `./ccxt-bitbank.js`
 * (which loads the class at run time under tsx and vitest) becomes ccxt's bitbank file itself, found
 * by the package resolver.
 */
export const ccxtBitbankAlias: Plugin = {
  name: 'ccxt-bitbank',
  setup(b) {
    b.onResolve({ filter: /^\.\/ccxt-bitbank\.js$/ }, () => ({ path: fileURLToPath(ccxtBitbankUrl()) }));
  },
};

/** One input of a bundle and the bytes it contributes to the output (esbuild's metafile). */
export interface BundleInput {
  readonly path: string;
  readonly bytes: number;
}

/** The largest inputs of a bundle by bytes in its output, from esbuild's metafile. */
export function topInputs(metafile: Metafile, count = 10): BundleInput[] {
  const inputs = Object.values(metafile.outputs).flatMap((o) =>
    Object.entries(o.inputs).map(([path, i]) => ({ path, bytes: i.bytesInOutput })),
  );
  return inputs.sort((a, b) => b.bytes - a.bytes).slice(0, count);
}

/** Sums a bundle's inputs by npm package (first-party files under `(own)`). */
export function bytesByPackage(metafile: Metafile): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of Object.values(metafile.outputs)) {
    for (const [path, i] of Object.entries(o.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
      const key = m?.[1] ?? '(own)';
      out[key] = (out[key] ?? 0) + i.bytesInOutput;
    }
  }
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
}

/**
 * `extraSource` is appended to the entry (the bench builds a variant that imports all of ccxt).
 * One file, not code split: with esbuild's splitting the bundled ccxt's requests to the fake
 * bitbank failed ("fetch failed", bench/tick.bench.ts), so what is reached only through `import()`
 * (yahoo-finance2) stays in index.js, wrapped lazily: parsed, but evaluated only when first used.
 * `bytes` counts every output file, `startupBytes` what a cold start loads (the same while one file).
 */
export async function buildFunction(
  name: string,
  outRoot = join(root, 'dist'),
  extraSource = '',
): Promise<{ name: string; bytes: number; startupBytes: number; dir: string; metafile: Metafile }> {
  const dir = join(outRoot, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const version = `${rootPackage.version}+${gitRevision()}`;
  const result = await build({
    metafile: true,
    stdin: {
      contents: `import { http } from '@google-cloud/functions-framework';\nimport { ${name} } from './functions/${name}.js';\nhttp('${name}', ${name});\n${extraSource}`,
      resolveDir: root,
      sourcefile: `entry-${name}.ts`,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    outdir: dir,
    entryNames: 'index',
    chunkNames: 'chunks/[name]-[hash]',
    splitting: false,
    external: [...EXTERNAL_PACKAGES],
    plugins: [ccxtBitbankAlias],
    define: { 'process.env.BOT_BUILD_VERSION': JSON.stringify(version) },
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    legalComments: 'none',
    logLevel: 'warning',
  });
  // What stays external, at the versions the tests ran with: exact in package.json, the whole tree in package-lock.json.
  const meta = { name: `crypto-bot-${name.toLowerCase()}`, version: rootPackage.version };
  // (esbuild also leaves out what a bundled package require()s inside try/catch and is not installed: ws's
  // optional utf-8-validate, say; absent when tested, absent when deployed.)
  const externals = externalPackages(result.metafile).filter((p) =>
    (EXTERNAL_PACKAGES as readonly string[]).includes(p),
  );
  const { dependencies, lock } = bundleLock(meta, externals, rootLock());
  const manifest = {
    ...meta,
    private: true,
    type: 'module',
    main: 'index.js',
    engines: rootPackage.engines,
    dependencies,
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  for (const asset of RUNTIME_ASSETS[name] ?? []) {
    copyFileSync(asset(), join(dir, basename(asset())));
  }
  const outputs = result.metafile.outputs;
  const bytes = Object.values(outputs).reduce((sum, o) => sum + o.bytes, 0);
  const entry = Object.keys(outputs).find((file) => basename(file) === 'index.js') as string;
  const loaded = new Set<string>();
  const visit = (file: string): void => {
    if (loaded.has(file) || !outputs[file]) return;
    loaded.add(file);
    for (const imported of outputs[file].imports) if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(entry);
  const startupBytes = [...loaded].reduce((sum, file) => sum + (outputs[file]?.bytes ?? 0), 0);
  return { name, bytes, startupBytes, dir, metafile: result.metafile };
}

async function main(): Promise<void> {
  const results = [];
  for (const name of FUNCTION_NAMES) results.push(await buildFunction(name));
  for (const r of results) console.log(`dist/${r.name}/index.js  ${(r.bytes / 1024).toFixed(1)} KiB`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
