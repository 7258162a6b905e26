/**
 * The RLS reports of the workspace folders: `dbe rls --format json` run as a child process (the simulation runs
 * PGlite for seconds; the extension host must not), one report per folder, refreshed when a migration or
 * `.dbe.json` changes while someone is looking (the view, a CodeLens, the matrix panel).
 */
import * as vscode from 'vscode';
import { execFile, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { RlsReport } from '../../core/rls/types';

export interface RlsHost {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
}

export type ReportState = { status: 'ok'; report: RlsReport } | { status: 'error'; message: string };

export class RlsReports implements vscode.Disposable {
  private readonly reports = new Map<string, Promise<ReportState>>();
  private readonly settled = new Map<string, ReportState>();
  /** Running simulations: a refresh stops them rather than letting stale runs pile up. */
  private readonly running = new Set<ChildProcess>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subs: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** How many simulations ran (tests read it). */
  runs = 0;

  constructor(private readonly host: RlsHost) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/{*.sql,.dbe.json,schema.prisma}');
    const stale = () => this.invalidate();
    this.subs.push(watcher, watcher.onDidChange(stale), watcher.onDidCreate(stale), watcher.onDidDelete(stale), this.changed);
  }

  /** The report of a folder (simulated on first ask, then kept until a migration changes). */
  get(folder: vscode.WorkspaceFolder): Promise<ReportState> {
    const key = folder.uri.fsPath;
    let p = this.reports.get(key);
    if (!p) {
      const run = this.simulate(key);
      p = run;
      this.reports.set(key, run);
      void run.then((state) => {
        if (this.reports.get(key) !== run) return; // invalidated meanwhile
        this.settled.set(key, state);
        this.changed.fire();
      });
    }
    return p;
  }

  /**
   * The report if one is ready, without waiting (code actions and lenses must answer at once); asking starts a
   * simulation when none runs, and `onDidChange` fires when it is ready.
   */
  peek(folder: vscode.WorkspaceFolder, start = true): ReportState | undefined {
    if (start) void this.get(folder);
    return this.settled.get(folder.uri.fsPath);
  }

  /** Drops every report; listeners re-ask (debounced: a save of several files is one refresh). */
  invalidate(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), 500);
  }

  refresh(): void {
    for (const child of this.running) child.kill();
    this.running.clear();
    this.reports.clear();
    this.settled.clear();
    this.changed.fire();
  }

  private simulate(root: string): Promise<ReportState> {
    this.runs++;
    const cli = join(this.host.extension.extensionPath, 'dist', 'cli.js');
    const started = Date.now();
    return new Promise((resolve) => {
      // ELECTRON_RUN_AS_NODE: in the desktop editor process.execPath is Electron; this makes it a plain Node.
      const child = execFile(process.execPath, [cli, 'rls', root, '--format', 'json'], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, maxBuffer: 64 * 1024 * 1024, timeout: 180_000 }, (err, stdout, stderr) => {
        if (err && !stdout) {
          const message = (stderr || err.message).trim().replace(/^dbe rls: /, '');
          this.host.log.warn(`rls: simulation of ${root} failed: ${message}`);
          resolve({ status: 'error', message });
          return;
        }
        try {
          const report = JSON.parse(stdout) as RlsReport;
          this.host.log.info(`rls: simulated ${report.tables.length} table(s) of ${root} in ${Date.now() - started} ms`);
          resolve({ status: 'ok', report });
        } catch (e) {
          resolve({ status: 'error', message: `unreadable simulator output: ${(e as Error).message}` });
        }
      });
      this.running.add(child);
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const child of this.running) child.kill();
    for (const s of this.subs) s.dispose();
  }
}
