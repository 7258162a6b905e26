/**
 * The slash commands of `@database-engineer`: which agent answers each one and what it is asked to do. The editor
 * supplies the user's words, the attached SQL and (for /rls and /review) the file; the findings come from the
 * project's own analyzer and config (settings included), as `Finding` values, and everything else is decided here
 * so the CLI or tests see the same prompts.
 */
import { readFileSync } from 'node:fs';
import type { Finding } from '../analysis';
import type { Logger } from '../log';
import { formatFindings } from '../tools/lintSql';
import { findingsWithExtraFile, type Project } from '../workspace/project';
import type { RuleCategory } from '../findings/types';

export type SlashCommand = 'optimize' | 'rls' | 'schema' | 'migration' | 'explain' | 'review';

export interface SlashSpec {
  name: SlashCommand;
  /** The agent that answers (catalog id). */
  agentId: string;
  /** Shown in the chat's command list (the agent file's frontmatter carries the same text). */
  description: string;
  /** Whether the open file (not only the selection) is attached when nothing else is. */
  wantsFile: boolean;
  /** Whether the analyzer's findings on the open file are listed first and given to the agent. */
  wantsFindings: boolean;
  /** Only findings of these rule categories are listed (all when absent). */
  categories?: readonly RuleCategory[];
  /** The task, before the user's own words. */
  task: string;
}

export const SLASH_COMMANDS: Record<SlashCommand, SlashSpec> = {
  optimize: {
    name: 'optimize', agentId: 'query-performance', wantsFile: false, wantsFindings: false,
    description: 'Make the selected query (or the statement at the cursor) faster, with EXPLAIN',
    task: 'Optimize the attached query. Run explain_query on it first, look at the tables involved with get_schema, then answer with '
      + 'the rewritten query in a ```sql block whose first line is `-- rewritten`, and any index statements in a second ```sql block whose first line is `-- indexes` '
      + '(propose them with propose_migration). Say what changes in the plan and why.',
  },
  rls: {
    name: 'rls', agentId: 'rls-security', wantsFile: true, wantsFindings: true, categories: ['security'],
    description: 'Row level security findings of the open migration, and a migration that fixes them',
    task: 'The analyzer reported the row level security and security findings listed below on the attached file. Explain each in a sentence, '
      + 'then write one migration that fixes them and propose it with propose_migration (check its findings and fix them before the final proposal).',
  },
  schema: {
    name: 'schema', agentId: 'database-engineer', wantsFile: false, wantsFindings: false,
    description: 'Describe or design the schema (reads it with get_schema)',
    task: 'Use get_schema to read the current schema before answering. Answer about the schema: describe the tables involved, or design the change asked for '
      + 'with keys, constraints, indexes and policies; propose new DDL with propose_migration.',
  },
  migration: {
    name: 'migration', agentId: 'migrations', wantsFile: false, wantsFindings: false,
    description: 'Write a safe migration for a change and propose it for saving',
    task: 'Write a migration for the change asked for. Check the existing migrations (list_migrations) and the schema (get_schema), keep locks short, '
      + 'and propose the final SQL with propose_migration so the user can save it.',
  },
  explain: {
    name: 'explain', agentId: 'query-performance', wantsFile: false, wantsFindings: false,
    description: 'Explain the plan of the selected query',
    task: 'Run explain_query on the attached query and walk through its plan: the expensive nodes, misestimates, and what would change them.',
  },
  review: {
    name: 'review', agentId: 'migrations', wantsFile: true, wantsFindings: true,
    description: 'Review the open migration against the analyzer and the schema',
    task: 'Review the attached migration for production safety and correctness. The analyzer\'s findings on it are listed below: confirm or dismiss each, '
      + 'then add what the analyzer cannot see (locks, backfills, ordering, rollback). If changes are needed, propose the corrected migration with propose_migration.',
  },
};

export function slashCommand(name: string | undefined): SlashSpec | undefined {
  return name && Object.prototype.hasOwnProperty.call(SLASH_COMMANDS, name) ? SLASH_COMMANDS[name as SlashCommand] : undefined;
}

/** The findings a slash command lists: `/rls` only row level security and security ones, `/review` all. */
export function findingsForSlash<F extends Pick<Finding, 'category'>>(spec: SlashSpec, findings: readonly F[]): F[] {
  return spec.categories ? findings.filter((f) => spec.categories!.includes(f.category)) : [...findings];
}

/** The file a slash command works on: its path, and the editor's text when it differs from the disk. */
export interface SlashFile {
  path: string;
  text?: string;
}

/**
 * The project analyzer's findings on one file, under the project's config: a migration as analysed in place, any
 * other .sql file (or unsaved text) as one more file after the migrations. Other files (schema.prisma, scripts) are
 * left to the agent to read.
 */
export async function findingsOn(project: Project, file: SlashFile, log?: Logger): Promise<Finding[]> {
  if (!/\.sql$/i.test(file.path)) return [];
  try {
    const ws = await project.analysis();
    if (ws.analyzer.hasFile(file.path) && (file.text === undefined || file.text === ws.analyzer.textOf(file.path))) return ws.analyzer.findingsFor(file.path);
    return findingsWithExtraFile(ws, file.path, file.text ?? readFileSync(file.path, 'utf8'));
  } catch (err) {
    log?.warn(`chat: could not analyse ${file.path}: ${(err as Error).message}`);
    return [];
  }
}

/** The prompt sent for a slash command: its task, the findings (when it has them), then what the user typed. */
export function slashPrompt(spec: SlashSpec, userPrompt: string, findings?: readonly Finding[], show: (file: string) => string = (f) => f): string {
  const parts = [spec.task];
  if (spec.wantsFindings) {
    parts.push(findings && findings.length ? `Analyzer findings:\n${formatFindings([...findings], show).map((f) => `- ${f}`).join('\n')}` : 'The analyzer reports no findings on the attached file.');
  }
  if (userPrompt.trim()) parts.push(`The user adds: ${userPrompt.trim()}`);
  return parts.join('\n\n');
}

/** Markdown listing findings for the chat, one per line, rule ids in code. */
export function findingsMarkdown(file: string, findings: readonly Finding[]): string {
  if (!findings.length) return `The analyzer reports no findings on \`${file}\`.\n\n`;
  const lines = findings.map((f) => `- \`${f.rule}\` (${f.severity}, line ${f.range.start.line + 1}): ${f.message}`);
  return `**${findings.length} finding${findings.length === 1 ? '' : 's'}** on \`${file}\`:\n${lines.join('\n')}\n\n`;
}
