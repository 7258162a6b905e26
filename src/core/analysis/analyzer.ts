import { withoutPrismaOwned } from '../prisma/generated';
import type { Finding, Position } from '../findings/types';
import { ParseCache, ensureParser, parseFile, type ChunkParse, type ParsedFile } from '../sql/parse';
import { containsPosition } from '../sql/positions';
import { buildModel } from '../schema/build';
import { focusKeys } from '../schema/focus';
import type { SchemaModel, Table } from '../schema/model';
import { rangeVarKey } from '../schema/names';
import { walk } from '../schema/walk';
import { identRange } from '../schema/geometry';
import { compareMigrationPaths } from '../workspace/migrations';
import { defaultConfig, type DbeConfig } from '../findings/config';
import { runRules } from '../lint/engine';
import { allRules } from '../lint/rules';
import type { Rule } from '../lint/rule';
import type { Logger } from '../log';
import { PrismaFiles } from '../prisma/workspace';
import { ensurePrismaParser, isPrismaPath, type PrismaFile } from '../prisma/parse';
import { lintPrisma } from '../prisma/lint';
import { isCodePath, sqlInCode, type SqlLiteral } from '../sql/inCode';
import { additions, queryFileFindings } from '../lint/queryFiles';
import { knownNames, type KnownNames } from '../lint/knownNames';

export interface AnalyzerOptions {
  config?: DbeConfig;
  rules?: readonly Rule[];
  /** Clock for naming new migration files (fixed in tests). */
  now?: () => Date;
  logger?: Logger;
}

interface FileEntry {
  /** The text as given (a TypeScript file's own, not the SQL taken from it): the text itself, not a hash of it, tells whether it changed. */
  text: string;
  parsed: ParsedFile;
  /** A TypeScript/JavaScript file: the literals its SQL came from. */
  literals?: SqlLiteral[];
}

/**
 * The incremental analyzer over a set of SQL files: the workspace's migrations, and its query files.
 *
 * - SQL files build the schema model in order (the migrations, then the project's other .sql files) and are
 *   checked by the rules, as they always were in the editor (a function or policy kept apart is still judged);
 * - query files (`setQueryFiles`: the project's other .sql files) are also checked against that model for unknown
 *   relations, columns and functions;
 * - TypeScript/JavaScript files are query files only: the SQL in their literals (taken out by ../sql/inCode) is
 *   checked for syntax and unknown names, and never changes the model;
 * - `setFile` re-parses only when the content changed, and then only the statements whose text
 *   changed (parse results are cached per statement text);
 * - the schema model and findings are rebuilt lazily on the next `findings()`/`model()` call, from the
 *   cached statements of every file;
 * - files apply in `order` when set, otherwise by migration path order.
 * Call `await Analyzer.create()` (or `ensureParser()` once) before the first `setFile`.
 */
export class Analyzer {
  private readonly files = new Map<string, FileEntry>();
  /** SQL files that are not migrations. */
  private queries = new Set<string>();
  /** .prisma files: checked by the Prisma rules against the model the SQL files build. */
  private readonly prisma = new PrismaFiles();
  private readonly cache = new ParseCache();
  private order: string[] | undefined;
  private config: DbeConfig;
  private readonly rules: readonly Rule[];
  private readonly now: () => Date;
  private readonly logger: Logger | undefined;
  private cachedModel: SchemaModel | undefined;
  /** The query files' schema; `key` (what SQL in code creates) is forgotten when code changes, to be compared again. */
  private queryModelCache: { base: SchemaModel; key: string | undefined; model: SchemaModel; known: KnownNames } | undefined;
  /** The rules' findings (SQL and Prisma), and each query file's own: a keystroke in code redoes only its file's. */
  private ruleFindings: Finding[] | undefined;
  private readonly queryCache = new Map<string, Finding[]>();
  private cachedFindings: Finding[] | undefined;
  private readonly onRuleError = (rule: string, err: unknown) => this.logger?.error(`rule ${rule} failed: ${(err as Error).message}`);
  private byFile: Map<string, Finding[]> | undefined;
  /** Findings of single files, computed by `findingsFor` before the whole set was asked for. */
  private fileOnly = new Map<string, Finding[]>();
  /** How many model rebuilds ran (tests and the benchmark read it; libpg-query calls are `parses`). */
  rebuilds = 0;

