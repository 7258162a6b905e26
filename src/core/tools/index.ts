/**
 * # The agents' tools — one registry every face shares
 *
 * - Tools are read-only. Each result is capped to `ctx.maxResultTokens` with a marker saying what was cut; a
 *   failing tool comes back to the model as `is_error: true` text, never as a throw.
 * - Every tool works on `ctx.project` (its root, config, migrations, analyzer and database), so in one turn they all
 *   read the same files.
 * - The agent's frontmatter `tools` narrows the set (`toolsForAgent`, mapping below); `allowedDirectories` confines
 *   read_file / list_migrations / lint_sql files.
 * - The conversation loop that calls them lives in core/chat (`runAgentTurn`); `dbe mcp` serves `allTools` with `runTool`.
 */
import type { Agent } from '../agents/types';
import { silentLogger } from '../log';
import { explainQuery } from './explainQuery';
import { findSlowQueries } from './findSlowQueries';
import { getSchema } from './getSchema';
import { lintSql } from './lintSql';
import { listMigrations } from './listMigrations';
import { proposeMigration } from './proposeMigration';
import { readFile } from './readFile';
import { runQuery } from './runQuery';
import { capText, resultBudget } from './budget';
import { toolError, type Tool, type ToolContext, type ToolResult } from './types';

export * from './types';
export { capText, estimateTokens } from './budget';
export { resolveWorkspacePath } from './files';
export { classifyQuery } from './runQuery';
export { explainQuery, findSlowQueries, getSchema, lintSql, listMigrations, proposeMigration, readFile, runQuery };

/** Every tool, in the order the model sees them. */
export const allTools: readonly Tool<any>[] = [getSchema, lintSql, explainQuery, runQuery, findSlowQueries, readFile, listMigrations, proposeMigration];

/** Always offered, whatever the frontmatter says: they only read what the agent is about. */
export const ALWAYS_AVAILABLE = ['get_schema', 'lint_sql'] as const;

/**
 * Claude Code tool names in agent frontmatter → our tools:
 * - `Read`, `Grep`, `Glob`, `LS`, `NotebookRead` → read_file, list_migrations (reading workspace files)
 * - `Bash` (any command) and `Bash(psql:*)` / `Bash(pg_*:*)` → run_query, explain_query, find_slow_queries, get_schema
 *   (what psql would be used for, through our read-only, time-limited runners)
 * - `Write`, `Edit`, `MultiEdit`, and the migration CLIs `Bash(supabase:*)`, `Bash(npx prisma:*)`, `Bash(prisma:*)`
 *   → propose_migration, list_migrations (creating migrations; ours only proposes, the user saves)
 * - our own tool names pass through; anything else (WebFetch, Task, `Bash(npm:*)` …) adds nothing
 * - get_schema and lint_sql are always available; no `tools` line at all means every tool.
 */
export function mapAgentTools(declared: readonly string[] | undefined): Set<string> {
  if (declared === undefined) return new Set(allTools.map((t) => t.name));
  const out = new Set<string>(ALWAYS_AVAILABLE);
  const own = new Set(allTools.map((t) => t.name));
  const add = (...names: string[]) => names.forEach((n) => out.add(n));
  for (const raw of declared) {
    const name = raw.trim();
    const bash = /^Bash(?:\((.*)\))?$/i.exec(name);
    if (own.has(name)) add(name);
    else if (/^(Read|Grep|Glob|LS|NotebookRead)$/i.test(name)) add('read_file', 'list_migrations');
    else if (/^(Write|Edit|MultiEdit|NotebookEdit)$/i.test(name)) add('propose_migration', 'list_migrations');
    else if (bash) {
      const cmd = (bash[1] ?? '').replace(/:\*$|\*$/, '').trim().toLowerCase();
      if (!cmd || cmd === 'psql' || cmd.startsWith('pg_')) add('run_query', 'explain_query', 'find_slow_queries', 'get_schema');
      if (!cmd || /^(supabase|npx prisma|prisma|npx supabase)$/.test(cmd)) add('propose_migration', 'list_migrations');
    }
  }
  return out;
}

/** The tools an agent may call. */
export function toolsForAgent(agent: Pick<Agent, 'tools'>): Tool<any>[] {
  const names = mapAgentTools(agent.tools);
  return allTools.filter((t) => names.has(t.name));
}

/** Runs one tool call: consent for non-read-only tools, a result capped to the budget, errors as values. */
export async function runTool(tool: Tool<any>, input: unknown, ctx: ToolContext, signal: AbortSignal = new AbortController().signal): Promise<ToolResult> {
  const args = input && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  try {
    if (!tool.readOnly) {
      const ok = ctx.confirm ? await ctx.confirm({ tool: tool.name, title: tool.progress(args, ctx) }) : false;
      if (!ok) return toolError(`${tool.name} changes things and the user did not allow it.`, 'not allowed');
    }
    const result = await tool.run(args, ctx, signal);
    // Tools cap their own output where they know what to cut; this is the backstop.
    const { text, cut } = capText(result.content, resultBudget(ctx) + 200);
    return cut ? { ...result, content: text } : result;
  } catch (err) {
    (ctx.log ?? silentLogger).warn(`tool ${tool.name} failed: ${(err as Error).message}`);
    return toolError(`${tool.name} failed: ${(err as Error).message ?? String(err)}`);
  }
}
