/**
 * The editor's projects: one core `Project` per workspace folder, its overlay the folder's
 * `databaseEngineer.lint.*` settings, its database whatever the connections feature says (the active live
 * connection, else the embedded database). The linter, the agents' tools, the slash commands, Optimize Query and
 * the embedded database all ask here, so they read one config and one set of migration folders.
 */
import * as vscode from 'vscode';
import { allRuleIds, type DbeConfig } from '../core/analysis';
import { settingsOverlay } from '../core/editing/settings';
import type { Logger } from '../core/log';
import { Project, type DatabaseSource } from '../core/workspace/project';

/** The folder's lint settings as a config overlay; entries set explicitly (not defaults) replace `.dbe.json`'s lists. */
export function settingsOverlayFor(folder: vscode.Uri, log: Logger): Partial<DbeConfig> {
  const settings = vscode.workspace.getConfiguration('databaseEngineer.lint', folder);
  const explicit = <T>(key: string): T | undefined => {
    const i = settings.inspect<T>(key);
    return i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue;
  };
  const { overlay, problems } = settingsOverlay(
    { rules: settings.get('rules'), exposedSchemas: explicit('exposedSchemas'), migrationFolders: explicit('migrationFolders') },
    allRuleIds,
  );
  for (const p of problems) log.warn(p);
  return overlay;
}

class EditorProjects {
  private readonly byRoot = new Map<string, Project>();
  private source?: DatabaseSource;
  /** Asked on every call, so a connection chosen later is the one the projects use. */
  private readonly database: DatabaseSource = {
    describe: () => this.source?.describe(),
    open: async () => this.source?.open(),
  };

  constructor(private readonly log: Logger) {
    vscode.workspace.onDidChangeConfiguration((e) => {
      for (const [root, project] of this.byRoot) {
        if (e.affectsConfiguration('databaseEngineer.lint', vscode.Uri.file(root))) project.reload(settingsOverlayFor(vscode.Uri.file(root), this.log));
      }
    });
    vscode.workspace.onDidChangeWorkspaceFolders((e) => {
      for (const f of e.removed) {
        void this.byRoot.get(f.uri.fsPath)?.dispose();
        this.byRoot.delete(f.uri.fsPath);
      }
    });
  }

  /** The project of a workspace folder (created on first use). */
  forFolder(folder: vscode.WorkspaceFolder | vscode.Uri): Project {
    const uri = folder instanceof vscode.Uri ? folder : folder.uri;
    let project = this.byRoot.get(uri.fsPath);
    if (!project) {
      project = new Project({ root: uri.fsPath, overlay: settingsOverlayFor(uri, this.log), database: this.database, log: this.log });
      this.byRoot.set(uri.fsPath, project);
    }
    return project;
  }

  /** The project a file belongs to, else the first folder's; undefined when no folder is open. */
  forFile(uri?: vscode.Uri): Project | undefined {
    const folder = (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
    return folder ? this.forFolder(folder) : undefined;
  }

  /** Where the projects' database comes from (the connections feature registers itself). */
  setDatabaseSource(source: DatabaseSource): void {
    this.source = source;
  }
}

let instance: EditorProjects | undefined;

/** The extension's projects (one set per extension host). */
export function editorProjects(log: Logger): EditorProjects {
  return (instance ??= new EditorProjects(log));
}

export type { EditorProjects };
