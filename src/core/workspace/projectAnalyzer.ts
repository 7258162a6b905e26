/**
 * The project's one incremental analyzer and the files it reads: the migrations in apply order, the project's other
 * .sql files and the SQL in its TypeScript/JavaScript files (checked against the schema the migrations build), and its .prisma files. Each file's text is
 * the face's overlay when one is set (an editor's unsaved buffer), else the disk's.
 *
 * Two ways to stay current, chosen by the face:
 * - unwatched (CLI, MCP server, tests): every `sync()` walks the folders and re-reads every file; the analyzer
 *   re-parses only what changed, so a round costs file reads, not a full re-parse;
 * - watched (the editor, whose file watchers report every change through `fileChanged`): the first `sync()` walks
 *   and reads everything, later ones read only the files reported since (and, when the set changed, the new ones).
 * An overlay is a text, or a function giving the current text (an open editor document): every sync asks it again,
 * so readers see the buffer as it is now without the face reporting each keystroke, and an edit costs what it costs
 * the analyzer alone.
 */
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Analyzer, type DbeConfig, type SchemaModel } from '../analysis';
import { buildModel } from '../schema/build';
import type { ParsedFile } from '../sql/parse';
import type { Logger } from '../log';
import type { MigrationSet } from './migrations';
import { isCodePath } from '../sql/inCode';

/** The files a project analyses, as walked from its folders. */
export interface ProjectFiles {
  migrations: MigrationSet;
  /** Absolute paths of the .sql files below the root that are not migrations (queries, seeds, snippets), by path. */
  otherSql: string[];
  /** Absolute paths of the .prisma files below the root, by path. */
  prisma: string[];
  /** Absolute paths of the TypeScript/JavaScript files below the root (SQL in their literals is checked), by path. */
  code: string[];
}

export interface AnalysisSource {
  /** Walks the project's folders now. */
  files(): ProjectFiles;
  /** The project's merged config, asked on every sync (a reload replaces it). */
  config(): DbeConfig;
  log: Logger;
  /** The face reports every change on disk through `fileChanged`. */
  watched: boolean;
}

/** A file's text in place of its disk content: fixed, or asked for on every sync. */
export type OverlayText = string | (() => string);

/** Called every few files while a sync reads them (the editor shows it as progress). */
export type SyncProgress = (done: number, total: number) => void;

/** How many files a sync reads before it yields to the event loop (an extension host must keep answering). */
const BATCH = 25;

export class ProjectAnalyzer {
  private creating?: Promise<Analyzer>;
  private analyzer?: Analyzer;
  private readonly overlays = new Map<string, OverlayText>();
  /** The file set last walked; undefined: walk on the next sync. */
  private files?: ProjectFiles;
  /** Files to re-read on the next sync (watched mode). */
  private readonly dirty = new Set<string>();
  /** Syncs run one after another: two interleaved walks could undo each other's removals. */
  private queue: Promise<unknown> = Promise.resolve();
  private migrationsModel?: { inputs: ParsedFile[]; inTx: boolean; model: SchemaModel };
  /**
   * Unwatched, a TypeScript/JavaScript file is read again only when its size or modification time changed: a project
   * has many more of them than SQL files, and few hold SQL (an agent's every tool call re-syncs).
   */
  private readonly codeStamps = new Map<string, string>();

  constructor(private readonly source: AnalysisSource) {}

  /** The analyzer, created (the parsers loaded) but not synced. */
  async created(): Promise<Analyzer> {
    this.creating ??= Analyzer.create({ config: this.source.config(), logger: this.source.log });
    return (this.analyzer = await this.creating);
  }

