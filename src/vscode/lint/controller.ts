import * as vscode from 'vscode';
import { sep } from 'node:path';
import { listFiles } from '../../core/workspace/migrations';
import { CONFIG_FILE } from '../../core/analysis';
import { FolderLinter } from './folderLinter';
import { LooseSqlFiles } from './looseFiles';
import { CODE_EXTENSIONS, isCodePath } from '../../core/sql/inCode';
import type { Config, LintScope } from '../config';
import type { Projects } from '../db/projects';

/** How long typing must pause before the workspace is re-analysed. */
export const DEBOUNCE_MS = 200;

/** Files the analyzer reads: SQL (migrations and query files), Prisma schemas, and TypeScript/JavaScript (their SQL). */
const ANALYSED = `**/*.{sql,prisma,${CODE_EXTENSIONS.join(',')}}`;
const isAnalysedPath = (p: string) => /\.(sql|prisma)$/i.test(p) || isCodePath(p);

/** A SQL document no project folder holds (another folder on disk, an untitled editor): syntax checks alone. */
const isLooseSql = (doc: vscode.TextDocument) => (doc.uri.scheme === 'file' && /\.sql$/i.test(doc.uri.fsPath)) || (doc.uri.scheme === 'untitled' && doc.languageId === 'sql');

/**
 * Keeps one FolderLinter per workspace folder in step with the editor: initial load with progress,
 * debounced document edits, files created/changed/deleted on disk, `.dbe.json` and settings changes, and the
 * scope setting. All analysis runs after the debounce in one batch, then only changed files are re-published.
 */