  constructor(options: AnalyzerOptions = {}) {
    this.config = options.config ?? defaultConfig();
    this.rules = options.rules ?? allRules;
    this.now = options.now ?? (() => new Date());
    this.logger = options.logger;
  }

  static async create(options: AnalyzerOptions = {}): Promise<Analyzer> {
    await Promise.all([ensureParser(), ensurePrismaParser()]);
    return new Analyzer(options);
  }

  /** Statements sent to libpg-query so far (cache hits excluded). */
  get parses(): number {
    return this.cache.parses;
  }

  setConfig(config: DbeConfig): void {
    this.config = config;
    this.invalidate(false);
  }

  getConfig(): DbeConfig {
    return this.config;
  }

  /** Fixes the apply order (absolute paths); files not listed follow in path order. */
  setOrder(paths: string[] | undefined): void {
    this.order = paths;
    this.invalidate(true);
  }

  /** Adds or updates a file. Returns false when the content is unchanged (nothing is redone). */
  setFile(path: string, text: string): boolean {
    if (isPrismaPath(path)) {
      const changed = this.prisma.set(path, text);
      if (changed) this.invalidate(false);
      return changed;
    }
    const old = this.files.get(path);
    if (old && old.text === text) return false;
    if (isCodePath(path)) {
      const { sql, literals } = sqlInCode(text);
      // A file without SQL changes no finding: nothing to redo.
      const quiet = literals.length === 0 && (!old || !old.literals?.length);
      this.files.set(path, { text, parsed: parseFile(path, sql, this.cache), literals });
      // Code never changes the model: only its own findings are redone.
      if (!quiet) this.invalidateCode(path);
      return true;
    }
    this.files.set(path, { text, parsed: parseFile(path, text, this.cache) });
    this.invalidate(true);
    this.trimCache();
    return true;
  }

  removeFile(path: string): boolean {
    if (isPrismaPath(path)) {
      const had = this.prisma.remove(path);
      if (had) this.invalidate(false);
      return had;
    }
    const had = this.files.delete(path);
    if (had && isCodePath(path)) this.invalidateCode(path);
    else if (had) this.invalidate(true);
    return had;
  }

  /**
   * Marks which SQL files are not migrations (queries, seeds, functions kept apart): checked against the schema
   * for unknown names too. TypeScript/JavaScript files are query files whatever this says.
   */
  setQueryFiles(paths: Iterable<string>): void {
    const next = new Set(paths);
    if (next.size === this.queries.size && [...next].every((p) => this.queries.has(p))) return;
    this.queries = next;
    this.invalidate(true);
  }

  /** A file checked as a query file (not a migration). */
  isQueryFile(path: string): boolean {
    return this.queries.has(path) || isCodePath(path);
  }

  hasFile(path: string): boolean {
    return this.files.has(path) || this.prisma.has(path);
  }

  /** Paths in apply order (SQL), then the .prisma files. */
  paths(): string[] {
    return [...this.sqlPaths(), ...this.prisma.paths()];
  }

  /** The text last given for a path (SQL or .prisma). */
  textOf(path: string): string | undefined {
    return this.files.get(path)?.text ?? this.prisma.get(path)?.text;
  }

  /** A .prisma file as last parsed. */
  prismaFile(path: string): PrismaFile | undefined {
    return this.prisma.get(path);
  }

