// Bundles the three faces with esbuild: the extension host code, the `dbe` CLI, and the webview app.
// libpg-query loads its .wasm from beside the bundle, so it is copied into dist/.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const production = process.argv.includes('--production');
const withTests = process.argv.includes('--tests');

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

mkdirSync(join(root, 'dist'), { recursive: true });

/** Leaves the Prisma schema parser out of a bundle: it is required from dist/prisma-ast.js when first used. */
const prismaAstApart = {
  name: 'prisma-ast-apart',
  setup(build) {
    build.onResolve({ filter: /^@mrleebo\/prisma-ast/ }, () => ({ path: './prisma-ast.js', external: true }));
  },
};

/**
 * Node built-ins a lint run seldom needs (hashing only with the parse cache on, the embedded database's worker and
 * async reads never), required when first used rather than when dist/lint.js loads: each costs a few milliseconds
 * of a start that is tens of them. Only named imports stay lazy (`import { x } from 'node:…'`, read as `mod.x` at
 * the call); a namespace or default import would load the module at once.
 */
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(build) {
    build.onResolve({ filter: /^node:(crypto|worker_threads|fs\/promises)$/ }, (args) => ({ path: args.path.slice('node:'.length), namespace: 'lazy-builtin' }));
    // Every export becomes a getter that requires the module: esbuild's import interop copies getters as getters.
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: `let m;\nfor (const key of ${JSON.stringify(Object.keys(require(args.path)))}) Object.defineProperty(module.exports, key, { enumerable: true, get: () => (m ??= require(${JSON.stringify(args.path)}))[key] });\n`,
      loader: 'js',
    }));
  },
};

// The extension is two bundles: the shell (extension.js: activation registers the contributions) and the services
// (engine.js), which the shell requires lazily (src/vscode/ctx.ts) so activating evaluates none of the heavy parts.
// This keeps that require a require of the separate file rather than inlining it.
const engineApart = {
  name: 'engine-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/engine$/ }, (args) => (args.importer.endsWith(join('src', 'vscode', 'ctx.ts')) ? { path: './engine.js', external: true } : undefined));
  },
};

const builds = [
  esbuild.build({ ...node, entryPoints: ['src/vscode/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [engineApart], metafile: true })
    .then((r) => checkShell(r.metafile)),
  // pg-native: node-postgres requires it only for its optional native mode, which we never use.
  esbuild.build({ ...node, entryPoints: ['src/vscode/engine.ts'], outfile: 'dist/engine.js', external: ['vscode', 'pg-native'] }),
  // dist/cli.js is a small launcher: `dbe lint` loads the lean dist/lint.js (with V8's code cache), every other
  // command the full CLI in dist/cli-main.js.
  esbuild.build({ ...node, entryPoints: ['src/cli/launcher.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, external: ['./cli-main.js'] }),
  esbuild.build({ ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli-main.js', define: { VERSION: JSON.stringify(pkg.version) }, external: ['pg-native'] }),
  // The lint command alone; the Prisma schema parser (chevrotain, lodash) is a bundle of its own, loaded only when
  // the project has .prisma files.
  esbuild.build({ ...node, entryPoints: ['src/cli/lintMain.ts'], outfile: 'dist/lint.js', define: { VERSION: JSON.stringify(pkg.version) }, external: ['pg-native'], plugins: [prismaAstApart, lazyBuiltins], supported: { 'dynamic-import': false } }),
  esbuild.build({ ...node, entryPoints: ['node_modules/@mrleebo/prisma-ast/dist/prisma-ast.esm.js'], outfile: 'dist/prisma-ast.js' }),
  // The embedded database's worker thread (src/core/db/embeddedService.ts starts it from beside the bundle).
  esbuild.build({ ...node, entryPoints: ['src/core/db/embeddedWorker.ts'], outfile: 'dist/embeddedWorker.js', external: ['pg-native'] }),
];
if (existsSync(join(root, 'src/webview/main.ts'))) {
  builds.push(esbuild.build({
    bundle: true, platform: 'browser', target: 'es2022', format: 'iife', sourcemap: !production,
    minify: production, logLevel: 'warning', absWorkingDir: root,
    entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js',
    loader: { '.css': 'css' },
  }));
}
if (withTests) {
  // The extension-host suite: each file compiled on its own so Mocha can load them by glob.
  const suiteDir = join(root, 'test/editor/suite');
  // Start clean: the runner loads every *.test.js in the folder, so a deleted test must not linger.
  rmSync(join(root, 'out/test/suite'), { recursive: true, force: true });
  const entries = readdirSync(suiteDir).filter((f) => f.endsWith('.ts')).map((f) => `test/editor/suite/${f}`);
  builds.push(esbuild.build({ ...node, entryPoints: entries, outdir: 'out/test/suite', external: ['vscode', 'mocha'] }));
}
await Promise.all(builds);

/** The shell must stay light: no npm package and nothing of src/core may end up in it (they belong in engine.js). */
function checkShell(metafile) {
  const heavy = Object.keys(metafile.inputs).filter((f) => f.includes('node_modules/') || f.startsWith('src/core/'));
  if (heavy.length) throw new Error(`dist/extension.js must not bundle ${heavy.slice(0, 5).join(', ')}${heavy.length > 5 ? ' …' : ''}: import it from the services (src/vscode/engine.ts) instead`);
}

for (const wasm of ['libpg-query.wasm']) {
  copyFileSync(join(root, 'node_modules/libpg-query/wasm', wasm), join(root, 'dist', wasm));
}

// PGlite's binaries (wasm, fs bundle, extension tarballs) beside the bundles in dist/pglite/: the embedded database
// loads them from there explicitly (see src/core/db/pgliteRuntime.ts for why).
const pgliteDist = join(root, 'node_modules/@electric-sql/pglite/dist');
mkdirSync(join(root, 'dist/pglite'), { recursive: true });
for (const f of readdirSync(pgliteDist)) {
  if (/^(pglite\.wasm|pglite\.data|initdb\.wasm)$|\.tar\.gz$/.test(f)) copyFileSync(join(pgliteDist, f), join(root, 'dist/pglite', f));
}
const vectorTar = join(root, 'node_modules/@electric-sql/pglite-pgvector/dist/vector.tar.gz');
if (existsSync(vectorTar)) copyFileSync(vectorTar, join(root, 'dist/pglite/vector.tar.gz'));
