import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Which tool applies the project's migrations, and so whether each file runs inside a transaction.
 * Several rules depend on it: CONCURRENTLY fails inside a transaction, a lock taken early is held until
 * the transaction ends, a new enum value cannot be used before it commits.
 *
 * Three ways a tool can run a file:
 * - `atomic`: the whole file is one transaction (a multi-statement query, a pipeline, or BEGIN per file
 *   that restarts after an explicit COMMIT). A file holding a single statement runs that statement alone,
 *   so `CREATE INDEX CONCURRENTLY` works only as the sole statement of its file.
 * - `wrapped`: the tool sends BEGIN before the file and COMMIT after it, statement by statement. An explicit
 *   COMMIT in the file ends that transaction and later statements autocommit; CONCURRENTLY needs the
 *   tool's per-migration opt-out.
 * - `none`: every statement commits on its own unless the file says BEGIN.
 */
export type TransactionMode = 'atomic' | 'wrapped' | 'none';

export const MIGRATION_TOOL_IDS = ['supabase', 'prisma', 'node-pg-migrate', 'golang-migrate', 'flyway', 'dbmate', 'rails', 'knex', 'psql'] as const;
export type MigrationToolId = (typeof MIGRATION_TOOL_IDS)[number];

export interface MigrationTool {
  id: MigrationToolId;
  name: string;
  /** The name as a sentence uses it ("the Supabase CLI"). */
  called: string;
  mode: TransactionMode;
  /** How a migration opts out of the transaction, when the tool has a way. */
  optOut?: string;
}

export const MIGRATION_TOOLS: Record<MigrationToolId, MigrationTool> = {
  supabase: { id: 'supabase', name: 'Supabase CLI', called: 'the Supabase CLI', mode: 'atomic', optOut: 'put the statement alone in its own migration file' },
  prisma: { id: 'prisma', name: 'Prisma Migrate', called: 'Prisma Migrate', mode: 'atomic', optOut: 'put the statement alone in its own migration' },
  'node-pg-migrate': { id: 'node-pg-migrate', name: 'node-pg-migrate', called: 'node-pg-migrate', mode: 'wrapped', optOut: 'pgm.noTransaction() in a JavaScript migration' },
  'golang-migrate': { id: 'golang-migrate', name: 'golang-migrate', called: 'golang-migrate', mode: 'atomic', optOut: 'x-multi-statement=true in the database URL, or the statement alone in its file' },
  flyway: { id: 'flyway', name: 'Flyway', called: 'Flyway', mode: 'atomic', optOut: 'the statement alone in its migration (Flyway runs it outside a transaction) or executeInTransaction=false' },
  dbmate: { id: 'dbmate', name: 'dbmate', called: 'dbmate', mode: 'wrapped', optOut: '-- migrate:up transaction:false' },
  rails: { id: 'rails', name: 'Rails (Active Record migrations)', called: 'Rails', mode: 'wrapped', optOut: 'disable_ddl_transaction! in the migration' },
  knex: { id: 'knex', name: 'Knex', called: 'Knex', mode: 'wrapped', optOut: 'exports.config = { transaction: false } in the migration' },
  psql: { id: 'psql', name: 'psql or a plain runner', called: 'the migration runner', mode: 'none' },
};

export const isMigrationToolId = (s: unknown): s is MigrationToolId => typeof s === 'string' && (MIGRATION_TOOL_IDS as readonly string[]).includes(s);

/** What a project's config may say about it (`.dbe.json` "migrationTool" and "transactional"). */
export interface MigrationToolConfig {
  migrationTool?: MigrationToolId;
  /** true: every file runs in a transaction the tool opens (BEGIN … COMMIT); false: none does. */
  transactional?: boolean;
}

/**
 * The tool a migration path's layout names, with no file system access (the editor and rules use it
 * when no tool was detected or configured). Undefined when the layout says nothing.
 */
