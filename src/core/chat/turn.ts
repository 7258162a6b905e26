/**
 * One chat-participant turn, without the editor: the slash commands, the agent, the provider (Anthropic or the
 * editor's model), the reply streamed into a sink, and who answered. The editor's handler only converts vscode
 * values into a `TurnRequest` and a `ReplySink`; everything that decides what the user sees lives here, where the
 * core tests reach it.
 */
import type { AgentCatalog } from '../agents/types';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { findingsForSlash, findingsMarkdown, findingsOn, slashCommand, slashPrompt, type SlashFile } from '../assist/slashCommands';
import type { Finding } from '../analysis';
import type { MigrationProposal, ToolCallEvent, ToolContext } from '../tools/types';
import { runAgentTurn, type ReferencedFile } from './agentTurn';
import { createChatClient } from './client';
import type { ChatTurn, ContextItem } from './context';
import { noKeyError } from './errors';
import { NOT_CONVERSATION } from './history';
import { answeredBy, listCatalog } from './listing';
import type { ModelClient } from './model';
import { streamReply, type ChatTools, type ReplyResult } from './reply';
import { chooseAgent, isRouterParticipant, NO_CATALOG, type ParticipantInfo } from './routing';

/** Command ids the replies' buttons run (declared in package.json `contributes.commands`). */
export const COMMANDS = {
  setApiKey: 'databaseEngineer.setApiKey',
  clearApiKey: 'databaseEngineer.clearApiKey',
  useAgent: 'databaseEngineer.useAgent',
} as const;

/** Which model answers: `auto` is Anthropic when a key is set, else the editor's model. */
export type ProviderSetting = 'auto' | 'anthropic' | 'vscode';

/** The one provider choice (chat participants and Optimize Query). /agents never needs a model. */
export function chooseProvider(o: { setting: ProviderSetting; hasKey: boolean; editorModel: boolean; command?: string | undefined }): 'anthropic' | 'vscode' {
  if (o.command === 'agents' || !o.editorModel) return 'anthropic';
  if (o.setting !== 'auto') return o.setting;
  return o.hasKey ? 'anthropic' : 'vscode';
}

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
  /** The `databaseEngineer.chat.provider` setting; default auto. */
  providerSetting?(): ProviderSetting;
  /** The editor's language model for this request (the chat's own model), as a ModelClient. */
  editorModel?: ModelClient;
}

export interface TurnRequest {
  participant: ParticipantInfo;
  prompt: string;
  /** The slash command, if any (`agents`). */
  command?: string | undefined;
  history: readonly ChatTurn[];
  /** Attached context, gathered only when a model call is really made. */
  context(): Promise<readonly ContextItem[]> | readonly ContextItem[];
  /** Tools the user named with # (`dbe_get_schema`): offered, and called first when there is one. */
  toolReferences?: readonly string[];
  /** Files the user referenced with #, attached through read_file's rules. */
  files?: readonly ReferencedFile[];
  /** The file a slash command that wants findings works on (the referenced or open file). */
  slashFile?(): Promise<SlashFile | undefined> | SlashFile | undefined;
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
  let chosenId = router ? deps.chosenAgentId?.() : undefined;

  if (router && req.command === 'agents') {
    if (!catalog) return { metadata: { command: 'agents', [NOT_CONVERSATION]: true }, errorMessage: NO_CATALOG };
    listAgents(catalog, chosenId, deps, sink);
    return { metadata: { command: 'agents', [NOT_CONVERSATION]: true } };
  }

  // A slash command picks its agent and task; /rls and /review first list the analyzer's findings on the file.
  const slash = router ? slashCommand(req.command) : undefined;
  let prompt = req.prompt;
  let toolContext: ToolContext | undefined;
  let toolContextRead = false;
  const tools = async () => {
    if (!toolContextRead) { toolContext = await deps.toolContext?.(); toolContextRead = true; }
    return toolContext;
  };
  if (slash) {
    let findings: Finding[] | undefined;
    const show = deps.displayPath ?? ((f: string) => f);
    if (slash.wantsFindings) {
      const file = await req.slashFile?.();
      if (!file) {
        sink.markdown(`\`/${slash.name}\` works on a migration: open the .sql file (or attach it with #file) and ask again.`);
        return { metadata: { command: slash.name, [NOT_CONVERSATION]: true } };
      }
      const project = (await tools())?.project;
      findings = project ? findingsForSlash(slash, await findingsOn(project, file, log)) : [];
      sink.markdown(findingsMarkdown(show(file.path), findings));
    }
    prompt = slashPrompt(slash, req.prompt, findings, show);
    chosenId = slash.agentId;
  }

  const choice = chooseAgent({ participant: req.participant, catalog, chosenId });
  if (!choice.agent) {
    log.warn(`chat: ${req.participant.id}: ${choice.problem}`);
    return { metadata: { [NOT_CONVERSATION]: true }, errorMessage: choice.problem };
  }
  const { agent } = choice;

  const apiKey = (await Promise.resolve(deps.apiKey()).catch(() => undefined))?.trim();
  const provider = chooseProvider({ setting: deps.providerSetting?.() ?? 'auto', hasKey: Boolean(apiKey), editorModel: Boolean(deps.editorModel), command: req.command });
  let client: ModelClient | ReturnType<typeof createChatClient>;
  if (provider === 'vscode') {
    client = deps.editorModel!;
  } else {
    if (!apiKey) {
      sink.markdown(noKeyError().message);
      sink.button(COMMANDS.setApiKey, 'Set Anthropic API Key');
      return { metadata: { agentId: agent.id, [NOT_CONVERSATION]: true } };
    }
    client = createChatClient({
      apiKey,
      ...(deps.baseURL?.() ? { baseURL: deps.baseURL()! } : {}),
      ...(deps.maxRetries !== undefined ? { maxRetries: deps.maxRetries } : {}),
    });
  }
  const context = await req.context();
  if (!prompt.trim() && !context.length && !req.history.length && !req.files?.length) {
    sink.markdown(`Ask ${agent.name} a question, or attach a file or selection for it to review.`);
    return { metadata: { agentId: agent.id, [NOT_CONVERSATION]: true } };
  }
  sink.progress?.(provider === 'vscode' ? `Asking ${agent.name} through ${deps.editorModel!.label}…` : `Asking ${agent.name}…`);
  const toolCtx = await tools();
  let proposals: MigrationProposal[] = [];
  let result: ReplyResult;
  if (toolCtx) {
    const connectionName = deps.connectionName?.();
    const turn = await runAgentTurn({
      client,
      agent,
      history: req.history,
      prompt,
      context,
      tools: toolCtx,
      ...(req.toolReferences?.length ? { toolReferences: req.toolReferences } : {}),
      ...(req.files?.length ? { files: req.files } : {}),
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
      prompt,
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
  if (provider === 'vscode') notes.push(`Answered through ${deps.editorModel!.label}; set an Anthropic API key to use the agent's own Claude model.`);
  if (result.stopReason === 'max_tokens') notes.push('The reply reached its length limit and stops there; ask to continue.');
  if (result.stopReason === 'max_rounds') notes.push('The reply stopped after the most tool rounds allowed for one answer.');
  if (result.stopReason === 'refusal') notes.push('The model declined to answer this request.');
  if (result.text || !result.error) sink.markdown(answeredBy(agent, notes));

  if (result.error) {
    if (result.error.kind === 'auth' && provider === 'anthropic') sink.button(COMMANDS.setApiKey, 'Set a new Anthropic API Key');
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
