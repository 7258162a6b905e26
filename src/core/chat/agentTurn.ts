/**
 * One agent turn with tools, for every face: the agent's prompt plus the project context as the system prompt, the
 * user's message with what they attached, the agent's tools (and the ones the user named with #), bounded tool
 * rounds through the one loop (`streamReply`) over whichever `ModelClient` answers.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Agent } from '../agents/types';
import type { LiveSchema } from '../db/introspect';
import { silentLogger, type Logger } from '../log';
import { allTools, runTool, toolsForAgent } from '../tools';
import { redactSecrets, resolveWorkspacePath } from '../tools/files';
import { toolError, type MigrationProposal, type Tool, type ToolCallEvent, type ToolContext } from '../tools/types';
import type { ChatClient } from './client';
import type { ChatTurn, ContextItem } from './context';
import type { ModelClient } from './model';
import { buildProjectContext, detectStack } from './projectContext';
import { streamReply, type ChatTools, type ReplyResult, type ToolCallRequest } from './reply';

/** The loop's tool seam for a set of tools, reporting start/end events. */
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
      onToolCall?.({ id: call.id, name: call.name, input: call.input, status: 'end', summary: result.summary ?? (result.isError ? 'failed' : 'done'), ...(result.isError ? { isError: true } : {}), ...(result.plan !== undefined ? { plan: result.plan } : {}) });
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
 * The project context for a tool context: the stack from the project's files, the schema from the live catalog
 * (a live database) or the migrations (embedded or none). A catalog that cannot be read falls back to the migrations.
 */
export async function projectContextFor(ctx: ToolContext, opts: ProjectContextOptions = {}): Promise<string> {
  const { project } = ctx;
  const stack = detectStack(project.root, project.getConfig().migrationFolders);
  const info = project.databaseInfo();
  let liveSchema: LiveSchema | undefined;
  if (info?.kind === 'live') {
    try {
      liveSchema = await (await project.database())?.schema(opts.signal);
    } catch (err) {
      (ctx.log ?? silentLogger).warn(`project context: catalog unreadable (${(err as Error).message}); using the migrations`);
    }
  }
  const model = liveSchema ? undefined : (await project.analysis()).analyzer.model();
  return buildProjectContext({
    stack,
    ...(info ? { connection: { name: opts.connectionName ?? info.name, kind: info.kind, ...(info.provider ? { provider: info.provider } : {}) } } : {}),
    ...(liveSchema ? { liveSchema } : {}),
    ...(model ? { model } : {}),
    ...(opts.schemaTokens !== undefined ? { schemaTokens: opts.schemaTokens } : {}),
    ...(opts.toolNames ? { toolNames: opts.toolNames } : {}),
  });
}

/** A file the user referenced (#file): its path, and the editor's text when it has unsaved changes. */
export interface ReferencedFile {
  path: string;
  text?: string;
  /** The editor's language id; default sql for .sql files. */
  language?: string;
}

const MAX_ATTACHED_CHARS = 200_000;

/**
 * Referenced files as context items, through the rules `read_file` applies: inside the project and the agent's
 * allowed directories, never a credentials file, secrets redacted. A refused or unreadable file becomes a note.
 */
export function attachFiles(ctx: ToolContext, files: readonly ReferencedFile[]): ContextItem[] {
  return files.map((f): ContextItem => {
    const r = resolveWorkspacePath(ctx, f.path);
    if (!r.ok) return { kind: 'note', name: f.path, text: `(not attached: ${r.message})` };
    try {
      if (f.text === undefined && statSync(r.abs).size > 5_000_000) return { kind: 'note', name: r.rel, text: '(not attached: over 5 MB)' };
      const text = redactSecrets(f.text ?? readFileSync(r.abs, 'utf8')).slice(0, MAX_ATTACHED_CHARS);
      const language = f.language ?? (/\.sql$/i.test(r.abs) ? 'sql' : undefined);
      return { kind: 'file', path: r.rel, text, ...(language ? { language } : {}) };
    } catch (err) {
      return { kind: 'note', name: r.rel, text: `(could not be read: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message})` };
    }
  });
}

export interface AgentTurnRequest {
  /** The model: any ModelClient (the editor's language model), or an Anthropic client. */
  client: ModelClient | ChatClient;
  agent: Pick<Agent, 'id' | 'prompt' | 'modelId' | 'tools' | 'allowedDirectories'>;
  prompt: string;
  context?: readonly ContextItem[];
  history?: readonly ChatTurn[];
  /** What tools reach. Its `allowedDirectories` defaults to the agent's. */
  tools: ToolContext;
  /**
   * Tools the user named (#get_schema, or the editor's `dbe_get_schema`): offered even when the agent's frontmatter
   * leaves them out, and, when there is exactly one, called first.
   */
  toolReferences?: readonly string[];
  /** Files the user referenced, attached through the read rules of read_file. */
  files?: readonly ReferencedFile[];
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

/** `dbe_get_schema` / `#get_schema` / `get_schema` → our tool, or undefined for someone else's tool. */
export function referencedTool(name: string): Tool<any> | undefined {
  const bare = name.replace(/^#/, '').replace(/^dbe_/, '');
  return allTools.find((t) => t.name === bare);
}

/** One agent turn with tools: system prompt + project context, the user's message, bounded tool rounds. */
export async function runAgentTurn(req: AgentTurnRequest): Promise<AgentTurnResult> {
  const log = req.log ?? req.tools.log ?? silentLogger;
  const proposals: MigrationProposal[] = [];
  const allowed = req.tools.allowedDirectories ?? req.agent.allowedDirectories;
  const ctx: ToolContext = {
    ...req.tools,
    ...(allowed ? { allowedDirectories: allowed } : {}),
    onProposal: (p) => { proposals.push(p); req.tools.onProposal?.(p); },
    log,
  };
  const named = (req.toolReferences ?? []).map(referencedTool).filter((t): t is Tool<any> => t !== undefined);
  const tools = [...toolsForAgent(req.agent)];
  for (const t of named) if (!tools.includes(t)) tools.push(t);
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
  const attached = [...(req.context ?? []), ...(req.files?.length ? attachFiles(ctx, req.files) : [])];
  const seam = chatTools(tools, ctx, req.onToolCall);
  const result = await streamReply({
    client: req.client,
    agent: { id: req.agent.id, modelId: req.agent.modelId, prompt: system },
    prompt: req.prompt,
    ...(attached.length ? { context: attached } : {}),
    ...(req.history ? { history: req.history } : {}),
    ...(req.signal ? { signal: req.signal } : {}),
    ...(req.onText ? { onText: req.onText } : {}),
    tools: named.length === 1 ? { ...seam, force: named[0]!.name } : seam,
    ...(req.maxRounds !== undefined ? { maxRounds: req.maxRounds } : {}),
    ...(req.maxTokens !== undefined ? { maxTokens: req.maxTokens } : {}),
    log,
  });
  return { ...result, proposals, system };
}
