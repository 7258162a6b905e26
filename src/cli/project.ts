/**
 * A CLI command's flags → its one `Project`: the root, the config overlay the flags make, and the database (a live
 * `--db` connection, or the embedded one built from the project's migrations). Every command that reads the
 * project's files or a database opens it here, so the analyzer, the tools and the embedded database read the same
 * migration folders.
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { connect, type ConnectOptions } from '../core/db/connect';
import { liveDatabase } from '../core/db/database';
import { parsePostgresUrl, redactUrl } from '../core/db/profile';
import type { DbeConfig } from '../core/analysis';
import { Project, type EmbeddedChoice } from '../core/workspace/project';
import { UsageError, type CliIO } from './io';

export interface OpenedProject {
  project: Project;
  /** What the database is called in messages (no credentials). */
  connectionName?: string;
  close(): Promise<void>;
}

export interface ProjectFlags {
  /** The project folder (default: the current folder). */
  root?: string;
  overlay?: Partial<DbeConfig>;
  /** A postgres:// URL: the project's database is that live one. */
  db?: string;
  connect?: Pick<ConnectOptions, 'readOnlyPolicy'>;
  /** Without `db`: the embedded database built from the migrations. */
  embedded?: EmbeddedChoice & { evenWithoutMigrations?: boolean };
}

/**
 * `--migrations DIR` of `dbe ask` / `dbe mcp`: a folder inside the current one becomes the project's migration folder;
 * a folder elsewhere becomes the project root, its .sql files the migrations.
 */
export function migrationsFlag(cwd: string, dir: string | undefined): { root: string; overlay?: Partial<DbeConfig> } {
  if (!dir) return { root: cwd };
  const abs = resolve(cwd, dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new UsageError(`--migrations: no such folder: ${dir}`);
  const rel = relative(cwd, abs);
  if (!rel) return { root: cwd };
  if (!rel.startsWith('..') && !isAbsolute(rel)) return { root: cwd, overlay: { migrationFolders: [rel.split('\\').join('/')] } };
  return { root: abs, overlay: { migrationFolders: ['.'] } };
}

/**
 * Opens the project. A configured migration folder outside the root is a usage error (nothing is walked); a broken
 * `.dbe.json` is a warning on stderr and the defaults apply.
 */
export async function openProject(flags: ProjectFlags, io: CliIO): Promise<OpenedProject> {
  const root = flags.root ?? io.cwd;
  const base = { root, ...(flags.overlay ? { overlay: flags.overlay } : {}) };
  const probe = new Project(base);
  const refused = probe.problems().filter((p) => p.kind === 'folders');
  if (refused.length) throw new UsageError(refused.map((p) => p.message).join('\n'));
  for (const p of probe.problems()) io.stderr(`warning: ${p.message}; using the defaults\n`);
  if (flags.db !== undefined) {
    const parsed = parsePostgresUrl(flags.db);
    if (!parsed) throw new UsageError(`--db wants a postgres:// URL, got ${redactUrl(flags.db).slice(0, 40)}`);
    // A ConnectError names host:port/db and the fix (never the password); the CLI prints it and exits 1.
    const conn = await connect({ id: 'cli', name: 'cli', url: flags.db }, { ...(io.env.PGPASSWORD ? { password: io.env.PGPASSWORD } : {}), ...flags.connect });
    const name = `${conn.target.database} on ${conn.target.host}`;
    const project = new Project({ ...base, database: liveDatabase(conn, name) });
    return { project, connectionName: name, close: () => conn.close() };
  }
  if (!flags.embedded) return { project: probe, close: async () => {} };
  const project = new Project({ ...base, embedded: flags.embedded });
  return { project, close: () => project.dispose() };
}
