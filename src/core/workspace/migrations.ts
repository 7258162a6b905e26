import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Folders that hold generated or third-party files, never the user's schema. */
export const IGNORED_DIRS = new Set(['node_modules', '.git', 'dist', 'out', 'build', '.next', '.vercel', '.dbe-cache', 'coverage', 'vendor']);

/** Migration folders we recognise without configuration, most specific first. */
export const DEFAULT_MIGRATION_FOLDERS = [
  'supabase/migrations',
  'prisma/migrations',
  'db/migrations',
  'database/migrations',
  'migrations',
  'db',
  'database',
];

export interface MigrationSet {
  /** Workspace-relative folders the files came from (empty when loose files were used). */
  folders: string[];
  /** Absolute paths, in the order they apply. */
  files: string[];
}

/**
 * The workspace's migration files in the order a database would apply them.
 * Within a folder, files apply in path order (timestamps or sequence numbers lead the names);
 * Prisma keeps one `migration.sql` per timestamped folder, which the same order handles.
 * `folders` (relative to `root`) overrides detection; with none found, every .sql file under root applies in path order.
 */
export function findMigrationFiles(root: string, folders?: string[]): MigrationSet {
  const chosen = (folders && folders.length > 0 ? folders : DEFAULT_MIGRATION_FOLDERS.filter((f) => isDir(join(root, f))))
    // `db` and `database` hold `db/migrations`: keep only the most specific of nested candidates.
    .filter((f, _, all) => !all.some((other) => other !== f && other.startsWith(f + '/')));
  const sources = chosen.length > 0 ? chosen.map((f) => join(root, f)) : [root];
  const files = sources.flatMap((dir) => listSqlFiles(dir).sort(byPath));
  return { folders: chosen, files: dedupe(files) };
}

/** Every .sql file below `dir`, skipping generated folders. */
export function listSqlFiles(dir: string): string[] {
  return listFiles(dir, (name) => name.toLowerCase().endsWith('.sql'));
}

/**
 * Every file below `dir` whose name `matches`, skipping generated and dot folders (and any folder
 * `skipDir` names). The one folder walk the SQL and Prisma discovery share.
 */
export function listFiles(dir: string, matches: (name: string) => boolean, skipDir: (name: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!IGNORED_DIRS.has(e.name) && !e.name.startsWith('.') && !skipDir(e.name)) walk(join(d, e.name));
      } else if (e.isFile() && matches(e.name)) {
        out.push(join(d, e.name));
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** Apply order of two migration paths: by path segments, so `10_x/` sorts with its siblings. */
export const compareMigrationPaths = (a: string, b: string): number => byPath(a, b);

function byPath(a: string, b: string): number {
  // Compare by path segments so `10_x/` sorts with its siblings, not against file names.
  const pa = a.split(sep), pb = b.split(sep);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  }
  return pa.length - pb.length;
}

function dedupe(files: string[]): string[] {
  return [...new Set(files)];
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** A path relative to the workspace, with forward slashes, for messages and JSON output. */
export function displayPath(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}
