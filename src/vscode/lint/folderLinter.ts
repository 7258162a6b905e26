import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { CONFIG_FILE, type Analyzer, type Finding } from '../../core/analysis';
import { IGNORED_DIRS } from '../../core/workspace/migrations';
import { configErrorRange } from '../../core/editing/settings';
import type { Project } from '../../core/workspace/project';
import type { SyncProgress } from '../../core/workspace/projectAnalyzer';
import type { Projects } from '../db/projects';
import type { Logger } from '../../core/log';
import { isPrismaPath } from '../../core/prisma/parse';
import { findingsSignature, SOURCE, toDiagnostic, toRange } from './convert';

/** True when a path lies inside a generated/third-party folder or a dot-folder below `root`. */
export function isIgnoredPath(root: string, path: string): boolean {
  if (!path.startsWith(root + sep)) return true;
  const parts = path.slice(root.length + 1).split(sep).slice(0, -1);
  return parts.some((p) => IGNORED_DIRS.has(p) || p.startsWith('.'));
}

/**
 * The diagnostics of one workspace folder, from its Project's one analyzer (the same the agents' tools and slash
 * commands read): it hands the Project the open documents' text as overlays and the file watcher's news, and keeps
 * what was last published to the diagnostics collection, so only files whose findings changed are re-sent.
 */
export class FolderLinter {
  readonly root: string;
  private published = new Map<string, string>();
  private configProblem: vscode.Diagnostic | undefined;
  private configProblemShown = false;
  /** Durations (ms) of the last publish: running the rules (model + findings) and sending diagnostics. */
  lastTimings = { analyseMs: 0, sendMs: 0 };

  private constructor(readonly folder: vscode.WorkspaceFolder, readonly analyzer: Analyzer, private readonly project: Project, private readonly projects: Projects, private readonly log: Logger) {
    this.root = folder.uri.fsPath;
  }

  static async create(folder: vscode.WorkspaceFolder, log: Logger, projects: Projects): Promise<FolderLinter> {
    const project = projects.forFolder(folder);
    return new FolderLinter(folder, await project.analyzer(), project, projects, log);
  }

  get configUri(): vscode.Uri {
    return vscode.Uri.file(join(this.root, CONFIG_FILE));
  }

  /**
   * Re-reads the folder's project config (`.dbe.json` + settings, merged once in the Project) and applies it. A
   * broken file keeps the defaults (plus settings) and becomes one diagnostic on the file and a log line, rather
   * than silently dropping the user's config.
   */
  async reloadConfig(): Promise<void> {
    this.configProblem = undefined;
    this.project.reload(this.projects.overlay(this.folder.uri));
    const problem = this.project.problems().find((p) => p.kind === 'config');
    if (problem) {
      const path = this.configUri.fsPath;
      const text = await readFile(path, 'utf8').catch(() => '');
      this.log.error(`${problem.message} — using the default configuration until it is fixed`);
      const d = new vscode.Diagnostic(toRange(configErrorRange(text, problem.message)), `${problem.message.replace(`${path}: `, '')}. Database Engineer uses its defaults until this is fixed.`, vscode.DiagnosticSeverity.Error);
      d.source = SOURCE;
      d.code = 'config';
      this.configProblem = d;
    }
  }

  /** Reads the project's files (the first time: all of them) into its analyzer. */
  async load(onProgress?: SyncProgress): Promise<void> {
    await this.project.analysis(onProgress);
  }

  /**
   * An open document: the Project analyses its current text instead of the disk's until `closed` (asked on every
   * analysis, so the agents' tools see each edit at once). Applies the text now; returns whether it changed.
   */
  open(doc: vscode.TextDocument): boolean {
    return this.project.setOverlay(doc.uri.fsPath, () => doc.getText());
  }

  isOpen(path: string): boolean {
    return this.project.hasOverlay(path);
  }

  /** The document closed: the disk is the truth for its file again. */
  closed(path: string): void {
    this.project.clearOverlay(path);
  }

  /** A file or folder changed on disk (the watcher's news): read again on the next publish. */
  changedOnDisk(path: string): void {
    this.project.fileChanged(path);
  }

  contains(path: string): boolean {
    return !isIgnoredPath(this.root, path);
  }

  findingsFor(path: string): Finding[] {
    // A .prisma file's findings depend on every migration: they come with the whole analysis.
    if (isPrismaPath(path)) this.analyzer.findings();
    return this.analyzer.findingsFor(path);
  }

  /**
   * Runs the rules (lazily, only when something changed) and re-sends diagnostics for every file whose
   * findings differ from what the collection shows. `visible(path)` implements the scope setting.
   * Returns how many files were re-published.
   */
  async publish(collection: vscode.DiagnosticCollection, visible: (path: string) => boolean): Promise<number> {
    const started = performance.now();
    await this.project.analysis(); // reads what the watcher reported since; nothing when nothing changed
    const findings = this.analyzer.findings();
    const analysed = performance.now();
    const byFile = new Map<string, Finding[]>();
    for (const f of findings) {
      const list = byFile.get(f.file);
      if (list) list.push(f);
      else byFile.set(f.file, [f]);
    }
    let changed = 0;
    const paths = new Set([...this.analyzer.paths(), ...this.published.keys()]);
    for (const path of paths) {
      const list = this.analyzer.hasFile(path) && visible(path) ? byFile.get(path) ?? [] : [];
      const sig = list.length ? findingsSignature(list) : '';
      if ((this.published.get(path) ?? '') === sig) continue;
      changed++;
      const uri = vscode.Uri.file(path);
      if (list.length) {
        collection.set(uri, list.map(toDiagnostic));
        this.published.set(path, sig);
      } else {
        collection.delete(uri);
        this.published.delete(path);
      }
    }
    if (this.configProblem) collection.set(this.configUri, [this.configProblem]);
    else if (this.configProblemShown) collection.delete(this.configUri);
    this.configProblemShown = Boolean(this.configProblem);
    this.lastTimings = { analyseMs: analysed - started, sendMs: performance.now() - analysed };
    return changed;
  }

  /** Removes everything this folder published. */
  clear(collection: vscode.DiagnosticCollection): void {
    for (const path of this.published.keys()) collection.delete(vscode.Uri.file(path));
    this.published.clear();
    if (this.configProblemShown) collection.delete(this.configUri);
    this.configProblemShown = false;
  }
}
