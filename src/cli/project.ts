/**
 * A CLI command's flags → its one `Project`: the root, the config overlay the flags make, and the database (a live
 * `--db` connection, or the embedded one built from the project's migrations). Every command that reads the
 * project's files or a database opens it here, so the analyzer, the tools and the embedded database read the same
 * migration folders.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { connect, type ConnectOptions } from '../core/db/connect';
import { liveDatabase, type LiveDatabaseOptions } from '../core/db/database';
import { parsePgpass } from '../core/db/discovery';
import { checkPostgresUrl, resolveProfile } from '../core/db/profile';
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
  /** `--agent-role NAME` / `--agent-full-powers`: what the agents' statements run as on the live database. */
  agent?: LiveDatabaseOptions;
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

/** `--agent-role` / `--agent-full-powers` → what the agents' statements run as. */
export function agentFlags(values: { 'agent-role'?: string; 'agent-full-powers'?: boolean }): LiveDatabaseOptions {
  const role = values['agent-role']?.trim();
  if (values['agent-role'] !== undefined && !role) throw new UsageError('--agent-role needs a role name');
  if (role && values['agent-full-powers']) throw new UsageError('give --agent-role or --agent-full-powers, not both');
  return { ...(role ? { agentRole: role } : {}), ...(values['agent-full-powers'] ? { fullPowers: true } : {}) };
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
export function cliPassword(url: string, io: { env: NodeJS.ProcessEnv }): { password?: string } {
  const t = resolveProfile({ id: 'cli', name: 'cli', url });
  if (t.password) return {};
  if (io.env.PGPASSWORD) return { password: io.env.PGPASSWORD };
  const file = io.env.PGPASSFILE || join(io.env.HOME || homedir(), '.pgpass');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  const hit = parsePgpass(text).find((e) => e.matches(t.host, t.port, t.database, t.user));
  return hit ? { password: hit.password } : {};
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
    const url = checkDbUrl(flags.db);
    // A ConnectError names host:port/db and the fix (never the password); the CLI prints it and exits 1.
    const conn = await connect({ id: 'cli', name: 'cli', url }, { ...cliPassword(url, io), ...flags.connect });
    const name = `${conn.target.database} on ${conn.target.host}`;
    const project = new Project({ ...base, database: liveDatabase(conn, name, flags.agent ?? {}) });
    return { project, connectionName: name, close: () => conn.close() };
  }
  if (!flags.embedded) return { project: probe, close: async () => {} };
  const project = new Project({ ...base, embedded: flags.embedded });
  return { project, close: () => project.dispose() };
}
