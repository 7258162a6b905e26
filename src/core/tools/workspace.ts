/** The workspace's migrations through the analyzer: the schema model and findings tools answer from. */
import { readFileSync } from 'node:fs';
import { Analyzer, allRuleIds, loadConfig, ConfigError, defaultConfig, type DbeConfig } from '../lint';
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
  const analyzer = await Analyzer.create({ config });
  analyzer.setOrder(files);
  for (const f of files) {
    try {
      analyzer.setFile(f, readFileSync(f, 'utf8'));
    } catch {
      // Unreadable file: skipped, like the linter does.
    }
  }
  return { analyzer, files, folders, config, ...(configProblem ? { configProblem } : {}) };
}