export class LintController implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('database-engineer');
  private readonly loose = new LooseSqlFiles(this.collection);
  private readonly linters = new Map<string, FolderLinter>();
  private readonly loading = new Set<Promise<unknown>>();
  /** Pending work keyed by what it is about (a path, a folder's config), so repeated events collapse. */
  private readonly pending = new Map<string, () => Promise<void> | void>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private idleWaiters: (() => void)[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  /** The last batch: how long analysis + publish took and how many files were re-published. */
  lastUpdate = { ms: 0, applyMs: 0, analyseMs: 0, sendMs: 0, republished: 0, at: 0 };

  constructor(private readonly log: vscode.LogOutputChannel, private readonly config: Config, private readonly projects: Projects) {}

  get scope(): LintScope {
    return this.config.lintScope;
  }

  all(): FolderLinter[] {
    return [...this.linters.values()];
  }

  /** The linter owning a file URI (a .sql file under a workspace folder, outside generated folders). */
  linterFor(uri: vscode.Uri): FolderLinter | undefined {
    if (uri.scheme !== 'file') return undefined;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const linter = folder && this.linters.get(folder.uri.toString());
    return linter && linter.contains(uri.fsPath) ? linter : undefined;
  }

  /** Starts linting every file-system workspace folder; resolves when all are loaded and published. */
  async start(): Promise<void> {
    this.wire();
    await this.addFolders(vscode.workspace.workspaceFolders ?? []);
    // SQL already open outside every folder when the extension started.
    for (const doc of vscode.workspace.textDocuments) if (!this.linterFor(doc.uri) && isLooseSql(doc)) this.scheduleDocument(doc);
  }

  private async addFolders(folders: readonly vscode.WorkspaceFolder[]): Promise<void> {
    const work = folders.filter((f) => f.uri.scheme === 'file' && !this.linters.has(f.uri.toString())).map((f) => this.track(this.loadFolder(f)));
    await Promise.all(work);
  }

  private removeFolder(folder: vscode.WorkspaceFolder): void {
    const linter = this.linters.get(folder.uri.toString());
    if (!linter) return;
    linter.clear(this.collection);
    this.linters.delete(folder.uri.toString());
  }

  private async track<T>(p: Promise<T>): Promise<T> {
    this.loading.add(p);
    try {
      return await p;
    } finally {
      this.loading.delete(p);
      this.checkIdle();
    }
  }

  private async loadFolder(folder: vscode.WorkspaceFolder): Promise<void> {
    const started = performance.now();
    const linter = await FolderLinter.create(folder, this.log, this.projects);
    this.linters.set(folder.uri.toString(), linter);
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Database Engineer: analysing SQL in ${folder.name}` },
      async (progress) => {
        await linter.reloadConfig();
        // Open documents are the truth for their files: the Project reads them instead of the disk.
        for (const doc of vscode.workspace.textDocuments) {
          if (isAnalysedPath(doc.uri.fsPath) && this.linterFor(doc.uri) === linter) linter.open(doc);
        }
        await linter.load((done, total) => progress.report({ message: `${done}/${total} files` }));
        await linter.publish(this.collection, this.visible);
      },
    );
    this.log.info(`lint: ${folder.name}: ${linter.analyzer.paths().length} files analysed (SQL, Prisma, SQL in code) in ${Math.round(performance.now() - started)} ms`);
  }

  /** Scope filter: every file, or only files shown in an editor tab. */
  private readonly visible = (path: string): boolean => {
    if (this.scope === 'workspace') return true;
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) {
        const input = tab.input;
        if (input instanceof vscode.TabInputText && input.uri.scheme === 'file' && input.uri.fsPath === path) return true;
        if (input instanceof vscode.TabInputTextDiff && input.modified.scheme === 'file' && input.modified.fsPath === path) return true;
      }
    }
    return false;
  };

  private wire(): void {
    const sqlWatcher = vscode.workspace.createFileSystemWatcher(ANALYSED);
    const configWatcher = vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE}`);
    const onDisk = (uri: vscode.Uri) => {
      const linter = this.linterFor(uri);
      if (!linter) return;
      // Told at once, so an agent's tool call before the debounce reads it too; an open document stays the truth.
      linter.changedOnDisk(uri.fsPath);
      this.schedule(`disk:${uri.fsPath}`, () => {}, linter);
    };
    // A folder created or deleted as a whole (a new Prisma migration folder `<ts>_name/migration.sql`, a
    // checkout) may arrive as one event for the folder only: pick up or drop the files inside it.
    const folderWatcher = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    const onFolderCreated = async (uri: vscode.Uri) => {
      if (isAnalysedPath(uri.fsPath) || !this.linterFor(uri)) return;
      const stat = await Promise.resolve(vscode.workspace.fs.stat(uri)).catch(() => undefined);
      if (stat?.type !== vscode.FileType.Directory) return;
      for (const f of listFiles(uri.fsPath, isAnalysedPath)) onDisk(vscode.Uri.file(f));
    };
    const onFolderDeleted = (uri: vscode.Uri) => {
      const linter = this.linterFor(uri);
      if (!linter || isAnalysedPath(uri.fsPath)) return;
      for (const p of linter.analyzer.paths()) if (p.startsWith(uri.fsPath + sep)) onDisk(vscode.Uri.file(p));
    };
    const onConfig = (uri: vscode.Uri) => {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      const linter = folder && this.linters.get(folder.uri.toString());
      if (linter && uri.fsPath === linter.configUri.fsPath) this.schedule(`config:${linter.root}`, () => linter.reloadConfig(), linter);
    };
    this.disposables.push(
      this.collection,
      sqlWatcher,
      configWatcher,
      folderWatcher,
      folderWatcher.onDidCreate((uri) => void onFolderCreated(uri)),
      folderWatcher.onDidDelete(onFolderDeleted),
      sqlWatcher.onDidCreate(onDisk),
      sqlWatcher.onDidChange(onDisk),
      sqlWatcher.onDidDelete(onDisk),
      configWatcher.onDidCreate(onConfig),
      configWatcher.onDidChange(onConfig),
      configWatcher.onDidDelete(onConfig),
      // Files created, deleted or renamed by the editor itself (quick fixes, explorer) arrive here first.
      vscode.workspace.onDidCreateFiles((e) => e.files.forEach(onDisk)),
      vscode.workspace.onDidDeleteFiles((e) => e.files.forEach(onDisk)),
      vscode.workspace.onDidRenameFiles((e) => e.files.forEach((f) => { onDisk(f.oldUri); onDisk(f.newUri); })),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.scheduleDocument(e.document);
      }),
      vscode.workspace.onDidOpenTextDocument((d) => this.scheduleDocument(d)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        // Closing a document with unsaved changes: the file on disk is the truth again.
        const linter = this.linterFor(d.uri);
        if (!linter && isLooseSql(d)) this.schedule(`loose:${d.uri.toString()}`, () => this.loose.close(d.uri));
        if (!linter || !isAnalysedPath(d.uri.fsPath)) return;
        linter.closed(d.uri.fsPath);
        this.schedule(`disk:${d.uri.fsPath}`, () => {}, linter);
      }),
      this.config.onDidChange((reloads) => {
        for (const linter of this.linters.values()) {
          if (reloads.has('lint')) this.schedule(`config:${linter.root}`, () => linter.reloadConfig(), linter);
          else if (reloads.has('lintScope')) this.schedule(`scope:${linter.root}`, () => {}, linter);
        }
      }),
      vscode.window.tabGroups.onDidChangeTabs(() => {
        if (this.scope === 'openFiles') for (const linter of this.linters.values()) this.schedule(`scope:${linter.root}`, () => {}, linter);
      }),
      vscode.workspace.onDidChangeWorkspaceFolders((e) => {
        e.removed.forEach((f) => this.removeFolder(f));
        void this.addFolders(e.added);
      }),
    );
  }

  private scheduleDocument(doc: vscode.TextDocument): void {
    const linter = this.linterFor(doc.uri);
    if (!linter) {
      if (isLooseSql(doc) && this.looseAllowed(doc)) this.schedule(`loose:${doc.uri.toString()}`, () => this.loose.update(doc));
      return;
    }
    if (!isAnalysedPath(doc.uri.fsPath)) return;
    // Registered at once (the agents' tools read the buffer from then on); edits only need a publish.
    if (!doc.isClosed && !linter.isOpen(doc.uri.fsPath)) linter.open(doc);
    this.schedule(doc.uri.fsPath, () => {}, linter);
  }

  private readonly touched = new Set<FolderLinter>();

  /**
   * A loose SQL document is checked unless a workspace folder that is still loading may claim it, or it lies in a
   * folder's generated or dot folders (node_modules …), which the projects skip on purpose.
   */
  private looseAllowed(doc: vscode.TextDocument): boolean {
    if (doc.uri.scheme !== 'file') return true;
    return !vscode.workspace.getWorkspaceFolder(doc.uri);
  }

  /** Queues work for the next batch (after the debounce); the same key replaces earlier work. */
  private schedule(key: string, work: () => Promise<void> | void, linter?: FolderLinter): void {
    this.pending.set(key, work);
    if (linter) this.touched.add(linter);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, DEBOUNCE_MS);
  }

  private async flush(): Promise<void> {
    if (this.flushing) return; // the running batch picks the new work up when it ends
    this.flushing = (async () => {
      await Promise.all([...this.loading]);
      const started = performance.now();
      const work = [...this.pending.values()];
      const linters = [...this.touched];
      this.pending.clear();
      this.touched.clear();
      for (const w of work) {
        try {
          await w();
        } catch (err) {
          this.log.error(`lint: update failed: ${(err as Error).stack ?? err}`);
        }
      }
      const applied = performance.now();
      let republished = 0, analyseMs = 0, sendMs = 0;
      for (const l of linters) {
        if (this.linters.get(l.folder.uri.toString()) !== l) continue;
        republished += await l.publish(this.collection, this.visible);
        analyseMs += l.lastTimings.analyseMs;
        sendMs += l.lastTimings.sendMs;
      }
      this.lastUpdate = { ms: performance.now() - started, applyMs: applied - started, analyseMs, sendMs, republished, at: Date.now() };
      this.log.trace(`lint: ${work.length} change(s) analysed in ${this.lastUpdate.ms.toFixed(1)} ms (rules ${analyseMs.toFixed(1)} ms), ${republished} file(s) re-published`);
    })();
    try {
      await this.flushing;
    } finally {
      this.flushing = undefined;
      if (this.pending.size && !this.timer) void this.flush();
      this.checkIdle();
    }
  }

  /**
   * Applies a document's current text at once (code actions and hovers must see what the user sees, not
   * what the last debounce saw) and publishes when that changed anything. Returns the document's linter.
   */
  syncDocument(doc: vscode.TextDocument): FolderLinter | undefined {
    const linter = this.linterFor(doc.uri);
    if (!linter || !isAnalysedPath(doc.uri.fsPath)) return linter;
    if (linter.open(doc)) void linter.publish(this.collection, this.visible);
    return linter;
  }

  private isIdle(): boolean {
    return !this.timer && !this.flushing && this.loading.size === 0 && this.pending.size === 0;
  }

  private checkIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach((w) => w());
  }

  /**
   * Resolves once every pending analysis has run and published. Open documents whose text the analyzer has
   * not seen yet (an edit whose change event is still in flight) are queued first.
   */
  whenIdle(): Promise<void> {
    for (const doc of vscode.workspace.textDocuments) {
      const linter = this.linterFor(doc.uri);
      if (!linter || !isAnalysedPath(doc.uri.fsPath)) continue;
      if (linter.analyzer.textOf(doc.uri.fsPath) !== doc.getText()) this.scheduleDocument(doc);
    }
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.disposables.forEach((d) => d.dispose());
    this.checkIdle();
  }
}
