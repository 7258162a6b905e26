import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Agent, AgentCatalog, AgentSource, CatalogEntry } from './types';
import { loadAgentFile, warnDuplicateIds, type LoadOptions } from './load';

/** One folder that may hold agent files, with the file-name ending that counts as an agent there. */
export interface AgentFolder {
  dir: string;
  source: AgentSource;
  /** File names must end with this (`.md`, `.agent.md`, `.chatmode.md`). */
  suffix: string;
}

export interface DiscoveryOptions extends LoadOptions {
  /** The extension's (or CLI's) bundled `agents/` folder. */
  bundledDir?: string;
  /** The user's home directory; `~/.claude/agents` is read from it. Injectable for tests. */
  home?: string;
  /** Workspace roots, in order. */
  workspaceFolders?: string[];
  /** Folders from the editor setting `databaseEngineer.agentFolders` (absolute). */
  settingFolders?: string[];
  /** Folders from the CLI's `--dir` (absolute). */
  dirs?: string[];
}

export const PARTICIPANT_PREFIX = 'database-engineer.';

/** The folders to read, lowest precedence first: later folders shadow earlier ones for the same id. */
export function agentFolders(o: DiscoveryOptions): AgentFolder[] {
  const out: AgentFolder[] = [];
  if (o.bundledDir) out.push({ dir: o.bundledDir, source: 'bundled', suffix: '.md' });
  if (o.home) out.push({ dir: join(o.home, '.claude', 'agents'), source: 'user', suffix: '.md' });
  for (const root of o.workspaceFolders ?? []) {
    out.push({ dir: join(root, '.claude', 'agents'), source: 'workspace', suffix: '.md' });
    out.push({ dir: join(root, '.github', 'agents'), source: 'workspace', suffix: '.agent.md' });
    out.push({ dir: join(root, '.github', 'chatmodes'), source: 'workspace', suffix: '.chatmode.md' });
  }
  for (const dir of o.settingFolders ?? []) out.push({ dir, source: 'setting', suffix: '.md' });
  for (const dir of o.dirs ?? []) out.push({ dir, source: 'dir', suffix: '.md' });
  return out;
}

/** Agent files in one folder, sorted by name; a missing folder has none. */
export function listAgentFiles(folder: AgentFolder): string[] {
  let names: string[];
  try {
    names = readdirSync(folder.dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.toLowerCase().endsWith(folder.suffix) && !n.startsWith('.'))
    .sort()
    .map((n) => join(folder.dir, n))
    .filter((f) => {
      try {
        return !statSync(f).isDirectory();
      } catch {
        return true; // a dangling link: load it and let the loader report it
      }
    });
}

/** Discovers and loads every agent file, then decides which one answers for each id. */
export function loadCatalog(options: DiscoveryOptions): AgentCatalog {
  const seen = new Set<string>();
  const agents: Agent[] = [];
  for (const folder of agentFolders(options)) {
    for (const file of listAgentFiles(folder)) {
      if (seen.has(file)) continue; // the same folder named twice (a setting and --dir) counts once
      seen.add(file);
      agents.push(loadAgentFile(file, folder.source, options));
    }
  }
  warnDuplicateIds(agents);
  return buildCatalog(agents);
}

/**
 * Agents in precedence order (lowest first) → catalog. The last readable file for an id is active and
 * shadows the readable one before it. Participants exist for bundled ids (they are declared in the
 * manifest), so a bundled entry and the active entry that overrides a bundled id both carry one.
 */
export function buildCatalog(agents: Agent[]): AgentCatalog {
  const bundledIds = new Set(agents.filter((a) => a.source === 'bundled' && !a.loadError).map((a) => a.id));
  const entries: CatalogEntry[] = agents.map((agent) => ({ agent, active: false, participant: null }));
  const lastById = new Map<string, CatalogEntry>();
  for (const entry of entries) {
    if (entry.agent.loadError) continue;
    const previous = lastById.get(entry.agent.id);
    if (previous) {
      previous.active = false;
      delete previous.shadows;
      entry.shadows = previous.agent.file;
    }
    entry.active = true;
    lastById.set(entry.agent.id, entry);
  }
  for (const entry of entries) {
    const { id, source } = entry.agent;
    if (bundledIds.has(id) && (source === 'bundled' || entry.active)) entry.participant = PARTICIPANT_PREFIX + id;
  }
  return makeCatalog(entries);
}

function makeCatalog(entries: CatalogEntry[]): AgentCatalog {
  const active = entries.filter((e) => e.active).map((e) => e.agent);
  const byId = new Map(active.map((a) => [a.id, a]));
  return {
    entries,
    active: () => [...active],
    get: (id) => byId.get(id),
  };
}
