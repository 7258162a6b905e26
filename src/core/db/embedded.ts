/**
 * The embedded default database: an in-process PGlite built from the workspace's migrations, so EXPLAIN works with
 * no server at all. Built once per migrations content and cached on disk as a `dumpDataDir()` snapshot; reopening a
 * snapshot takes well under a second where a fresh build pays PGlite's initdb (~5 s) plus the migrations.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { join } from 'node:path';
import { findMigrationFiles, displayPath } from '../workspace/migrations';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { openPGlite, extensionBundle, runtimeFingerprint, type PGlite } from './pgliteRuntime';
import { parseScript } from '../sql/script';
import { utf16OffsetOfCodePoint } from '../sql/positions';
import { BOOTSTRAP_EXTENSIONS, BOOTSTRAP_VERSION, SUPABASE_BOOTSTRAP_SQL } from './supabaseBootstrap';
import { fillSyntheticRows } from './synthetic';

/** A migration statement the embedded database refused: the server's message at the statement's line. */
export interface MigrationIssue {
  /** Workspace-relative path (`<bootstrap>` for our own setup SQL). */
  file: string;
  /** 1-based line in the file. */
  line: number;
  message: string;
}

export interface EmbeddedBuildOptions {
  /** Workspace root. */
  root: string;
  /** Migration folders relative to root (see findMigrationFiles); detected when omitted. */
  folders?: string[];
  /** Where snapshots live. Default: the OS cache dir + database-engineer/embedded. */
  cacheDir?: string;
  /** Synthetic rows per table (0 = none). */
  rows?: number;
  /** Called before each migration file while building. */
  onProgress?: (p: { index: number; total: number; file: string }) => void;
  log?: Logger;
}

export interface EmbeddedDatabase {
  db: PGlite;
  /** Statements that failed (the rest applied). */
  issues: MigrationIssue[];
  /** The migration files applied, workspace-relative, in order. */
  files: string[];
  /** True when opened from a cached snapshot rather than built. */
  fromCache: boolean;
  key: string;
  /** The extension bundles PGlite was started with (a copy must start with the same). */
  extensions: string[];
  close(): Promise<void>;
}

interface SnapshotMeta {
  key: string;
  extensions: string[];
  issues: MigrationIssue[];
  files: string[];
}

let builds = 0;
/** How many times a database was built from migrations in this process (snapshot reuse does not count). */
export function embeddedBuildCount(): number {
  return builds;
}

export function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME
    || (platform() === 'darwin' ? join(homedir(), 'Library', 'Caches')
      : platform() === 'win32' ? (process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'))
        : join(homedir(), '.cache'));
  return join(base, 'database-engineer', 'embedded');
}

interface MigrationInput {
  files: { rel: string; text: string }[];
  key: string;
  extensions: string[];
}

function readMigrations(options: EmbeddedBuildOptions): MigrationInput {
  const set = findMigrationFiles(options.root, options.folders);
  // Supabase applies supabase/seed.sql after the migrations (`supabase db reset`); its rows shape the plans.
  const seed = join(options.root, 'supabase', 'seed.sql');
  if (set.folders.includes('supabase/migrations') && existsSync(seed) && !set.files.includes(seed)) set.files.push(seed);
  // The runtime fingerprint keeps a snapshot from another PGlite build (another PostgreSQL catalog) from being reused.
  const hash = createHash('sha256').update(`${BOOTSTRAP_VERSION}\0${runtimeFingerprint()}\0rows=${options.rows ?? 0}\0`);
  const files = set.files.map((abs) => {
    const rel = displayPath(options.root, abs);
    const text = readFileSync(abs, 'utf8');
    hash.update(rel).update('\0').update(text).update('\0');
    return { rel, text };
  });
  // Extension bundles must be loaded when PGlite starts, so the set comes from the migrations' text.
  const extensions = extensionsIn(files.map((f) => f.text), BOOTSTRAP_EXTENSIONS);
  return { files, key: hash.digest('hex').slice(0, 32), extensions };
}

/** The extensions PGlite has bundles for among `base` and those the SQL texts create, sorted. */
function extensionsIn(texts: string[], base: Iterable<string>): string[] {
  const wanted = new Set(base);
  for (const text of texts) {
    for (const m of text.matchAll(/create\s+extension\s+(?:if\s+not\s+exists\s+)?"?([\w-]+)"?/gi)) wanted.add(m[1]!.toLowerCase());
  }
  return [...wanted].filter((e) => extensionBundle(e)).sort();
}

/** The snapshot key of the workspace's current migrations (changes when any migration file does). */
export function migrationsKey(options: EmbeddedBuildOptions): string {
  return readMigrations(options).key;
}

