import { parseArgs } from 'node:util';
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, relative, resolve } from 'node:path';
import { UsageError, type CliIO, type Command } from '../io';
import { findBundledAgentsDir, loadCatalog, type AgentCatalog, type CatalogEntry } from '../../core/agents';

const HELP = `usage: dbe agents [--dir DIR]... [--json]

Lists every agent found — bundled, ~/.claude/agents, the current directory's .claude/agents,
.github/agents/*.agent.md and .github/chatmodes/*.chatmode.md, then each --dir (later ones win
for the same id) — marking the one that answers for each id.

options:
  --dir DIR   also read agent files (*.md) from DIR; repeatable
  --json      print {"agents":[...]} with each agent's file and full prompt
`;

/** One agent in `--json` output; the key set is part of the CLI's contract. */
export interface AgentJson {
  id: string;
  name: string;
  description: string;
  model: string | null;
  modelId: string;
  source: string;
  /** Absolute path of the agent file (added after `source`; the key set only grows). */
  file: string;
  participant: string | null;
  active: boolean;
  shadows: string | null;
  prompt: string;
  warnings: { message: string; line: number | null }[];
}

export const agentsCommand: Command = {
  summary: 'list the agents (bundled, user, workspace, --dir) and which one answers',
  async run(args: string[], io: CliIO): Promise<number> {
    const { values } = parseArgs({
      args,
      options: { dir: { type: 'string', multiple: true }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
    });
    if (values.help) {
      io.stdout(HELP);
      return 0;
    }
    const dirs = (values.dir ?? []).map((d) => checkDir(resolve(io.cwd, d), d));
    const catalog = loadCatalog({
      bundledDir: findBundledAgentsDir(__dirname),
      home: io.env.HOME || homedir(),
      workspaceFolders: [io.cwd],
      dirs,
    });
    io.stdout(values.json ? `${JSON.stringify({ agents: ordered(catalog).map(toJson) }, null, 2)}\n` : formatText(catalog, io.cwd));
    return 0;
  },
};

function checkDir(abs: string, written: string): string {
  let isDir = false;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    throw new UsageError(`--dir ${written}: no such folder (${abs}); pass a folder that holds agent .md files`);
  }
  if (!isDir) throw new UsageError(`--dir ${written}: is a file, not a folder; pass the folder that holds it`);
  return abs;
}

/** By id, and within an id in precedence order (the active one last). */
function ordered(catalog: AgentCatalog): CatalogEntry[] {
  const index = new Map(catalog.entries.map((e, i) => [e, i]));
  return [...catalog.entries].sort((a, b) => a.agent.id.localeCompare(b.agent.id) || index.get(a)! - index.get(b)!);
}

export function toJson(entry: CatalogEntry): AgentJson {
  const a = entry.agent;
  return {
    id: a.id,
    name: a.name,
    description: a.description,
    model: a.model ?? null,
    modelId: a.modelId,
    source: a.source,
    file: a.file,
    participant: entry.participant,
    active: entry.active,
    shadows: entry.shadows ?? null,
    prompt: a.prompt,
    warnings: a.warnings.map((w) => ({ message: w.message, line: w.line ?? null })),
  };
}

function formatText(catalog: AgentCatalog, cwd: string): string {
  const entries = ordered(catalog);
  if (entries.length === 0) return 'No agents found.\n';
  const show = (file: string) => {
    const rel = relative(cwd, file);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
  };
  const idWidth = Math.max(...entries.map((e) => e.agent.id.length));
  const lines: string[] = [];
  let warnings = 0;
  for (const e of entries) {
    const a = e.agent;
    const mark = e.active ? '*' : a.loadError ? '!' : ' ';
    const model = a.model && a.model !== a.modelId ? `${a.model} → ${a.modelId}` : a.modelId;
    lines.push(`${mark} ${a.id.padEnd(idWidth)}  ${a.source.padEnd(9)}  ${model.padEnd(30)}  ${show(a.file)}`);
    if (e.shadows) lines.push(`    shadows ${show(e.shadows)}`);
    for (const w of a.warnings) {
      warnings++;
      lines.push(`    warning${w.line ? ` (line ${w.line})` : ''}: ${w.message}`);
    }
  }
  const active = catalog.active().length;
  lines.push('', `${active} active agent${active === 1 ? '' : 's'} from ${entries.length} file${entries.length === 1 ? '' : 's'}; * answers for its id${warnings ? `; ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`);
  return `${lines.join('\n')}\n`;
}
