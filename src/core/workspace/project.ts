/**
 * One project: a workspace folder in the editor, or the folder one CLI command runs in. Every face asks it — and
 * nothing else — which config applies, which files are the migration history, and which database answers, so the
 * linter, the agents' tools, the slash commands and the embedded database always see the same files.
 *
 * - config: `.dbe.json` (or an explicit file) with the face's overlay (editor settings, CLI flags) merged once;
 * - migrations: the configured folders, confined to the root (a folder outside it is refused, never walked), or the
 *   detected ones, with their files in apply order;
 * - the Prisma schema files and the other SQL files below the root;
 * - one incremental analyzer over the migrations (`analysis()`);
 * - `database()`: the live connection or the embedded database built from these migrations, behind `Database`.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { Analyzer, allRuleIds, ConfigError, defaultConfig, loadConfig, mergeConfig, type DbeConfig, type Finding } from '../analysis';
import { EmbeddedService } from '../db/embeddedService';
import { embeddedDatabase, type BuildProgress, type Database, type DatabaseInfo } from '../db/database';
import { findPrismaSchemaFiles } from '../prisma/files';
import { silentLogger, type Logger } from '../log';
import { findMigrationFiles, listSqlFiles, type MigrationSet } from './migrations';

/** Where `database()` comes from when it is not the embedded one: asked on every call (the active connection can change). */
export interface DatabaseSource {
  /** What `open()` would give, without opening anything (progress lines, prompts); undefined when there is none. */
  describe(): DatabaseInfo | undefined;
  open(): Promise<Database | undefined>;
}

export interface EmbeddedChoice {
  cacheDir?: string;
  /** Synthetic rows per table. */
  rows?: number;
  idleMs?: number;
  onProgress?: BuildProgress;
  /** Build it even when the project has no migrations (an empty database still explains `select 1`). */
  evenWithoutMigrations?: boolean;
}

export interface ProjectOptions {
  /** The folder (absolute). Nothing outside it is read as part of the project. */
  root: string;
  /** Settings layered over the config file: the editor's settings, the CLI's flags. Rules merge, lists replace. */
  overlay?: Partial<DbeConfig>;
  /** An explicit config file (must exist); default `.dbe.json` in the root when present. */
  configFile?: string;
  /**
   * The database: a fixed one, or a source asked on each call. Absent: the embedded database built from the
   * project's migrations when `embedded` is given and there are migrations, else none.
   */
  database?: Database | DatabaseSource;
  embedded?: EmbeddedChoice;
  log?: Logger;
}

/** Something about the project's setup that the faces should show: a broken config, a refused folder. */
export interface ProjectProblem {
  kind: 'config' | 'folders';
  message: string;
}

/** The migrations analysed: what the agents' tools and slash commands answer from. */
export interface ProjectAnalysis {
  analyzer: Analyzer;
  /** Absolute paths in apply order. */
  files: string[];
  /** Root-relative folders they came from. */
  folders: string[];
  config: DbeConfig;
  /** A config problem met (the defaults, plus the overlay, were used instead). */
  configProblem?: string;
}

const EMBEDDED_NAME = 'embedded database (built from the migrations)';

export class Project {
  readonly root: string;
  private config!: DbeConfig;
  private problemList: ProjectProblem[] = [];
  /** The configured migration folders that lie inside the root; undefined = detect. */
  private folders: string[] | undefined;
  /** Every configured folder was refused: no migrations (detection would read folders the user did not name). */
  private noFolders = false;
  private analyzer?: Promise<Analyzer>;
  private embedded?: EmbeddedService;
  private readonly log: Logger;

  constructor(private readonly options: ProjectOptions) {
    this.root = resolve(options.root);
    this.log = options.log ?? silentLogger;
    this.reload();
  }

  /** Re-reads the config file and re-applies the overlay (the editor calls it when either changes). */
  reload(overlay: Partial<DbeConfig> | undefined = this.options.overlay): void {
    this.options.overlay = overlay;
    const problems: ProjectProblem[] = [];
    let base = defaultConfig();
    try {
      base = loadConfig(this.root, allRuleIds, this.options.configFile).config;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push({ kind: 'config', message: err.message });
    }
    const config = overlay ? mergeConfig(base, overlay) : base;
    const configured = config.migrationFolders?.filter((f) => f.trim() !== '');
    this.folders = undefined;
    this.noFolders = false;
    if (configured?.length) {
      const inside = configured.filter((f) => {
        const problem = this.outsideRoot(f);
        if (problem) problems.push({ kind: 'folders', message: problem });
        return !problem;
      });
      this.folders = inside.map((f) => relative(this.root, resolve(this.root, f)).split(sep).join('/') || '.');
      this.noFolders = inside.length === 0;
    }
    this.config = { ...config, ...(this.folders ? { migrationFolders: this.folders } : {}) };
    if (!this.folders) delete this.config.migrationFolders;
    this.problemList = problems;
    for (const p of problems) this.log.warn(p.message);
    void this.analyzer?.then((a) => a.setConfig(this.config));
    // The embedded database follows the folders: a new set means a new service.
    void this.embedded?.dispose();
    this.embedded = undefined;
  }