  /**
   * Brings the analyzer up to date with the disk and the overlays and returns it with the file set. Concurrent
   * callers share the queue: each sees every change reported before it called.
   */
  sync(onProgress?: SyncProgress): Promise<{ analyzer: Analyzer; files: ProjectFiles }> {
    const run = this.queue.then(() => this.syncNow(onProgress));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Uses `text` for `path` instead of its disk content (an open editor's buffer), until `clearOverlay`. Applied to the
   * analyzer at once when it exists; returns whether that changed the analyzer's text for the file.
   */
  setOverlay(path: string, text: OverlayText): boolean {
    this.overlays.set(path, text);
    const analyzer = this.analyzer;
    if (!analyzer) return false;
    // A file the last walk did not see (created and opened before the watcher spoke): walk again on the next sync,
    // it may be a migration, which changes the order.
    if (!analyzer.hasFile(path)) this.files = undefined;
    return analyzer.setFile(path, this.overlayText(path)!);
  }

  /** The disk is the truth for `path` again (its editor closed); read on the next sync. */
  clearOverlay(path: string): void {
    if (!this.overlays.delete(path)) return;
    this.fileChanged(path);
  }

  hasOverlay(path: string): boolean {
    return this.overlays.has(path);
  }

  private overlayText(path: string): string | undefined {
    const o = this.overlays.get(path);
    return typeof o === 'function' ? o() : o;
  }

  /** A file or folder below the root was created, changed or deleted on disk. */
  fileChanged(path: string): void {
    if (this.files && this.analyzer?.hasFile(path)) this.dirty.add(path);
    else this.files = undefined; // new, deleted or a folder: the set itself may differ
  }

  /** The config or the migration folders changed: walk again on the next sync and re-run the rules. */
  reset(): void {
    this.files = undefined;
    this.analyzer?.setConfig(this.source.config());
  }

  /**
   * The schema the migrations alone build: what the agents are told the database looks like. The analyzer's own
   * model also applies the other SQL files (their statements need facts for the rules), so it is this model only
   * when there are none; otherwise one more build, redone only when a migration changed.
   */
  schema(analyzer: Analyzer, files: ProjectFiles): SchemaModel {
    if (!files.otherSql.some((p) => analyzer.hasFile(p))) return analyzer.model();
    const inputs = files.migrations.files.map((p) => analyzer.parsed(p)).filter((f): f is ParsedFile => f !== undefined);
    const inTx = Boolean(analyzer.getConfig().assumeInTransaction);
    const cached = this.migrationsModel;
    if (cached && cached.inTx === inTx && cached.inputs.length === inputs.length && cached.inputs.every((f, i) => f === inputs[i])) return cached.model;
    const model = buildModel(inputs, { assumeInTransaction: inTx });
    this.migrationsModel = { inputs, inTx, model };
    return model;
  }

  private async syncNow(onProgress?: SyncProgress): Promise<{ analyzer: Analyzer; files: ProjectFiles }> {
    const analyzer = await this.created();
    if (analyzer.getConfig() !== this.source.config()) analyzer.setConfig(this.source.config());
    let toRead: string[];
    const walk = !this.source.watched || !this.files;
    const files = walk ? (this.files = this.source.files()) : this.files!;
    if (walk) {
      const wanted = new Set([...files.migrations.files, ...files.otherSql, ...files.prisma, ...files.code, ...this.overlays.keys()]);
      for (const p of analyzer.paths()) if (!wanted.has(p)) analyzer.removeFile(p);
      analyzer.setOrder(files.migrations.files);
      analyzer.setQueryFiles(files.otherSql);
      // Watched, the files it already holds are current unless reported: a new file or a new config reads only
      // what is new.
      toRead = this.source.watched ? [...wanted].filter((p) => !analyzer.hasFile(p) || this.dirty.has(p) || this.overlays.has(p)) : [...wanted];
    } else {
      toRead = [...new Set([...this.dirty, ...this.overlays.keys()])];
    }
    this.dirty.clear();
    let vanished = false;
    for (let i = 0; i < toRead.length; i++) {
      const path = toRead[i]!;
      let stamp: string | undefined;
      if (!this.source.watched && isCodePath(path) && !this.overlays.has(path)) {
        // Synchronous: a few microseconds each, where an await per file costs more than the stat.
        let st;
        try { st = statSync(path); } catch { st = undefined; }
        stamp = st && `${st.mtimeMs}:${st.size}`;
        if (stamp && stamp === this.codeStamps.get(path) && analyzer.hasFile(path)) continue;
      }
      const disk = this.overlays.has(path) ? undefined : await readText(path, this.source.log);
      if (stamp && disk !== undefined) this.codeStamps.set(path, stamp);
      // An overlay set while the disk was read wins.
      const text = this.overlayText(path) ?? disk;
      if (text === undefined) {
        analyzer.removeFile(path);
        vanished = true;
      } else {
        analyzer.setFile(path, text);
      }
      if ((i + 1) % BATCH === 0 && i + 1 < toRead.length) {
        onProgress?.(i + 1, toRead.length);
        await new Promise((r) => setImmediate(r));
      }
    }
    if (vanished && !walk) {
      // A reported file is gone: the migration set (and its order) may have changed with it.
      this.files = undefined;
      return this.syncNow(onProgress);
    }
    return { analyzer, files };
  }
}

/** A file's text; undefined when it is gone or unreadable (skipped, with a log line unless simply gone). */
async function readText(path: string, log: Logger): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn(`cannot read ${path}: ${(err as Error).message}`);
    return undefined;
  }
}
