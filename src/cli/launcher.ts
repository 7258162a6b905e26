/**
 * dist/cli.js: the smallest possible start. `dbe lint` loads the lean lint bundle (dist/lint.js) through V8's code
 * cache; every other command loads the full CLI (dist/cli-main.js). Node 20 has no `module.enableCompileCache()`,
 * so the cache is kept by hand: the compiled code of the bundle, produced after the first run, is stored in
 * `$DBE_CACHE/v8/` (default `~/.cache/database-engineer/v8/`) keyed by the bundle's size and mtime; V8 rejects a
 * cache that does not match its own version or flags, and it is then rewritten.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { processIO } from './io';
import { mark, startTiming } from './timing';

type LintBundle = { runLint(args: string[]): Promise<number> };

function loadWithCodeCache(file: string): LintBundle {
  const source = readFileSync(file, 'utf8');
  let cacheFile: string | undefined;
  let cached: Buffer | undefined;
  try {
    const st = statSync(file);
    const root = process.env['DBE_CACHE'] || join(process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'database-engineer');
    cacheFile = join(root, 'v8', `lint-${process.version}-${st.size}-${Math.floor(st.mtimeMs)}.cache`);
    cached = readFileSync(cacheFile);
  } catch {
    // no cache yet (or no home): compile from source
  }
  const script = new Script(wrap(source), { filename: file, ...(cached ? { cachedData: cached } : {}) });
  const mod = { exports: {} as LintBundle };
  (script.runInThisContext() as (...a: unknown[]) => void).call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
  if (cacheFile && (!cached || script.cachedDataRejected)) {
    // After the run, so the functions the run compiled are in the cache too.
    const target = cacheFile;
    process.once('exit', () => {
      try {
        mkdirSync(dirname(target), { recursive: true });
        const tmp = `${target}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, target);
        // The caches of earlier builds or Node versions are never read again (about 0.5 MB each).
        const dir = dirname(target);
        for (const f of readdirSync(dir)) if (/^lint-.*\.cache$/.test(f) && join(dir, f) !== target) rmSync(join(dir, f), { force: true });
      } catch {
        // a read-only cache folder only costs speed
      }
    });
  }
  mark('lint bundle loaded');
  return mod.exports;
}

const args = process.argv.slice(2);
if (args[0] === 'lint') {
  startTiming(process.env);
  // `dbe lint` lives for a second or two, so V8's defaults for long-lived processes cost more than they save:
  // - V8's JS optimiser spends more CPU compiling the analyser than its code saves in that time (a whole-corpus
  //   lint uses about a third less CPU without it);
  // - libpg-query's wasm tiers up its hottest functions to TurboFan in background threads: about 1.7 s of CPU and
  //   50 MB of memory for a few functions of the grammar and JSON output (bodies of up to 100 KB), which on a
  //   two-core machine slows the main thread, and which the process then waits for at exit. Liftoff's baseline
  //   code alone cuts the CPU of a 20-file lint by two thirds, of a 200-file one by a third, and of an 800-file
  //   one (21,000 statements) still by a third (bench/lint.ts's corpus). Set before the module compiles;
  // - the young generation grows to 2 × 16 MB by default; a lint keeps most of what it allocates (parse trees), so
  //   the growth buys little: held at its initial size, a 200-file lint peaks at 84 MB instead of 109 MB for the
  //   same CPU. (Only flags read while running can be set here: the heap's limits are fixed at start-up.)
  setFlagsFromString('--no-opt');
  setFlagsFromString('--liftoff-only');
  setFlagsFromString('--semi-space-growth-factor=1');
  loadWithCodeCache(join(__dirname, 'lint.js')).runLint(args.slice(1)).then((code) => {
    process.exitCode = code;
  });
} else {
  const cli = require('./cli-main.js') as { main(argv: string[], io: ReturnType<typeof processIO>): Promise<number> };
  void cli.main(args, processIO()).then((code) => {
    process.exitCode = code;
  });
}
