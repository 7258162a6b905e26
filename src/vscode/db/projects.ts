/**
 * The editor's projects: one core `Project` per workspace folder, its overlay the folder's `databaseEngineer.lint.*`
 * settings, its database whatever the connections service says (the active live connection, else the embedded
 * database). The linter, the agents' tools, the slash commands, Optimize Query and the embedded database all ask
 * here, so they read one config and one set of migration folders.
 */
import * as vscode from 'vscode';
import { allRuleIds, type DbeConfig } from '../../core/analysis';
import { settingsOverlay } from '../../core/editing/settings';
import { Project, type DatabaseSource } from '../../core/workspace/project';
import type { Host } from '../host';

export class Projects implements vscode.Disposable {
  private readonly byRoot = new Map<string, Project>();
  private source?: DatabaseSource;
  /** Asked on every call, so a connection chosen later is the one the projects use. */
  private readonly database: DatabaseSource = {
    describe: () => this.source?.describe(),
    open: async () => this.source?.open(),
  };
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly host: Host) {
    this.disposables = [
      host.config.onDidChange((reloads) => {
        if (!reloads.has('lint')) return;
        for (const [root, project] of this.byRoot) project.reload(this.overlay(vscode.Uri.file(root)));
      }),
      vscode.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const f of e.removed) {
          void this.byRoot.get(f.uri.fsPath)?.dispose();
          this.byRoot.delete(f.uri.fsPath);
        }
      }),
    ];
  }

  /** The folder's lint settings as a config overlay; entries set explicitly (not defaults) replace `.dbe.json`'s lists. */
  overlay(folder: vscode.Uri): Partial<DbeConfig> {
    const { overlay, problems } = settingsOverlay(this.host.config.lintSettings(folder), allRuleIds);
    for (const p of problems) this.host.log.warn(p);
    return overlay;
  }

  /** The project of a workspace folder (created on first use). */
  forFolder(folder: vscode.WorkspaceFolder | vscode.Uri): Project {
    const uri = folder instanceof vscode.Uri ? folder : folder.uri;
    let project = this.byRoot.get(uri.fsPath);
    if (!project) {
      project = new Project({ root: uri.fsPath, overlay: this.overlay(uri), database: this.database, log: this.host.log });
      this.byRoot.set(uri.fsPath, project);
    }
    return project;
  }

  /** The project a file belongs to, else the first folder's; undefined when no folder is open. */
  forFile(uri?: vscode.Uri): Project | undefined {
    const folder = (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
    return folder ? this.forFolder(folder) : undefined;
  }

  /** Where the projects' database comes from (the connections service, once it exists). */
  useDatabase(source: DatabaseSource): void {
    this.source = source;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
    for (const p of this.byRoot.values()) void p.dispose();
    this.byRoot.clear();
  }
}