  /** The merged config (file + overlay), migration folders confined to the root. */
  getConfig(): DbeConfig {
    return this.config;
  }

  problems(): readonly ProjectProblem[] {
    return this.problemList;
  }

  /** Why a configured folder cannot be used, or undefined when it lies inside the root. */
  private outsideRoot(folder: string): string | undefined {
    const abs = resolve(this.root, folder);
    const refused = `migration folder "${folder}" is outside the project folder ${this.root}; migrationFolders name folders inside it (e.g. "supabase/migrations")`;
    if (!within(this.root, abs)) return refused;
    // A symlink inside that leads outside is outside too.
    let real: string;
    try {
      real = realpathSync(abs);
    } catch {
      return undefined; // not there (yet): nothing to walk
    }
    let realRoot = this.root;
    try { realRoot = realpathSync(this.root); } catch { /* keep as given */ }
    return within(realRoot, real) ? undefined : refused;
  }

  /** The migration history: folders and files in apply order, read from disk now. */
  migrations(): MigrationSet {
    if (this.noFolders) return { folders: [], files: [] };
    return findMigrationFiles(this.root, this.folders);
  }

  /** The Prisma schema files of the project. */
  prismaFiles(): string[] {
    return findPrismaSchemaFiles(this.root);
  }

  /** Every .sql file below the root that is not a migration (queries, seeds, snippets). */
  otherSqlFiles(): string[] {
    const migrations = new Set(this.migrations().files);
    return listSqlFiles(this.root).filter((f) => !migrations.has(f)).sort();
  }

  /**
   * The migrations through the project's one analyzer: each call re-reads the files and the analyzer re-parses only
   * what changed, so a tool round over a large project costs file reads, not a full re-parse.
   */
  async analysis(): Promise<ProjectAnalysis> {
    this.analyzer ??= Analyzer.create({ config: this.config, logger: this.log });
    const analyzer = await this.analyzer;
    const { files, folders } = this.migrations();
    const wanted = new Set(files);
    for (const p of analyzer.paths()) if (!wanted.has(p)) analyzer.removeFile(p);
    analyzer.setOrder(files);
    for (const f of files) {
      try {
        analyzer.setFile(f, readFileSync(f, 'utf8'));
      } catch {
        analyzer.removeFile(f); // unreadable: skipped, like the linter does
      }
    }
    const configProblem = this.problemList.find((p) => p.kind === 'config')?.message;
    return { analyzer, files, folders, config: this.config, ...(configProblem ? { configProblem } : {}) };
  }

  /** What `database()` would give, without opening it. */
  databaseInfo(): DatabaseInfo | undefined {
    const db = this.options.database;
    if (db) return isSource(db) ? db.describe() : db;
    return this.embeddedAvailable() ? { kind: 'embedded', name: EMBEDDED_NAME } : undefined;
  }

  /** The live connection, or the embedded database built from these migrations; undefined when neither exists. */
  async database(): Promise<Database | undefined> {
    const db = this.options.database;
    if (db) return isSource(db) ? db.open() : db;
    if (!this.embeddedAvailable()) return undefined;
    const { evenWithoutMigrations: _, ...choice } = this.options.embedded!;
    this.embedded ??= new EmbeddedService({ root: this.root, ...(this.folders ? { folders: this.folders } : {}), ...choice, log: this.log });
    return embeddedDatabase(this.embedded);
  }

  /** Failing statements of the embedded database's last open. */
  embeddedIssues() {
    return this.embedded?.issues() ?? [];
  }

  private embeddedAvailable(): boolean {
    const e = this.options.embedded;
    return Boolean(e) && (Boolean(e!.evenWithoutMigrations) || this.migrations().files.length > 0);
  }

  /** Stops the embedded database's worker (its last issues stay readable). */
  async dispose(): Promise<void> {
    await this.embedded?.dispose();
  }
}

function isSource(db: Database | DatabaseSource): db is DatabaseSource {
  return typeof (db as DatabaseSource).open === 'function';
}

function within(root: string, abs: string): boolean {
  const rel = relative(root, abs);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Findings for extra text analysed as if it were one more file after the migrations (a SQL snippet, a proposed
 * migration). The file is added and removed again in one synchronous step, so the shared analyzer never shows it
 * to another call.
 */
export function findingsWithExtraFile(ws: ProjectAnalysis, path: string, text: string): Finding[] {
  ws.analyzer.setOrder([...ws.files, path]);
  ws.analyzer.setFile(path, text);
  try {
    return ws.analyzer.findingsFor(path);
  } finally {
    ws.analyzer.removeFile(path);
    ws.analyzer.setOrder(ws.files);
  }
}
