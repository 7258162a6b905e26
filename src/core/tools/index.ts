/**
 * # Agents that act — the tools and the one call every face makes
 *
 * ```ts
 * import { runAgentTurn, liveToolDatabase, embeddedToolDatabase } from '../core/tools';
 *
 * const result = await runAgentTurn({
 *   client,                       // createChatClient({ apiKey, baseURL? })
 *   agent,                        // from the catalog: prompt, modelId, tools (frontmatter), allowedDirectories
 *   prompt: 'why is this query slow?',
 *   context: [{ kind: 'selection', path, startLine, endLine, text }],   // optional
 *   history: [],                  // earlier turns, plain text
 *   tools: { root, database: liveToolDatabase(conn, 'prod') | embeddedToolDatabase(service) | undefined,
 *            confirm: async (action) => boolean,        // absent: anything needing consent is refused
 *            onProposal: (p) => offerToSave(p) },       // propose_migration results (never written by us)
 *   signal,                       // aborting stops the stream and any running query
 *   onText: (delta) => …,         // answer text as it streams
 *   onToolCall: (e) => …,         // { id, name, input, status: 'start' | 'end', summary, isError? }
 *   connectionName: 'prod',       // optional; defaults to the database's own name
 * });
 * // result: ReplyResult (text, stopReason 'end_turn' | 'cancelled' | 'error' | 'max_rounds' …, error?) + proposals
 * ```
 *
 * - The system prompt is the agent's prompt, then the project context (`buildProjectContext`: stack, database name
 *   and provider, schema summary within a token budget) — never a URL, password or key.
 * - Tools are read-only. Each result is capped to `tools.maxResultTokens` with a marker saying what was cut; a
 *   failing tool comes back to the model as `is_error: true` text, never as a throw.
 * - The agent's frontmatter `tools` narrows the set (`toolsForAgent`, mapping below); `allowedDirectories` confines
 *   read_file / list_migrations / lint_sql files.
 * - `dbe ask` runs this headless; `dbe mcp` serves `allTools` over MCP with `runTool`.
 */
import type { Agent } from '../agents/types';
import type { ChatClient } from '../chat/client';
import type { ChatTurn, ContextItem } from '../chat/context';
import { buildProjectContext, detectStack } from '../chat/projectContext';
import { streamReply, type ChatTools, type ReplyResult, type ToolCallRequest } from '../chat/reply';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { redact } from '../security/redact';
import type { LiveSchema } from '../db/introspect';
import { explainQuery } from './explainQuery';
import { findSlowQueries } from './findSlowQueries';
import { getSchema } from './getSchema';
import { lintSql } from './lintSql';
import { listMigrations } from './listMigrations';
import { proposeMigration, type MigrationProposal } from './proposeMigration';
import { readFile } from './readFile';
import { runQuery } from './runQuery';
import { capText, resultBudget } from './budget';
import { analyzeWorkspace } from './workspace';
import { toolError, type Tool, type ToolCallEvent, type ToolContext, type ToolResult } from './types';

export * from './types';
export { liveToolDatabase, embeddedToolDatabase, describeDatabase, type ToolDatabase, type QueryOutcome } from './database';
export { capText, estimateTokens } from './budget';
export { resolveWorkspacePath } from './files';
export { classifyQuery } from './runQuery';
export type { MigrationProposal } from './proposeMigration';
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
  const clean = ctx.database?.redact ?? redact;
  const args = input && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  try {
    if (!tool.readOnly) {
      const ok = ctx.confirm ? await ctx.confirm({ tool: tool.name, title: tool.progress(args, ctx) }) : false;
      if (!ok) return toolError(`${tool.name} changes things and the user did not allow it.`, 'not allowed');
    }
    const result = await tool.run(args, ctx, signal);
    // Tools cap their own output where they know what to cut; this is the backstop.
    const { text } = capText(result.content, resultBudget(ctx) + 200);
    // Every result is redacted on its way to the model, whatever the tool read (a row, a file, a server message).
    return { ...result, content: clean(text), ...(result.summary !== undefined ? { summary: clean(result.summary) } : {}) };
  } catch (err) {
    const message = clean((err as Error)?.message ?? String(err));
    (ctx.log ?? silentLogger).warn(`tool ${tool.name} failed: ${message}`);
    return toolError(`${tool.name} failed: ${message}`);
  }
}

/** The chat loop's tool seam for a set of tools, reporting start/end events. */
export function chatTools(tools: readonly Tool<any>[], ctx: ToolContext, onToolCall?: (e: ToolCallEvent) => void): ChatTools {
  const byName = new Map(tools.map((t) => [t.name, t]));
  return {
    definitions: tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.inputSchema as never })),
    async run(call: ToolCallRequest, signal: AbortSignal) {
      const tool = byName.get(call.name);
      if (!tool) return toolError(`There is no tool named ${call.name} for this agent. Available: ${[...byName.keys()].join(', ')}.`);
      const args = (call.input && typeof call.input === 'object' ? call.input : {}) as Record<string, unknown>;
      let progress = `Running ${call.name}…`;
      try { progress = tool.progress(args, ctx); } catch { /* a progress line is never worth failing for */ }
      onToolCall?.({ id: call.id, name: call.name, input: call.input, status: 'start', summary: progress });
      const result = await runTool(tool, call.input, ctx, signal);
      onToolCall?.({ id: call.id, name: call.name, input: call.input, status: 'end', summary: result.summary ?? (result.isError ? 'failed' : 'done'), ...(result.isError ? { isError: true } : {}) });
      return result;
    },
  };
}

