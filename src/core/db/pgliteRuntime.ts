/**
 * Loading PGlite inside an esbuild CommonJS bundle (dist/extension.js, dist/cli.js).
 *
 * PGlite looks for pglite.wasm, initdb.wasm, pglite.data and the extension tarballs relative to its own module.
 * Once bundled, "its own module" is the bundle, and its ESM build even calls `createRequire(import.meta.url)`,
 * which does not exist in CJS output. We therefore (1) load PGlite through `require`, so esbuild takes the package's
 * CJS build, and (2) hand it every binary explicitly (`pgliteWasmModule`, `initdbWasmModule`, `fsBundle`, and each
 * extension's `bundlePath`) from one asset folder we find ourselves: `dist/pglite/` beside the bundle
 * (scripts/build.mjs copies the files there), else the installed packages (tests, tsx). The package itself stays
 * bundled, so the .vsix (built with --no-dependencies) needs no node_modules.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import type { PGlite as PGliteType, PGliteOptions, Extension } from '@electric-sql/pglite';

export type PGlite = PGliteType;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const pgliteModule = (): typeof import('@electric-sql/pglite') => require('@electric-sql/pglite');

let assetDirCache: { core: string; vector?: string } | undefined;

/** Where pglite.wasm & co. live: beside the bundle, or in node_modules. */
export function pgliteAssetDirs(): { core: string; vector?: string } {
  if (assetDirCache) return assetDirCache;
  const bundled = join(__dirname, 'pglite');
  if (existsSync(join(bundled, 'pglite.wasm'))) {
    assetDirCache = { core: bundled, vector: existsSync(join(bundled, 'vector.tar.gz')) ? bundled : undefined };
  } else {
    // createRequire: resolve from node_modules at run time (this branch never runs inside a bundle).
    const resolve = createRequire(__filename).resolve;
    const core = dirname(resolve('@electric-sql/pglite'));
    let vector: string | undefined;
    try {
      vector = dirname(resolve('@electric-sql/pglite-pgvector'));
    } catch {
      vector = undefined;
    }
    assetDirCache = { core, vector };
  }
  return assetDirCache;
}

/** WebAssembly is a Node global, but this project's lib settings (ES2022, no DOM) do not declare it. */
type WasmModule = NonNullable<PGliteOptions['pgliteWasmModule']>;
const webAssembly = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule> } }).WebAssembly;

/** Identifies the PGlite binaries in use (their sizes change with every release), for snapshot cache keys. */
export function runtimeFingerprint(): string {
  const dir = pgliteAssetDirs().core;
  return ['pglite.wasm', 'pglite.data'].map((f) => statSync(join(dir, f)).size).join('-');
}

const compiled = new Map<string, Promise<WasmModule>>();
function wasm(name: string): Promise<WasmModule> {
  let m = compiled.get(name);
  if (!m) {
    m = webAssembly.compile(readFileSync(join(pgliteAssetDirs().core, name)));
    compiled.set(name, m);
  }
  return m;
}

/** The tarball of an extension, by its SQL name (`uuid-ossp`, `pg_trgm`, `vector`), if this PGlite has it. */
export function extensionBundle(name: string): string | undefined {
  const dirs = pgliteAssetDirs();
  const file = name === 'vector' ? (dirs.vector ? join(dirs.vector, 'vector.tar.gz') : undefined) : join(dirs.core, `${name}.tar.gz`);
  return file && existsSync(file) ? file : undefined;
}

export interface OpenOptions {
  /** A `dumpDataDir()` tarball to start from (skips initdb). */
  snapshot?: Uint8Array;
  /** SQL names of extensions to make available (`create extension` still has to run). */
  extensions?: string[];
}

/** Starts an in-memory PGlite with its binaries loaded explicitly (see the file comment). */
export async function openPGlite(options: OpenOptions = {}): Promise<PGlite> {
  const { PGlite } = pgliteModule();
  const extensions: Record<string, Extension> = {};
  for (const name of options.extensions ?? []) {
    const file = extensionBundle(name);
    if (!file) continue;
    const bundlePath = pathToFileURL(file);
    extensions[name.replace(/\W/g, '_')] = { name, setup: async () => ({ bundlePath }) };
  }
  const opts: PGliteOptions = {
    extensions,
    relaxedDurability: true,
    pgliteWasmModule: await wasm('pglite.wasm'),
    fsBundle: new Blob([readFileSync(join(pgliteAssetDirs().core, 'pglite.data'))]),
  };
  if (options.snapshot) opts.loadDataDir = new Blob([options.snapshot]);
  else opts.initdbWasmModule = await wasm('initdb.wasm');
  const db = new PGlite(opts);
  await db.waitReady;
  return db;
}