export function toolForPath(path: string, text?: string): MigrationToolId | undefined {
  const p = path.replace(/\\/g, '/');
  if (text !== undefined && /^\s*--\s*migrate:up\b/m.test(text)) return 'dbmate';
  if (/(^|\/)supabase\/migrations\//.test(p)) return 'supabase';
  if (basename(p) === 'migration.sql' && /^\d{8,}_/.test(basename(dirname(p)))) return 'prisma';
  if (/\.up\.sql$/i.test(p)) return 'golang-migrate';
  if (/^[VRU]\d+(?:[._]\d+)*__.+\.sql$/.test(basename(p))) return 'flyway';
  if (/(^|\/)db\/migrate\//.test(p)) return 'rails';
  return undefined;
}

/** How one file runs: the configured or detected tool, the config's override, and per-file opt-outs. */
export function transactionModeOf(config: MigrationToolConfig, path: string, text: string): { tool: MigrationToolId; mode: TransactionMode } {
  const tool = config.migrationTool ?? toolForPath(path, text) ?? 'psql';
  let mode = MIGRATION_TOOLS[tool].mode;
  if (config.transactional === true && mode === 'none') mode = 'wrapped';
  if (config.transactional === false) mode = 'none';
  // Per-file opt-outs written in the SQL itself.
  if (tool === 'dbmate' && /^\s*--\s*migrate:up\b[^\n]*\btransaction:false\b/m.test(text)) mode = 'none';
  if (tool === 'flyway' && /^\s*--\s*flyway:executeInTransaction\s*=\s*false\b/im.test(text)) mode = 'none';
  return { tool, mode };
}

/** A statement as far as transactions are concerned. */
export interface TxStatement {
  kind: string;
  /** TransactionStmt's kind: TRANS_STMT_BEGIN, TRANS_STMT_COMMIT … */
  txKind?: string;
}

/**
 * The transaction each statement of a file runs in: a number shared by the statements of one transaction,
 * or -1 when it commits on its own. Explicit BEGIN/COMMIT in the file are honoured: under `wrapped`
 * a COMMIT ends the tool's transaction; under `atomic` the statements after it form a new one.
 */
export function transactionsOf(statements: readonly TxStatement[], mode: TransactionMode): number[] {
  const out: number[] = [];
  // A file of one statement runs it alone under `atomic`: nothing to group it with.
  const atomicFile = mode === 'atomic' && statements.length > 1;
  let next = 0;
  let current = atomicFile || mode === 'wrapped' ? next++ : -1;
  for (const s of statements) {
    if (s.kind !== 'TransactionStmt') {
      out.push(current);
      continue;
    }
    out.push(-1);
    const k = s.txKind;
    if (k === 'TRANS_STMT_BEGIN' || k === 'TRANS_STMT_START') {
      if (current < 0) current = next++;
    } else if (k === 'TRANS_STMT_COMMIT' || k === 'TRANS_STMT_ROLLBACK' || k === 'TRANS_STMT_COMMIT_PREPARED' || k === 'TRANS_STMT_PREPARE') {
      current = atomicFile ? next++ : -1;
    }
  }
  return out;
}

export interface DetectedTool {
  tool: MigrationToolId;
  /** Why: the file or dependency that named it, or "configured". */
  reason: string;
  /** Set by the config (`.dbe.json` or the editor's settings) rather than detected. */
  configured?: true;
}

/**
 * Detects the migration tool from the project at `root`: the config wins, then tool-specific files and
 * dependencies, then the migration folders' layout; plain psql when nothing names a tool.
 */
export function detectMigrationTool(root: string, config: MigrationToolConfig = {}, migrationFiles: readonly string[] = []): DetectedTool {
  if (config.migrationTool) return { tool: config.migrationTool, reason: 'configured', configured: true };
  const has = (p: string) => existsSync(join(root, p));
  if (has('supabase/config.toml') || has('supabase/migrations')) return { tool: 'supabase', reason: 'supabase/ folder' };
  const deps = packageDependencies(root);
  if (deps.has('node-pg-migrate')) return { tool: 'node-pg-migrate', reason: 'node-pg-migrate in package.json' };
  if (has('prisma/migrations/migration_lock.toml') || deps.has('prisma')) return { tool: 'prisma', reason: has('prisma/migrations/migration_lock.toml') ? 'prisma/migrations/migration_lock.toml' : 'prisma in package.json' };
  if (['flyway.conf', 'flyway.toml', 'conf/flyway.conf', 'conf/flyway.toml'].some(has)) return { tool: 'flyway', reason: 'flyway configuration file' };
  if (deps.has('dbmate')) return { tool: 'dbmate', reason: 'dbmate in package.json' };
  if (has('Gemfile') && has('db/migrate')) return { tool: 'rails', reason: 'Gemfile and db/migrate/' };
  if (['knexfile.js', 'knexfile.ts', 'knexfile.cjs', 'knexfile.mjs'].some(has) || deps.has('knex')) return { tool: 'knex', reason: 'knexfile or knex in package.json' };
  const files = migrationFiles.length > 0 ? migrationFiles : topSqlFiles(root);
  for (const f of files) {
    const t = toolForPath(f, files.length <= 200 ? safeRead(f) : undefined);
    if (t) return { tool: t, reason: `file layout (${basename(f)})` };
  }
  return { tool: 'psql', reason: 'no migration tool found' };
}

function packageDependencies(root: string): Set<string> {
  const text = safeRead(join(root, 'package.json'));
  if (!text) return new Set();
  try {
    const pkg = JSON.parse(text) as Record<string, Record<string, string> | undefined>;
    return new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]);
  } catch {
    return new Set();
  }
}

/** SQL files in the usual migration folders (one level), for layout detection. */
function topSqlFiles(root: string): string[] {
  const out: string[] = [];
  for (const dir of ['migrations', 'db/migrations', 'database/migrations', 'db', 'sql']) {
    try {
      for (const e of readdirSync(join(root, dir))) if (e.endsWith('.sql')) out.push(join(root, dir, e));
    } catch {
      // absent folder
    }
  }
  return out;
}

function safeRead(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
