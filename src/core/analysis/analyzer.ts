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

export interface AnalyzerOptions {
  config?: DbeConfig;
  rules?: readonly Rule[];
  /** Clock for naming new migration files (fixed in tests). */
  now?: () => Date;
  logger?: Logger;
}

interface FileEntry {
  parsed: ParsedFile;
}

/**
 * The incremental analyzer over a set of SQL files (the workspace's migrations).
 *
 * - `setFile` re-parses only when the content changed, and then only the statements whose text
 *   changed (parse results are cached per statement text);
 * - the schema model and findings are rebuilt lazily on the next `findings()`/`model()` call, from the
 *   cached statements of every file;
 * - files apply in `order` when set, otherwise by migration path order.
 * Call `await Analyzer.create()` (or `ensureParser()` once) before the first `setFile`.
 */
export class Analyzer {
  private readonly files = new Map<string, FileEntry>();
  /** .prisma files: checked by the Prisma rules against the model the SQL files build. */
  private readonly prisma = new PrismaFiles();
  private readonly cache = new ParseCache();
  private order: string[] | undefined;
  private config: DbeConfig;
  private readonly rules: readonly Rule[];
  private readonly now: () => Date;
  private readonly logger: Logger | undefined;
  private cachedModel: SchemaModel | undefined;
  private cachedFindings: Finding[] | undefined;
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
    // The text itself, not a hash of it, tells whether it changed: the entry keeps it anyway.
    if (this.files.get(path)?.parsed.text === text) return false;
    this.files.set(path, { parsed: parseFile(path, text, this.cache) });
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
    if (had) this.invalidate(true);
    return had;
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
    return this.files.get(path)?.parsed.text ?? this.prisma.get(path)?.text;
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
      this.cachedModel = buildModel(this.orderedFiles(), { assumeInTransaction: this.config.assumeInTransaction });
    }
    return this.cachedModel;
  }

  /** Every finding of every file, in file order then position. */
  findings(): Finding[] {
    if (!this.cachedFindings) {
      const files = this.orderedFiles();
      this.cachedFindings = runRules({
        files,
        model: this.model(),
        config: this.config,
        rules: this.rules,
        now: this.now,
        onRuleError: (rule, err) => this.logger?.error(`rule ${rule} failed: ${(err as Error).message}`),
      });
      if (this.prisma.paths().length) {
        this.cachedFindings.push(...lintPrisma({
          files: this.prisma.all(),
          sql: this.model(),
          sqlFiles: this.sqlPaths(),
          config: this.config,
          now: this.now,
          onRuleError: (rule, err) => this.logger?.error(`rule ${rule} failed: ${(err as Error).message}`),
        }));
      }
      // What only schema.prisma can fix is reported there, not on Prisma's generated migration.sql.
      this.cachedFindings = withoutPrismaOwned(this.cachedFindings, this.prisma.paths());
      this.byFile = new Map();
      for (const f of this.cachedFindings) {
        const list = this.byFile.get(f.file);
        if (list) list.push(f);
        else this.byFile.set(f.file, [f]);
      }
    }
    return this.cachedFindings;
  }

  /**
   * The findings of one file. Right after an edit this runs the rules for that file only (the model is
   * still rebuilt whole, so cross-file facts are right); `findings()` then fills in the rest.
   */
  findingsFor(path: string): Finding[] {
    if (this.byFile) return this.byFile.get(path) ?? [];
    if (!this.files.has(path)) return [];
    let list = this.fileOnly.get(path);
    if (!list) {
      const files = this.orderedFiles();
      // A model of just what this file's findings depend on: a fraction of a full rebuild.
      const model = this.cachedModel ?? buildModel(files, { assumeInTransaction: this.config.assumeInTransaction, focus: { file: path, keys: focusKeys(files, path) } });
      list = withoutPrismaOwned(runRules({
        files,
        model,
        config: this.config,
        rules: this.rules,
        now: this.now,
        only: path,
        onRuleError: (rule, err) => this.logger?.error(`rule ${rule} failed: ${(err as Error).message}`),
      }), this.prisma.paths());
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

  private orderedFiles(): ParsedFile[] {
    return this.sqlPaths().map((p) => this.files.get(p)!.parsed);
  }

  private invalidate(modelToo: boolean): void {
    if (modelToo) this.cachedModel = undefined;
    this.cachedFindings = undefined;
    this.byFile = undefined;
    this.fileOnly.clear();
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
