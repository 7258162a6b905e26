/**
 * One project: a workspace folder in the editor, or the folder one CLI command runs in. Every face asks it — and
 * nothing else — which config applies, which files are the migration history, and which database answers, so the
 * linter, the agents' tools, the slash commands and the embedded database always see the same files.
 *
 * - config: `.dbe.json` (or an explicit file) with the face's overlay (editor settings, CLI flags) merged once;
 * - migrations: the configured folders, confined to the root (a folder outside it is refused, never walked), or the
 *   detected ones, with their files in apply order;
 * - the other SQL files and the .prisma files below the root;
 * - one incremental analyzer over all of them (`analysis()`), reading the face's overlays (unsaved editor text)
 *   instead of the disk where it has them, so the linter and the agents' tools see the same text;
 * - `database()`: the live connection or the embedded database built from these migrations, behind `Database`.
 */
import { existsSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { allRuleIds, ConfigError, defaultConfig, loadConfig, mergeConfig, type Analyzer, type DbeConfig, type Finding, type RuleContext, type SchemaModel } from '../analysis';
import { newMigrationPath } from '../lint/fixes';
import { EmbeddedService } from '../db/embeddedService';
import { embeddedDatabase, type BuildProgress, type Database, type DatabaseInfo } from '../db/database';
import { isPrismaPath } from '../prisma/parse';
import { isCodePath } from '../sql/inCode';
import { silentLogger, type Logger } from '../log';
import { findMigrationFiles, listFiles, type MigrationSet } from './migrations';
import { ProjectAnalyzer, type OverlayText, type ProjectFiles, type SyncProgress } from './projectAnalyzer';
import { detectMigrationTool, type DetectedTool } from './migrationTool';

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
  /**
   * The face reports every change on disk below the root (`fileChanged`), as the editor's file watchers do: the
   * analyzer then reads only what changed instead of walking and reading the project on every `analysis()`.
   */
  watched?: boolean;
  log?: Logger;
}

/** Something about the project's setup that the faces should show: a broken config, a refused folder. */
export interface ProjectProblem {
  kind: 'config' | 'folders';
  message: string;
}

/** The project analysed: what the linter, the agents' tools and the slash commands answer from. */
export interface ProjectAnalysis {
  /** Holds the migrations, then the other SQL files, then the .prisma files. */
  analyzer: Analyzer;
  /** The migrations: absolute paths in apply order. */
  files: string[];
  /** Root-relative folders they came from. */
  folders: string[];
  /** The other .sql files (not migrations), analysed after them. */
  otherFiles: string[];
  prismaFiles: string[];
  /** The schema the migrations build (without the other SQL files): what the agents see as the database. */
  schema(): SchemaModel;
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
  private readonly analysisState: ProjectAnalyzer;
  private embedded?: EmbeddedService;
  private readonly log: Logger;
  private tool!: DetectedTool;

  constructor(private readonly options: ProjectOptions) {
    this.root = resolve(options.root);
    this.log = options.log ?? silentLogger;
    this.analysisState = new ProjectAnalyzer({ files: () => this.files(), config: () => this.config, log: this.log, watched: Boolean(options.watched) });
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
    // How the migration tool runs each file (transactions) decides several rules: detected unless configured.
    this.tool = detectMigrationTool(this.root, config);
    const tool = this.tool.tool;
    this.config = { ...config, ...(this.folders ? { migrationFolders: this.folders } : {}), ...(tool !== 'psql' ? { migrationTool: tool } : {}) };
    if (!this.folders) delete this.config.migrationFolders;
    this.problemList = problems;
    for (const p of problems) this.log.warn(p.message);
    this.analysisState.reset();
    // The embedded database follows the folders: a new set means a new service.
    void this.embedded?.dispose();
    this.embedded = undefined;
  }