export interface ProjectContextOptions {
  /** The active connection's display name; defaults to the database's own name. */
  connectionName?: string;
  /** Token budget of the schema summary. Default 2000. */
  schemaTokens?: number;
  toolNames?: string[];
  signal?: AbortSignal;
}

/**
 * The project context for a tool context: the stack from the workspace files, the schema from the live catalog
 * (a live database) or the migrations (embedded or none). A catalog that cannot be read falls back to the migrations.
 */
export async function projectContextFor(ctx: ToolContext, opts: ProjectContextOptions = {}): Promise<string> {
  const stack = detectStack(ctx.root, ctx.migrationFolders);
  const db = ctx.database;
  let liveSchema: LiveSchema | undefined;
  if (db?.kind === 'live') {
    try {
      liveSchema = await db.schema(opts.signal);
    } catch (err) {
      (ctx.log ?? silentLogger).warn(`project context: catalog unreadable (${(err as Error).message}); using the migrations`);
    }
  }
  const model = liveSchema ? undefined : (await analyzeWorkspace(ctx)).analyzer.model();
  return buildProjectContext({
    stack,
    ...(db ? { connection: { name: opts.connectionName ?? db.name, kind: db.kind, ...(db.provider ? { provider: db.provider } : {}) } } : {}),
    ...(liveSchema ? { liveSchema } : {}),
    ...(model ? { model } : {}),
    ...(opts.schemaTokens !== undefined ? { schemaTokens: opts.schemaTokens } : {}),
    ...(opts.toolNames ? { toolNames: opts.toolNames } : {}),
  });
}

export interface AgentTurnRequest {
  client: ChatClient;
  agent: Pick<Agent, 'id' | 'prompt' | 'modelId' | 'tools' | 'allowedDirectories'>;
  prompt: string;
  context?: readonly ContextItem[];
  history?: readonly ChatTurn[];
  /** What tools reach. Its `allowedDirectories` defaults to the agent's. */
  tools: ToolContext;
  signal?: AbortSignal;
  onText?(delta: string): void;
  onToolCall?(event: ToolCallEvent): void;
  /** Model calls at most (each tool round is one). Default 8. */
  maxRounds?: number;
  maxTokens?: number;
  connectionName?: string;
  /** Precomputed project context (skips building it); pass '' for none. */
  projectContext?: string;
  log?: Logger;
}

export interface AgentTurnResult extends ReplyResult {
  /** Migrations proposed during the turn (never written). */
  proposals: MigrationProposal[];
  /** The system prompt sent (agent prompt + project context), for logs and tests; holds no credentials. */
  system: string;
}

/** One agent turn with tools: system prompt + project context, the user's message, bounded tool rounds. */
export async function runAgentTurn(req: AgentTurnRequest): Promise<AgentTurnResult> {
  const log = req.log ?? req.tools.log ?? silentLogger;
  const proposals: MigrationProposal[] = [];
  const ctx: ToolContext = {
    ...req.tools,
    ...(req.tools.allowedDirectories ?? req.agent.allowedDirectories ? { allowedDirectories: req.tools.allowedDirectories ?? req.agent.allowedDirectories } : {}),
    onProposal: (p) => { proposals.push(p); req.tools.onProposal?.(p); },
    log,
  };
  const tools = toolsForAgent(req.agent);
  let context = req.projectContext;
  if (context === undefined) {
    try {
      context = await projectContextFor(ctx, { toolNames: tools.map((t) => t.name), ...(req.connectionName ? { connectionName: req.connectionName } : {}), ...(req.signal ? { signal: req.signal } : {}) });
    } catch (err) {
      log.warn(`project context unavailable: ${(err as Error).message}`);
      context = '';
    }
  }
  const system = [req.agent.prompt.trim(), context].filter(Boolean).join('\n\n');
  const result = await streamReply({
    client: req.client,
    agent: { id: req.agent.id, modelId: req.agent.modelId, prompt: system },
    prompt: req.prompt,
    ...(req.context ? { context: req.context } : {}),
    ...(req.history ? { history: req.history } : {}),
    ...(req.signal ? { signal: req.signal } : {}),
    ...(req.onText ? { onText: req.onText } : {}),
    tools: chatTools(tools, ctx, req.onToolCall),
    ...(req.maxRounds !== undefined ? { maxRounds: req.maxRounds } : {}),
    ...(req.maxTokens !== undefined ? { maxTokens: req.maxTokens } : {}),
    log,
  });
  return { ...result, proposals, system };
}
