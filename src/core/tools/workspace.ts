/**
 * The workspace's migrations through the analyzer: the schema model and findings tools answer from.
 * One analyzer per workspace (root + folders) is kept between calls: each call re-reads the files, and the analyzer
 * re-parses only what changed, so a tool round over a large workspace costs file reads, not a full re-parse.
 */
import { readFileSync } from 'node:fs';
import { Analyzer, allRuleIds, loadConfig, ConfigError, defaultConfig, type DbeConfig } from '../analysis';
import { findMigrationFiles } from '../workspace/migrations';
import type { ToolContext } from './types';

export interface WorkspaceAnalysis {
  analyzer: Analyzer;
  files: string[];
  folders: string[];
  config: DbeConfig;
  /** A config problem met (the defaults were used instead). */
  configProblem?: string;
}

const cache = new Map<string, Analyzer>();
const MAX_CACHED = 8;

/** Loads `.dbe.json` (defaults when absent or broken) and analyses the migrations in apply order. */
export async function analyzeWorkspace(ctx: Pick<ToolContext, 'root' | 'migrationFolders'>): Promise<WorkspaceAnalysis> {
  let config: DbeConfig = defaultConfig();
  let configProblem: string | undefined;
  try {
    config = loadConfig(ctx.root, allRuleIds).config;
  } catch (err) {
    configProblem = err instanceof ConfigError ? err.message : String(err);
  }
  const { files, folders } = findMigrationFiles(ctx.root, ctx.migrationFolders ?? config.migrationFolders);
  const key = `${ctx.root}\0${(ctx.migrationFolders ?? config.migrationFolders ?? []).join('\0')}`;
  let analyzer = cache.get(key);
  if (!analyzer) {
    analyzer = await Analyzer.create({ config });
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(key, analyzer);
  } else {
    analyzer.setConfig(config);
  }
  const wanted = new Set(files);
  for (const p of analyzer.paths()) if (!wanted.has(p)) analyzer.removeFile(p);
  analyzer.setOrder(files);
  for (const f of files) {
    try {
      analyzer.setFile(f, readFileSync(f, 'utf8'));
    } catch {
      analyzer.removeFile(f); // unreadable: skipped, like the linter does
    }
  }
  return { analyzer, files, folders, config, ...(configProblem ? { configProblem } : {}) };
}

/**
 * Findings for extra text analysed as if it were one more file after the migrations (a SQL snippet, a proposed
 * migration). The file is added and removed again in one synchronous step, so the shared analyzer never shows it
 * to another call.
 */
export function findingsWithExtraFile(ws: WorkspaceAnalysis, path: string, text: string) {
  ws.analyzer.setOrder([...ws.files, path]);
  ws.analyzer.setFile(path, text);
  try {
    return ws.analyzer.findingsFor(path);
  } finally {
    ws.analyzer.removeFile(path);
    ws.analyzer.setOrder(ws.files);
  }
}
