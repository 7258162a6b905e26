import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { Feature, FeatureContext } from './feature';
import { loadCatalog, type AgentCatalog, type DiscoveryOptions, type ModelAliases } from '../core/agents';

/** `ctx.api.agentCatalog`: the current catalog, plus an event fired after every reload. */
export type AgentCatalogAccessor = (() => AgentCatalog) & { onDidChange: vscode.Event<AgentCatalog> };

const SECTION = 'databaseEngineer';
const SETTINGS = [`${SECTION}.agentFolders`, `${SECTION}.modelAliases`];

/**
 * Loads the agent catalog (bundled, ~/.claude/agents, each workspace folder, the agentFolders setting) and
 * reloads it when any of those files or the settings change. Other features read it through
 * `ctx.api.agentCatalog()` and `ctx.api.agentCatalog.onDidChange`.
 */
export const agentsFeature: Feature = {
  name: 'agents',
  register(ctx: FeatureContext) {
    const changed = new vscode.EventEmitter<AgentCatalog>();
    const logged = new Set<string>();
    let catalog = load(ctx, logged);
    let watchers: vscode.Disposable[] = [];
    let timer: NodeJS.Timeout | undefined;

    const reload = (): AgentCatalog => {
      catalog = load(ctx, logged);
      changed.fire(catalog);
      return catalog;
    };
    const scheduleReload = () => {
      clearTimeout(timer);
      timer = setTimeout(reload, 150); // a save often touches a file several times
    };
    const rewatch = () => {
      watchers.forEach((w) => w.dispose());
      watchers = watchPatterns(ctx.extension.extensionPath).map((pattern) => {
        const w = vscode.workspace.createFileSystemWatcher(pattern);
        w.onDidCreate(scheduleReload);
        w.onDidChange(scheduleReload);
        w.onDidDelete(scheduleReload);
        return w;
      });
    };
    rewatch();

    ctx.extension.subscriptions.push(
      changed,
      { dispose: () => { clearTimeout(timer); watchers.forEach((w) => w.dispose()); } },
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (SETTINGS.some((s) => e.affectsConfiguration(s))) {
          rewatch();
          reload();
        }
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        rewatch();
        reload();
      }),
    );

    const accessor: AgentCatalogAccessor = Object.assign(() => catalog, { onDidChange: changed.event });
    ctx.api.agentCatalog = accessor;
    ctx.api.onDidChangeAgentCatalog = changed.event;
    /** Test hook: reload now instead of waiting for a watcher. */
    ctx.api.reloadAgents = reload;
  },
};

function discoveryOptions(extensionPath: string): DiscoveryOptions {
  const config = vscode.workspace.getConfiguration(SECTION);
  const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  return {
    bundledDir: join(extensionPath, 'agents'),
    home: homedir(),
    workspaceFolders: roots,
    settingFolders: settingFolders(config.get<string[]>('agentFolders') ?? [], roots),
    modelAliases: stringMap(config.get<ModelAliases>('modelAliases') ?? {}),
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

function stringMap(value: unknown): ModelAliases {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'string')) as ModelAliases;
}

function load(ctx: FeatureContext, logged: Set<string>): AgentCatalog {
  const catalog = loadCatalog(discoveryOptions(ctx.extension.extensionPath));
  for (const { agent } of catalog.entries) {
    for (const w of agent.warnings) {
      const text = `agent ${agent.file}${w.line ? `:${w.line}` : ''}: ${w.message}`;
      if (!logged.has(text)) ctx.log.warn(text); // once per distinct warning, not on every reload
      logged.add(text);
    }
  }
  ctx.log.info(`agents: ${catalog.active().length} active from ${catalog.entries.length} files`);
  return catalog;
}

function watchPatterns(extensionPath: string): vscode.GlobPattern[] {
  const o = discoveryOptions(extensionPath);
  const patterns: vscode.GlobPattern[] = (vscode.workspace.workspaceFolders ?? []).map(
    // The folders too: when `.claude/agents/` appears as a whole (copied in, or created with its first file),
    // the watcher may report only the folder, and a reload reads whatever it holds.
    (f) => new vscode.RelativePattern(f, '{.claude,.claude/agents,.claude/agents/*.md,.github,.github/agents,.github/agents/*.agent.md,.github/chatmodes,.github/chatmodes/*.chatmode.md}'),
  );
  const outside = [o.bundledDir!, join(o.home!, '.claude', 'agents'), ...(o.settingFolders ?? [])];
  for (const dir of outside) patterns.push(new vscode.RelativePattern(vscode.Uri.file(dir), '*.md'));
  return patterns;
}