/** Opens the embedded database for the workspace's current migrations: from the snapshot cache, else built. */
export async function openEmbedded(options: EmbeddedBuildOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? silentLogger;
  const input = readMigrations(options);
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const snapFile = join(cacheDir, `${input.key}.tar.gz`);
  const metaFile = join(cacheDir, `${input.key}.json`);
  if (existsSync(snapFile) && existsSync(metaFile)) {
    try {
      const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as SnapshotMeta;
      const db = await openPGlite({ snapshot: readFileSync(snapFile), extensions: meta.extensions });
      log.info(`embedded database opened from snapshot ${input.key}`);
      return wrap(db, meta.issues, meta.files, true, input.key, meta.extensions);
    } catch (err) {
      log.warn(`embedded snapshot ${input.key} unusable, rebuilding: ${(err as Error).message}`);
    }
  }
  const { db, issues } = await build(input, options);
  try {
    mkdirSync(cacheDir, { recursive: true });
    const dump = await db.dumpDataDir('gzip');
    const bytes = new Uint8Array(await dump.arrayBuffer());
    // Write-then-rename so a concurrent reader never sees half a snapshot.
    const tmp = `${snapFile}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, snapFile);
    const meta: SnapshotMeta = { key: input.key, extensions: input.extensions, issues, files: input.files.map((f) => f.rel) };
    writeFileSync(metaFile, JSON.stringify(meta, null, 1));
    pruneCache(cacheDir, 6);
  } catch (err) {
    log.warn(`embedded snapshot not saved: ${(err as Error).message}`);
  }
  return wrap(db, issues, input.files.map((f) => f.rel), false, input.key, input.extensions);
}

function wrap(db: PGlite, issues: MigrationIssue[], files: string[], fromCache: boolean, key: string, extensions: string[]): EmbeddedDatabase {
  return { db, issues, files, fromCache, key, extensions, close: () => (db.closed ? Promise.resolve() : db.close()) };
}

/**
 * A throwaway copy of the embedded database with a proposed migration (`sql`, named `file`) applied: a second PGlite
 * opened from the snapshot `base` came from (or from a dump of `base` when the snapshot could not be saved), the SQL
 * applied statement by statement as the build applies migrations. `refused` lists the statements PostgreSQL refused.
 * The caller closes it; `base` and the snapshot are never changed, so nothing the SQL does outlives the copy.
 */
export async function openCopy(base: EmbeddedDatabase, cacheDir: string, file: string, sql: string): Promise<{ db: PGlite; refused: MigrationIssue[] }> {
  const snapFile = join(cacheDir, `${base.key}.tar.gz`);
  const snapshot = existsSync(snapFile) ? readFileSync(snapFile) : new Uint8Array(await (await base.db.dumpDataDir('gzip')).arrayBuffer());
  const db = await openPGlite({ snapshot, extensions: extensionsIn([sql], base.extensions) });
  try {
    const refused: MigrationIssue[] = [];
    await db.exec(`set search_path = "$user", public, extensions`);
    await applySql((s) => db.exec(s), file, sql, refused);
    // Fresh statistics for what the migration built (an index), as the build's own ANALYZE gives the migrations.
    if (refused.length === 0) await db.exec('analyze');
    return { db, refused };
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
}

async function build(input: MigrationInput, options: EmbeddedBuildOptions): Promise<{ db: PGlite; issues: MigrationIssue[] }> {
  builds++;
  const db = await openPGlite({ extensions: input.extensions });
  const issues: MigrationIssue[] = [];
  try {
    const exec = (sql: string) => db.exec(sql);
    await applySql(exec, '<bootstrap>', SUPABASE_BOOTSTRAP_SQL, issues);
    await db.exec(`alter database postgres set search_path = "$user", public, extensions; set search_path = "$user", public, extensions`);
    for (let i = 0; i < input.files.length; i++) {
      const f = input.files[i]!;
      options.onProgress?.({ index: i + 1, total: input.files.length, file: f.rel });
      await applySql(exec, f.rel, f.text, issues);
      // A migration that changed search_path or role must not leak into the next file.
      await db.exec(`reset role; set search_path = "$user", public, extensions`).catch(() => {});
    }
    if ((options.rows ?? 0) > 0) {
      const problems = await fillSyntheticRows(db, { rows: options.rows! });
      for (const p of problems) issues.push({ file: '<synthetic rows>', line: 0, message: p });
    }
    await db.exec('analyze');
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
  return { db, issues };
}

/**
 * Applies one file statement by statement in autocommit: a failing statement undoes only itself (as a savepoint
 * would) and the rest still applies; statements that refuse transaction blocks (CREATE INDEX CONCURRENTLY, VACUUM)
 * just work. The file's own BEGIN/COMMIT are skipped — they would only group statements we apply one by one.
 */
export async function applySql(exec: (sql: string) => Promise<unknown>, file: string, sql: string, issues: MigrationIssue[]): Promise<void> {
  const split = await parseScript(sql, file);
  if (!split.ok) {
    issues.push({ file, line: split.line, message: `${split.message} (the file could not be parsed, so none of it was applied)` });
    return;
  }
  for (const st of split.statements) {
    if (st.kind === 'TransactionStmt') continue;
    try {
      await exec(st.text);
    } catch (err) {
      const e = err as { message?: string; position?: string };
      // The server's position (1-based code points into the statement) refines the line.
      const pos = Number(e.position);
      const extra = pos > 0 ? countNewlines(st.text.slice(0, utf16OffsetOfCodePoint(st.text, pos - 1))) : 0;
      let message = e.message ?? String(err);
      if (/^extension ".*" is not available/.test(message)) message += ' in the embedded database (PGlite); it is skipped, and objects that use it will be missing there';
      issues.push({ file, line: st.line + extra, message });
      // A failure inside an explicit transaction leaves it aborted; clear it so the next statement runs.
      await exec('rollback').catch(() => {});
    }
  }
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

/** Keeps the newest `keep` snapshots. */
function pruneCache(dir: string, keep: number): void {
  const snaps = readdirSync(dir).filter((f) => f.endsWith('.tar.gz'))
    .map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs })).sort((a, b) => b.t - a.t);
  for (const { f } of snaps.slice(keep)) {
    rmSync(join(dir, f), { force: true });
    rmSync(join(dir, f.replace(/\.tar\.gz$/, '.json')), { force: true });
  }
}
