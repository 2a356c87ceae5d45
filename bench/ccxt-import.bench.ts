/**
 * Cold import cost of ccxt: the bitbank class alone (what the adapter imports) against the whole
 * library, each import in a fresh `node` process, several runs; also both as esbuild bundles (how
 * the functions ship). Prints one JSON object. Run: `npx tsx bench/ccxt-import.bench.ts [runs]`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ccxtBitbankUrl } from '../shared/adapters/bitbank/ccxt-bitbank-file.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 5);
const bitbankFile = fileURLToPath(ccxtBitbankUrl());

const VARIANTS = {
  'bitbank-only': `await import(${JSON.stringify(pathToFileURL(bitbankFile).href)}).then((m) => m.default)`,
  'full-ccxt': `await import('ccxt').then((m) => m.default.bitbank ?? m.bitbank)`,
} as const;

/** The child: times the import and one construction, then reports memory. */
const probe = (load: string): string => `
const t0 = performance.now();
const Bitbank = ${load};
const importMs = performance.now() - t0;
const ex = new Bitbank({ timeout: 1000 });
const constructMs = performance.now() - t0 - importMs;
const m = process.memoryUsage();
console.log(JSON.stringify({ importMs, constructMs, rssMb: m.rss / 1048576, heapUsedMb: m.heapUsed / 1048576, id: ex.id }));
`;

interface Sample {
  importMs: number;
  constructMs: number;
  rssMb: number;
  heapUsedMb: number;
}

function runChild(args: string[]): Sample & { processMs: number } {
  const started = performance.now();
  const out = execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  const processMs = performance.now() - started;
  return { ...(JSON.parse(out.trim().split('\n').pop() as string) as Sample), processMs };
}

function summarize(objects: readonly object[]): Record<string, { median: number; min: number; max: number }> {
  const samples = objects as ReadonlyArray<Record<string, unknown>>;
  const keys = Object.keys(samples[0] ?? {}).filter((k) => typeof samples[0]?.[k] === 'number');
  return Object.fromEntries(
    keys.map((k) => {
      const v = samples.map((s) => s[k] as number).sort((a, b) => a - b);
      const round = (x: number): number => Math.round(x * 10) / 10;
      return [
        k,
        {
          median: round(v[Math.floor(v.length / 2)] as number),
          min: round(v[0] as number),
          max: round(v[v.length - 1] as number),
        },
      ];
    }),
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ccxt-import-bench-'));
  const result: Record<string, unknown> = { node: process.version, runs };
  try {
    for (const [name, load] of Object.entries(VARIANTS)) {
      const source = probe(load);
      const plain = Array.from({ length: runs }, () => runChild(['--input-type=module', '-e', source]));
      // the same probe bundled by esbuild as tools/build.ts does (ccxt inside the bundle)
      const entry = join(dir, `${name}.mjs`);
      const bundle = join(dir, `${name}.bundle.mjs`);
      writeFileSync(
        entry,
        source.replace(
          load,
          name === 'bitbank-only'
            ? `(await import(${JSON.stringify(bitbankFile)})).default`
            : `(await import('ccxt')).bitbank`,
        ),
      );
      await build({
        entryPoints: [entry],
        bundle: true,
        platform: 'node',
        target: 'node22',
        format: 'esm',
        outfile: bundle,
        absWorkingDir: root,
        nodePaths: [join(root, 'node_modules')],
        banner: {
          js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
        },
        logLevel: 'silent',
      });
      const bundled = Array.from({ length: runs }, () => runChild([bundle]));
      result[name] = {
        plain: summarize(plain),
        bundled: { bytes: statSync(bundle).size, ...summarize(bundled) },
      };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(JSON.stringify(result, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
