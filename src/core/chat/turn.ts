/**
 * One chat-participant turn, without the editor: pick the agent, check the key, stream the reply into a sink,
 * and close with who answered. The editor's handler only converts vscode values into a `TurnRequest` and a
 * `ReplySink`; everything that decides what the user sees lives here, where the core tests reach it.
 */
import type { AgentCatalog } from '../agents/types';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { createChatClient } from './client';
import type { ChatTurn, ContextItem } from './context';
import { noKeyError } from './errors';
import { NOT_CONVERSATION } from './history';
import { answeredBy, listCatalog } from './listing';
import { streamReply, type ChatTools, type ReplyResult } from './reply';
import { runAgentTurn, type MigrationProposal, type ToolCallEvent, type ToolContext } from '../tools';
import { chooseAgent, isRouterParticipant, NO_CATALOG, type ParticipantInfo } from './routing';

/** Command ids the replies' buttons run (declared in package.json `contributes.commands`). */
export const COMMANDS = {
  setApiKey: 'databaseEngineer.setApiKey',
  clearApiKey: 'databaseEngineer.clearApiKey',
  useAgent: 'databaseEngineer.useAgent',
} as const;

/** Where a reply goes: the editor's ChatResponseStream, or a recorder in tests. */
export interface ReplySink {
  markdown(text: string): void;
  button(command: string, title: string, args?: unknown[]): void;
  /** A transient status line (the editor shows it until the reply's text arrives). */
  progress?(text: string): void;
}

export interface TurnDeps {
  /** The current catalog (it can change while the editor runs); undefined when the agents feature is absent. */
  catalog(): AgentCatalog | undefined | Promise<AgentCatalog | undefined>;
  apiKey(): Promise<string | undefined> | string | undefined;
  /** Explicit base URL; undefined falls back to ANTHROPIC_BASE_URL, then the public API. */
  baseURL?(): string | undefined;
  /** The agent chosen with "Use Agent…" for the general participant. */
  chosenAgentId?(): string | undefined;
  maxRetries?: number;
  maxTokens?: number;
  /** A raw tool seam (tests); `toolContext` is what faces use. */
  tools?: ChatTools;
  /**
   * What the agent's tools reach (workspace root, database, confirm). When given, the turn runs with the agent's
   * tools and the project context in the system prompt (`runAgentTurn`); undefined answers without tools.
   */
  toolContext?(): ToolContext | undefined | Promise<ToolContext | undefined>;
  /** The active connection's display name for the project context. */
  connectionName?(): string | undefined;
  /** Every tool start/end, for a face that shows more than the progress line. */
  onToolCall?(event: ToolCallEvent): void;
  log?: Logger;
  /** How file paths are shown in listings (workspace-relative in the editor). */
  displayPath?(file: string): string;
}

export interface TurnRequest {
  participant: ParticipantInfo;
  prompt: string;
  /** The slash command, if any (`agents`). */
  command?: string | undefined;
  history: readonly ChatTurn[];
  /** Attached context, gathered only when a model call is really made. */
  context(): Promise<readonly ContextItem[]> | readonly ContextItem[];
  signal: AbortSignal;
}

export interface TurnOutcome {
  /** Goes into the ChatResult's metadata (and so into later history). */
  metadata: {
    agentId?: string;
    stopReason?: string;
    command?: string;
    [NOT_CONVERSATION]?: true;
  };
  /** Set when the turn failed: shown as the ChatResult's error. */
  errorMessage?: string;
  /** Migrations the agent proposed (never written; the face offers to save them). */
  proposals?: MigrationProposal[];
}

