import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { loadCatalog, type AgentCatalog, type DiscoveryOptions } from '../../core/agents';
import type { Host } from '../host';

/** The agent catalog as the other services see it. */
export interface Agents {
  /** The current catalog; the first call reads the agent files. */
  catalog(): AgentCatalog;
  /** Fires after every reload. */
  readonly onDidChange: vscode.Event<AgentCatalog>;
  /** Reads the files again now (tests; watchers and settings do it on their own). */
  reload(): AgentCatalog;
}

/**
 * The agent catalog (bundled, ~/.claude/agents, each workspace folder, the agentFolders setting), read on first use
 * and reloaded when any of those files or the settings change.
 */
export function createAgents(host: Host): Agents {
  const changed = new vscode.EventEmitter<AgentCatalog>();
  const logged = new Set<string>();
  let catalog: AgentCatalog | undefined;
  let watchers: vscode.Disposable[] = [];
  let timer: NodeJS.Timeout | undefined;

  const reload = (): AgentCatalog => {
    catalog = load(host, logged);
    changed.fire(catalog);
    return catalog;
  };
  const scheduleReload = () => {
    clearTimeout(timer);
    timer = setTimeout(reload, 150); // a save often touches a file several times
  };
  const rewatch = () => {
    watchers.forEach((w) => w.dispose());
    watchers = watchPatterns(host).map((pattern) => {
      const w = vscode.workspace.createFileSystemWatcher(pattern);
      w.onDidCreate(scheduleReload);
      w.onDidChange(scheduleReload);
      w.onDidDelete(scheduleReload);
      return w;
    });
  };
  rewatch();

  host.extension.subscriptions.push(
    changed,
    { dispose: () => { clearTimeout(timer); watchers.forEach((w) => w.dispose()); } },
    host.config.onDidChange((reloads) => {
      if (reloads.has('agents')) {
        rewatch();
        reload();
      }
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      rewatch();
      reload();
    }),
  );

  return { catalog: () => (catalog ??= load(host, logged)), onDidChange: changed.event, reload };
}

function discoveryOptions({ extension, config }: Host): DiscoveryOptions {
  const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  return {
    bundledDir: join(extension.extensionPath, 'agents'),
    home: homedir(),
    workspaceFolders: roots,
    settingFolders: settingFolders(config.agentFolders, roots),
    modelAliases: config.modelAliases,
  };
}

/** `~/x` → home, absolute as is, relative → under each workspace folder. */
function settingFolders(folders: string[], roots: string[]): string[] {
  return folders
    .filter((f) => typeof f === 'string' && f.trim())
    .flatMap((f) => {
      const p = f.trim();
      if (p === '~' || p.startsWith('~/')) return [join(homedir(), p.slice(1))];
      if (isAbsolute(p)) return [p];
      return roots.map((r) => join(r, p));
    });
}

function load(host: Host, logged: Set<string>): AgentCatalog {
  const catalog = loadCatalog(discoveryOptions(host));
  for (const { agent } of catalog.entries) {
    for (const w of agent.warnings) {
      const text = `agent ${agent.file}${w.line ? `:${w.line}` : ''}: ${w.message}`;
      if (!logged.has(text)) host.log.warn(text); // once per distinct warning, not on every reload
      logged.add(text);
    }
  }
  host.log.info(`agents: ${catalog.active().length} active from ${catalog.entries.length} files`);
  return catalog;
}

function watchPatterns(host: Host): vscode.GlobPattern[] {
  const o = discoveryOptions(host);
  const patterns: vscode.GlobPattern[] = (vscode.workspace.workspaceFolders ?? []).map(
    // The folders too: when `.claude/agents/` appears as a whole (copied in, or created with its first file),
    // the watcher may report only the folder, and a reload reads whatever it holds.
    (f) => new vscode.RelativePattern(f, '{.claude,.claude/agents,.claude/agents/*.md,.github,.github/agents,.github/agents/*.agent.md,.github/chatmodes,.github/chatmodes/*.chatmode.md}'),
  );
  const outside = [o.bundledDir!, join(o.home!, '.claude', 'agents'), ...(o.settingFolders ?? [])];
  for (const dir of outside) patterns.push(new vscode.RelativePattern(vscode.Uri.file(dir), '*.md'));
  return patterns;
}
