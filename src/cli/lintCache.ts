import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Analyzer } from '../core/analysis';
import type { CliIO } from './io';

/**
 * Where `dbe lint` keeps statement parse results between runs.
 *
 * Parsing is most of a cold run (libpg-query's WebAssembly runs unoptimised in a fresh process), and most
 * statements of a migration folder never change, so reusing parses is the cheapest speed-up. It is safe by
 * default because entries are keyed by a hash of the statement text salted with the parser's exact version
 * (see ParseCache): a changed statement or another libpg-query simply misses. Files are replaced atomically
 * (write, then rename), and a missing, partial or foreign file is ignored.
 *
 * - `--cache`: in the project, `<first PATH folder>/.dbe-cache/` (kept with the repo's CI cache, say);
 * - default: the user cache, `$DBE_CACHE/lint/` (default `~/.cache/database-engineer/lint/`), one file per
 *   project folder; write failures there are silent, since nobody asked for it;
 * - `--no-cache`: neither is read or written.
 */
export interface LintCache {
  file: string;
  /** Report write failures (the user asked for this cache). */
  explicit: boolean;
}

/** Bumped with the cached shape; the parser version is part of every key already. */
const CACHE_VERSION = 'pg18-v1';

export function lintCacheFor(opts: { cache: boolean; noCache: boolean }, firstDir: string, io: CliIO): LintCache | undefined {
  if (opts.noCache) return undefined;
  if (opts.cache) return { file: join(firstDir, '.dbe-cache', `lint-parses-${CACHE_VERSION}.json`), explicit: true };
  const root = io.env['DBE_CACHE'] || join(io.env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'database-engineer');
  const project = createHash('sha1').update(firstDir).digest('hex').slice(0, 16);
  return { file: join(root, 'lint', `${project}-${CACHE_VERSION}.json`), explicit: false };
}

export function loadParseCache(analyzer: Analyzer, cache: LintCache): void {
  let entries: unknown;
  try {
    entries = JSON.parse(readFileSync(cache.file, 'utf8'));
  } catch {
    return; // Missing or unreadable: parse everything, and write a fresh one afterwards.
  }
  analyzer.loadParses(entries);
}

export function saveParseCache(analyzer: Analyzer, cache: LintCache, io: CliIO): void {
  const tmp = `${cache.file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(cache.file), { recursive: true });
    writeFileSync(tmp, JSON.stringify(analyzer.saveParses()));
    renameSync(tmp, cache.file);
  } catch (err) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The folder itself is unusable: nothing was written.
    }
    if (cache.explicit) io.stderr(`dbe lint: could not write the cache ${cache.file}: ${(err as Error).message}\n`);
  }
}