export async function runParticipantTurn(req: TurnRequest, deps: TurnDeps, sink: ReplySink): Promise<TurnOutcome> {
  const log = deps.log ?? silentLogger;
  const catalog = await deps.catalog();
  const router = isRouterParticipant(req.participant);
  const chosenId = router ? deps.chosenAgentId?.() : undefined;

  if (router && req.command === 'agents') {
    if (!catalog) return { metadata: { command: 'agents', [NOT_CONVERSATION]: true }, errorMessage: NO_CATALOG };
    listAgents(catalog, chosenId, deps, sink);
    return { metadata: { command: 'agents', [NOT_CONVERSATION]: true } };
  }

  const choice = chooseAgent({ participant: req.participant, catalog, chosenId });
  if (!choice.agent) {
    log.warn(`chat: ${req.participant.id}: ${choice.problem}`);
    return { metadata: { [NOT_CONVERSATION]: true }, errorMessage: choice.problem };
  }
  const { agent } = choice;

  const apiKey = (await deps.apiKey())?.trim();
  if (!apiKey) {
    sink.markdown(noKeyError().message);
    sink.button(COMMANDS.setApiKey, 'Set Anthropic API Key');
    return { metadata: { agentId: agent.id, [NOT_CONVERSATION]: true } };
  }

  const client = createChatClient({
    apiKey,
    ...(deps.baseURL?.() ? { baseURL: deps.baseURL()! } : {}),
    ...(deps.maxRetries !== undefined ? { maxRetries: deps.maxRetries } : {}),
  });
  const context = await req.context();
  if (!req.prompt.trim() && !context.length && !req.history.length) {
    sink.markdown(`Ask ${agent.name} a question, or attach a file or selection for it to review.`);
    return { metadata: { agentId: agent.id, [NOT_CONVERSATION]: true } };
  }
  sink.progress?.(`Asking ${agent.name}…`);
  const toolContext = await deps.toolContext?.();
  let proposals: MigrationProposal[] = [];
  let result: ReplyResult;
  if (toolContext) {
    const connectionName = deps.connectionName?.();
    const turn = await runAgentTurn({
      client,
      agent,
      history: req.history,
      prompt: req.prompt,
      context,
      tools: toolContext,
      signal: req.signal,
      onText: (delta) => sink.markdown(delta),
      onToolCall: (event) => {
        if (event.status === 'start') sink.progress?.(event.summary);
        deps.onToolCall?.(event);
      },
      log,
      ...(connectionName ? { connectionName } : {}),
      ...(deps.maxTokens !== undefined ? { maxTokens: deps.maxTokens } : {}),
    });
    proposals = turn.proposals;
    result = turn;
  } else {
    result = await streamReply({
      client,
      agent,
      history: req.history,
      prompt: req.prompt,
      context,
      signal: req.signal,
      onText: (delta) => sink.markdown(delta),
      onToolCall: (call) => sink.progress?.(`${agent.name} is running ${call.name}…`),
      log,
      ...(deps.tools ? { tools: deps.tools } : {}),
      ...(deps.maxTokens !== undefined ? { maxTokens: deps.maxTokens } : {}),
    });
  }

  const metadata: TurnOutcome['metadata'] = { agentId: agent.id, stopReason: result.stopReason };
  const withProposals = proposals.length ? { proposals } : {};
  if (result.stopReason === 'cancelled') return { metadata, ...withProposals };

  const notes: string[] = [];
  if (choice.note) notes.push(choice.note);
  if (result.stopReason === 'max_tokens') notes.push('The reply reached its length limit and stops there; ask to continue.');
  if (result.stopReason === 'max_rounds') notes.push('The reply stopped after the most tool rounds allowed for one answer.');
  if (result.stopReason === 'refusal') notes.push('The model declined to answer this request.');
  if (result.text || !result.error) sink.markdown(answeredBy(agent, notes));

  if (result.error) {
    if (result.error.kind === 'auth') sink.button(COMMANDS.setApiKey, 'Set a new Anthropic API Key');
    return { metadata, errorMessage: result.error.message, ...withProposals };
  }
  return { metadata, ...withProposals };
}

function listAgents(catalog: AgentCatalog, chosenId: string | undefined, deps: TurnDeps, sink: ReplySink): void {
  const rows = listCatalog(catalog, { chosenId, ...(deps.displayPath ? { displayPath: deps.displayPath } : {}) });
  if (!rows.length) {
    sink.markdown('No agents are loaded. Bundled agents live in the extension\'s `agents/` folder; add your own as `.md` files in the workspace\'s agent folder.');
    return;
  }
  const active = catalog.active().length;
  sink.markdown(`**${active} agent${active === 1 ? '' : 's'}** answer here${rows.length > active ? ` (${rows.length - active} more definition${rows.length - active === 1 ? ' is' : 's are'} shadowed)` : ''}. Choose which one answers on @database-engineer:\n\n`);
  for (const row of rows) {
    sink.markdown(`${row.markdown}\n\n`);
    if (row.usable) sink.button(COMMANDS.useAgent, row.buttonTitle, [row.id]);
  }
}