  /** SQL paths in apply order. */
  private sqlPaths(): string[] {
    const all = [...this.files.keys()];
    if (!this.order) return all.sort(compareMigrationPaths);
    const rank = new Map(this.order.map((p, i) => [p, i]));
    return all.sort((a, b) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity) || compareMigrationPaths(a, b));
  }

  parsed(path: string): ParsedFile | undefined {
    return this.files.get(path)?.parsed;
  }

  model(): SchemaModel {
    if (!this.cachedModel) {
      this.rebuilds++;
      this.cachedModel = buildModel(this.sqlFiles(), { assumeInTransaction: this.config.assumeInTransaction });
    }
    return this.cachedModel;
  }

  /** Every finding of every file, in file order then position. */
  findings(): Finding[] {
    if (!this.cachedFindings) {
      this.ruleFindings ??= this.runAllRules();
      const queries = this.sqlPaths().filter((p) => this.isQueryFile(p) && hasSql(this.files.get(p)!.parsed));
      if (queries.length) this.queryModel(); // first: a change in what code creates redoes every query file's findings
      const unknown = queries.flatMap((p) => this.queryFindings(p));
      // A file's findings in position order, the rules' and the unknown names' together.
      this.cachedFindings = unknown.length ? inFileOrder([...this.ruleFindings, ...unknown]) : [...this.ruleFindings];
      this.byFile = new Map();
      for (const f of this.cachedFindings) {
        const list = this.byFile.get(f.file);
        if (list) list.push(f);
        else this.byFile.set(f.file, [f]);
      }
    }
    return this.cachedFindings;
  }

  /** The rules' findings over the SQL files and the .prisma files. */
  private runAllRules(): Finding[] {
    const findings = runRules({
      files: this.sqlFiles(),
      model: this.model(),
      config: this.config,
      rules: this.rules,
      now: this.now,
      onRuleError: this.onRuleError,
    });
    if (this.prisma.paths().length) {
      findings.push(...lintPrisma({
        files: this.prisma.all(),
        sql: this.model(),
        sqlFiles: this.sqlPaths().filter((p) => !isCodePath(p)),
        config: this.config,
        now: this.now,
        onRuleError: this.onRuleError,
      }));
    }
    // What only schema.prisma can fix is reported there, not on Prisma's generated migration.sql.
    return withoutPrismaOwned(findings, this.prisma.paths());
  }

  /**
   * The findings of one file. Right after an edit this runs the rules for that file only (the model is
   * still rebuilt whole, so cross-file facts are right); `findings()` then fills in the rest.
   */
  findingsFor(path: string): Finding[] {
    if (this.byFile) return this.byFile.get(path) ?? [];
    if (!this.files.has(path)) return [];
    const query = this.isQueryFile(path) && hasSql(this.files.get(path)!.parsed);
    if (query) this.queryModel(); // first, as in findings()
    let list = this.fileOnly.get(path);
    if (!list && isCodePath(path)) list = query ? this.queryFindings(path) : [];
    if (!list) {
      const files = this.sqlFiles();
      // A model of just what this file's findings depend on: a fraction of a full rebuild.
      const model = this.cachedModel ?? buildModel(files, { assumeInTransaction: this.config.assumeInTransaction, focus: { file: path, keys: focusKeys(files, path) } });
      list = withoutPrismaOwned(runRules({
        files,
        model,
        config: this.config,
        rules: this.rules,
        now: this.now,
        only: path,
        onRuleError: this.onRuleError,
      }), this.prisma.paths());
      if (query) list = inFileOrder([...list, ...this.queryFindings(path)]);
      this.fileOnly.set(path, list);
    }
    return list;
  }

  /**
   * The table named at `pos` in `path` (a table reference in any statement: CREATE/ALTER TABLE, policies,
   * indexes, queries), resolved against the final model; undefined when there is none. For hovers.
   */
  tableAt(path: string, pos: Position): Table | undefined {
    const file = this.parsed(path);
    if (!file) return undefined;
    const model = this.model();
    for (const stmt of file.statements) {
      if (!containsPosition(stmt.range, pos)) continue;
      let hit: string | undefined;
      walk(stmt.node, (node) => {
        if (hit) return false;
        const rv = node.RangeVar ?? (node.relname && node.location !== undefined ? node : undefined);
        if (rv?.relname && containsPosition(identRange(file, stmt, rv.location), pos)) hit = rangeVarKey(rv);
        return undefined;
      });
      // Statement roots hold their RangeVar under a field name (relation, table, view) rather than a wrapper.
      for (const field of ['relation', 'table', 'view']) {
        const rv = stmt.node[field];
        if (!hit && rv?.relname && containsPosition(identRange(file, stmt, rv.location), pos)) hit = rangeVarKey(rv);
      }
      if (hit) return model.tables.get(hit);
    }
    return undefined;
  }

  /** The SQL files in apply order (migrations first): what builds the model and what the rules check. */
  private sqlFiles(): ParsedFile[] {
    return this.sqlPaths().filter((p) => !isCodePath(p)).map((p) => this.files.get(p)!.parsed);
  }

  /** Unknown names in a query file; for SQL in code, syntax too (the rules report a .sql file's). Kept per file. */
  private queryFindings(path: string): Finding[] {
    let list = this.queryCache.get(path);
    if (!list) {
      const e = this.files.get(path)!;
      const { model, known } = this.queryModel();
      // No migrations, no schema to judge names by (a project whose SQL lives only in its code): syntax alone.
      const names = this.sqlPaths().some((p) => !this.isQueryFile(p));
      list = queryFileFindings({ parsed: e.parsed, ...(e.literals ? { literals: e.literals } : {}) }, model, this.config, names ? known : undefined);
      this.queryCache.set(path, list);
    }
    return list;
  }

  /**
   * The schema query files are checked against: the model, plus what SQL in code creates (a table a test sets up and
   * then queries); rebuilt only when those creating statements change.
   */
  private queryModel(): { model: SchemaModel; known: KnownNames } {
    const base = this.model();
    if (this.queryModelCache?.base !== base || this.queryModelCache.key === undefined) {
      const added = this.sqlPaths().filter(isCodePath).map((p) => additions(this.files.get(p)!.parsed)).filter((f): f is ParsedFile => f !== undefined);
      const key = added.map((f) => `${f.path}\0${f.statements.map((s) => s.text).join('\0')}`).join('\0\0');
      const cached = this.queryModelCache;
      if (!cached || cached.base !== base || cached.key !== key) {
        // Every query file's findings were judged against the old one.
        this.queryCache.clear();
        for (const p of this.queries) this.fileOnly.delete(p);
        for (const p of this.fileOnly.keys()) if (isCodePath(p)) this.fileOnly.delete(p);
        const model = added.length ? buildModel([...this.sqlFiles(), ...added], { assumeInTransaction: this.config.assumeInTransaction }) : base;
        this.queryModelCache = { base, key, model, known: knownNames(model, this.config, (p) => this.isQueryFile(p)) };
      } else {
        cached.key = key;
      }
    }
    return this.queryModelCache!;
  }

  private invalidate(modelToo: boolean): void {
    if (modelToo) this.cachedModel = undefined;
    // The config (migration tool, extensions) decides the known names.
    this.queryModelCache = undefined;
    this.ruleFindings = undefined;
    this.queryCache.clear();
    this.cachedFindings = undefined;
    this.byFile = undefined;
    this.fileOnly.clear();
  }

  /** A TypeScript/JavaScript file changed or went: its findings are redone, nobody else's (code is never applied). */
  private invalidateCode(path: string): void {
    // Another file's findings change only if what code creates changed: compared on the next query.
    if (this.queryModelCache) this.queryModelCache.key = undefined;
    this.queryCache.delete(path);
    this.fileOnly.delete(path);
    this.cachedFindings = undefined;
    this.byFile = undefined;
  }

  /** Statement parse results to keep between runs (see `loadParses`); JSON-serialisable. */
  saveParses(): [string, ChunkParse][] {
    return this.cache.save();
  }

  /** Reuses parse results saved by an earlier run; call before `setFile`. */
  loadParses(entries: unknown): void {
    this.cache.load(entries);
  }

  /** Forgets cached statement parses that no current file uses once they outnumber the live ones. */
  private trimCache(): void {
    let live = 0;
    for (const e of this.files.values()) live += e.parsed.statements.length;
    if (this.cache.size < 2 * live + 1000) return;
    const texts = new Set<string>();
    for (const e of this.files.values()) for (const s of e.parsed.statements) texts.add(s.text);
    this.cache.retainOnly(texts);
  }
}

/** Findings grouped by file (first appearance) and in position order within each. */
function inFileOrder(findings: Finding[]): Finding[] {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  // Array sort is stable: findings at the same position keep their order.
  return [...byFile.values()].flatMap((list) => list.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column));
}

/** A file with statements or syntax errors (most code files have neither: no query model is needed for them). */
function hasSql(file: ParsedFile): boolean {
  return file.statements.length > 0 || file.syntaxErrors.length > 0;
}