  /** The migration tool: configured, or detected from the project's files (decides which statements share a transaction). */
  migrationTool(): DetectedTool {
    return this.tool;
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

  /**
   * Where a new migration named `slug` goes (absolute): after the project's last one, in its naming convention; with
   * no migrations yet, in the first configured or detected folder, else supabase/migrations in a Supabase project,
   * else migrations/. One answer for the agents' proposals and the EXPLAIN panel's "Save as migration".
   */
  newMigrationPath(slug: string, set: MigrationSet = this.migrations()): string {
    const folder = set.folders[0] ?? (existsSync(join(this.root, 'supabase')) ? 'supabase/migrations' : 'migrations');
    const near = set.files[set.files.length - 1] ?? join(this.root, folder, 'x.sql');
    // newMigrationPath reads only the files' paths and the clock of a rule context.
    const naming = { files: set.files.map((path) => ({ path })), now: () => new Date() } as unknown as RuleContext;
    return newMigrationPath(naming, near, slug);
  }

  /**
   * Every file the analyzer reads, walked from disk now: the migrations, the other .sql files below the root
   * (queries, seeds, snippets: the one definition rules about them use), every .prisma file, and every
   * TypeScript/JavaScript file (their SQL literals) below the root, generated and dot folders skipped.
   */
  files(): ProjectFiles {
    const migrations = this.migrations();
    const isMigration = new Set(migrations.files);
    const found = listFiles(this.root, (name) => name.toLowerCase().endsWith('.sql') || isPrismaPath(name) || isCodePath(name)).sort();
    return {
      migrations,
      otherSql: found.filter((f) => f.toLowerCase().endsWith('.sql') && !isMigration.has(f)),
      prisma: found.filter(isPrismaPath),
      code: found.filter(isCodePath),
    };
  }

  /** Every .prisma file below the root (what the Prisma rules check). */
  prismaFiles(): string[] {
    return this.files().prisma;
  }

  /** Every .sql file below the root that is not a migration (queries, seeds, snippets). */
  otherSqlFiles(): string[] {
    return this.files().otherSql;
  }

  /**
   * The project through its one analyzer. Unwatched, each call re-reads the files (the analyzer re-parses only what
   * changed, so a tool round over a large project costs file reads, not a full re-parse); watched, it reads only
   * the files reported changed since. Overlays stand in for their files' disk text.
   */
  async analysis(onProgress?: SyncProgress): Promise<ProjectAnalysis> {
    const { analyzer, files } = await this.analysisState.sync(onProgress);
    const configProblem = this.problemList.find((p) => p.kind === 'config')?.message;
    return {
      analyzer,
      files: files.migrations.files,
      folders: files.migrations.folders,
      otherFiles: files.otherSql,
      prismaFiles: files.prisma,
      schema: () => this.analysisState.schema(analyzer, files),
      config: this.config,
      ...(configProblem ? { configProblem } : {}),
    };
  }

  /**
   * The project's analyzer, created but not necessarily in step with the files yet: for a face that holds on to it
   * (the editor's hovers and code actions ask it synchronously) and calls `analysis()` before reading findings.
   */
  analyzer(): Promise<Analyzer> {
    return this.analysisState.created();
  }

  /**
   * Analyses `text` in place of the disk content of `path` (an editor's unsaved buffer), until `clearOverlay`:
   * the linter and the agents' tools both see it. A function is asked again on every `analysis()` (an open
   * document: no need to report each edit). Applied to the analyzer at once; returns whether that changed it.
   */
  setOverlay(path: string, text: OverlayText): boolean {
    return this.analysisState.setOverlay(path, text);
  }

  hasOverlay(path: string): boolean {
    return this.analysisState.hasOverlay(path);
  }

  /** The disk content of `path` applies again (from the next `analysis()`). */
  clearOverlay(path: string): void {
    this.analysisState.clearOverlay(path);
  }

  /** A file or folder below the root changed on disk (watched projects: the face's file watcher says so). */
  fileChanged(path: string): void {
    this.analysisState.fileChanged(path);
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
 * migration, another text for a file of the project). The change is undone in the same synchronous step (the
 * file's own text restored, or the file removed), so the shared analyzer never shows it to another call.
 */
export function findingsWithExtraFile(ws: ProjectAnalysis, path: string, text: string): Finding[] {
  const previous = ws.analyzer.textOf(path);
  const ordered = ws.files.includes(path);
  if (!ordered) ws.analyzer.setOrder([...ws.files, path]);
  ws.analyzer.setFile(path, text);
  try {
    return ws.analyzer.findingsFor(path);
  } finally {
    if (previous === undefined) ws.analyzer.removeFile(path);
    else ws.analyzer.setFile(path, previous);
    if (!ordered) ws.analyzer.setOrder(ws.files);
  }
}
