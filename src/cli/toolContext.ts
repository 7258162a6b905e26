/**
 * `--migrations DIR | --db URL` → the tools' context for `dbe ask` and `dbe mcp`: the workspace root, its migration
 * folders, and the database (a live connection, or the embedded one built from the migrations when there are any).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { connect, type LiveConnection } from '../core/db/connect';
import { EmbeddedService } from '../core/db/embeddedService';
import { parsePgpass } from '../core/db/discovery';
import { checkPostgresUrl, resolveProfile } from '../core/db/profile';
import { embeddedToolDatabase, liveToolDatabase, type ToolContext } from '../core/tools';
import { findMigrationFiles } from '../core/workspace/migrations';
import { UsageError, type CliIO } from './io';

export interface OpenedTools {
  ctx: ToolContext;
  /** What the database is called in messages (no credentials). */
  connectionName?: string;
  close(): Promise<void>;
}

/** The --db URL, checked: an unparsable one is a usage error naming the problem, never a fallback to defaults. */
export function checkDbUrl(given: string, flag = '--db'): string {
  const checked = checkPostgresUrl(given);
  if (!checked.ok) throw new UsageError(`${flag}: ${checked.problem}`);
  return given.trim();
}

/**
 * The password for a CLI connection when the URL has none, so it need not sit in argv: PGPASSWORD, else the
 * matching line of ~/.pgpass (or PGPASSFILE), as libpq does.
 */
export function cliPassword(url: string, env: { env: NodeJS.ProcessEnv }): { password?: string } {
  const t = resolveProfile({ id: 'cli', name: 'cli', url });
  if (t.password) return {};
  if (env.env.PGPASSWORD) return { password: env.env.PGPASSWORD };
  const file = env.env.PGPASSFILE || join(env.env.HOME || homedir(), '.pgpass');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  const hit = parsePgpass(text).find((e) => e.matches(t.host, t.port, t.database, t.user));
  return hit ? { password: hit.password } : {};
}

export async function openToolContext(opts: { migrations?: string; db?: string }, io: CliIO): Promise<OpenedTools> {
  if (opts.migrations && opts.db) throw new UsageError('give --migrations or --db, not both');
  let root = io.cwd;
  let migrationFolders: string[] | undefined;
  if (opts.migrations) {
    const abs = resolve(io.cwd, opts.migrations);
    if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new UsageError(`--migrations: no such folder: ${opts.migrations}`);
    const rel = relative(io.cwd, abs);
    if (rel && !rel.startsWith('..') && !isAbsolute(rel)) migrationFolders = [rel.split('\\').join('/')];
    else if (!rel) migrationFolders = undefined;
    else { root = abs; migrationFolders = ['.']; }
  }
  if (opts.db) {
    const url = checkDbUrl(opts.db);
    // A ConnectError names host:port/db and the fix (never the password); the CLI prints it and exits 1.
    const conn: LiveConnection = await connect({ id: 'cli', name: 'cli', url }, { ...cliPassword(url, io) });
    const name = `${conn.target.database} on ${conn.target.host}`;
    return { ctx: { root, database: liveToolDatabase(conn, name) }, connectionName: name, close: () => conn.close() };
  }
  const found = findMigrationFiles(root, migrationFolders);
  const hasMigrations = (migrationFolders?.length || found.folders.length) && found.files.length > 0;
  if (!hasMigrations) return { ctx: { root, ...(migrationFolders ? { migrationFolders } : {}) }, close: async () => {} };
  // The first build applies every migration (seconds to tens of seconds): say so on a terminal.
  const onProgress = io.isTTY ? (p: { index: number; total: number; file: string }) => io.stderr(`building the embedded database: ${p.index}/${p.total} ${p.file}${p.index === p.total ? '\n' : '\r'}`) : undefined;
  const service = new EmbeddedService({ root, ...(migrationFolders ? { folders: migrationFolders } : {}), idleMs: 60_000, ...(onProgress ? { onProgress } : {}) });
  return {
    ctx: { root, ...(migrationFolders ? { migrationFolders } : {}), database: embeddedToolDatabase(service) },
    close: () => service.dispose(),
  };
}
