import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { Analyzer, CONFIG_FILE, type Finding } from '../../core/analysis';
import { IGNORED_DIRS } from '../../core/workspace/migrations';
import { configErrorRange } from '../../core/editing/settings';
import type { Project } from '../../core/workspace/project';
import type { Projects } from '../db/projects';
import type { Logger } from '../../core/log';
import { isPrismaPath } from '../../core/prisma/parse';
import { findingsSignature, SOURCE, toDiagnostic, toRange } from './convert';

/** A glob of the folders whose .sql files are never the user's schema (same list as the CLI's detection). */
export const EXCLUDE_GLOB = `**/{${[...IGNORED_DIRS].join(',')}}/**`;

/** True when a path lies inside a generated/third-party folder or a dot-folder below `root`. */
export function isIgnoredPath(root: string, path: string): boolean {
  if (!path.startsWith(root + sep)) return true;
  const parts = path.slice(root.length + 1).split(sep).slice(0, -1);
  return parts.some((p) => IGNORED_DIRS.has(p) || p.startsWith('.'));
}

/**
 * The analyzer state of one workspace folder: its project's config (`.dbe.json` + settings), every .sql
 * file (disk text, or the editor's text for open documents) in migration order, and what was last published
 * to the diagnostics collection, so only files whose findings changed are re-sent.
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
    const analyzer = await Analyzer.create({ logger: log });
    return new FolderLinter(folder, analyzer, projects.forFolder(folder), projects, log);
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
    this.analyzer.setConfig(this.project.getConfig());
    this.refreshOrder();
  }

  /** Migration order from the project's migration folders; other .sql files follow by path. */
  refreshOrder(): void {
    this.analyzer.setOrder(this.project.migrations().files);
  }

  /** Every .sql and .prisma file of the folder, as `findFiles` sees it (respecting the generated-folder excludes). */
  async listSqlFiles(token?: vscode.CancellationToken): Promise<string[]> {
    const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(this.folder, '**/*.{sql,prisma}'), EXCLUDE_GLOB, undefined, token);
    return uris.filter((u) => u.scheme === 'file').map((u) => u.fsPath).filter((p) => !isIgnoredPath(this.root, p));
  }

  setText(path: string, text: string): boolean {
    return this.analyzer.setFile(path, text);
  }

  remove(path: string): boolean {
    return this.analyzer.removeFile(path);
  }

  has(path: string): boolean {
    return this.analyzer.hasFile(path);
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
  publish(collection: vscode.DiagnosticCollection, visible: (path: string) => boolean): number {
    const started = performance.now();
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
