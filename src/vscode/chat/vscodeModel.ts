/**
 * The second model client: the chat request's own model through VS Code's Language Model API, with the same tools
 * and the same project context as the Anthropic path. The core loop (`streamReply`) speaks the Messages API, so this
 * is an adapter here that drives the core tools (`toolsForAgent`, `chatTools`, `projectContextFor`) over
 * `LanguageModelChat.sendRequest` with tool calling. Setting `databaseEngineer.chat.provider`: auto (Anthropic when
 * a key is set, else this), anthropic, vscode.
 */
import * as vscode from 'vscode';
import type { Agent } from '../../core/agents/types';
import { buildUserMessage, type ChatTurn, type ContextItem } from '../../core/chat/context';
import { NOT_CONVERSATION } from '../../core/chat/history';
import { answeredBy } from '../../core/chat/listing';
import { chooseAgent } from '../../core/chat/routing';
import type { ReplySink, TurnDeps, TurnOutcome, TurnRequest } from '../../core/chat/turn';
import { chatTools, projectContextFor, toolsForAgent, type MigrationProposal, type ToolCallEvent, type ToolContext } from '../../core/tools';
import { silentLogger, type Logger } from '../../core/log';
import type { ProviderSetting } from '../config';

/** Which client answers this request. /agents never needs a model. */
export async function chooseProvider(deps: Pick<TurnDeps, 'apiKey'>, request: { command?: string | undefined; model?: vscode.LanguageModelChat }, setting: ProviderSetting): Promise<'anthropic' | 'vscode'> {
  if (request.command === 'agents' || !request.model) return 'anthropic';
  if (setting !== 'auto') return setting;
  const key = (await Promise.resolve(deps.apiKey()).catch(() => undefined))?.trim();
  return key ? 'anthropic' : 'vscode';
}

export interface ModelTurnOptions {
  model: vscode.LanguageModelChat;
  agent: Pick<Agent, 'id' | 'prompt' | 'modelId' | 'tools' | 'allowedDirectories'>;
  prompt: string;
  context?: readonly ContextItem[];
  history?: readonly ChatTurn[];
  tools?: ToolContext;
  signal?: AbortSignal;
  onText?(delta: string): void;
  onToolCall?(e: ToolCallEvent): void;
  maxRounds?: number;
  log?: Logger;
  connectionName?: string;
}

export interface ModelTurnResult {
  text: string;
  stopReason: 'end_turn' | 'cancelled' | 'error' | 'max_rounds';
  error?: string;
  proposals: MigrationProposal[];
}

/** One agent turn with tools over a VS Code language model (the same contract as core `runAgentTurn`). */
export async function runModelAgentTurn(o: ModelTurnOptions): Promise<ModelTurnResult> {
  const log = o.log ?? silentLogger;
  const proposals: MigrationProposal[] = [];
  const source = new vscode.CancellationTokenSource();
  const onAbort = () => source.cancel();
  o.signal?.addEventListener('abort', onAbort);
  let text = '';
  const emit = (d: string) => { if (d) { text += d; o.onText?.(d); } };
  try {
    const ctx: ToolContext | undefined = o.tools ? {
      ...o.tools,
      ...(o.tools.allowedDirectories ?? o.agent.allowedDirectories ? { allowedDirectories: o.tools.allowedDirectories ?? o.agent.allowedDirectories } : {}),
      onProposal: (p) => { proposals.push(p); o.tools?.onProposal?.(p); },
      log,
    } : undefined;
    const tools = ctx ? toolsForAgent(o.agent) : [];
    const seam = ctx ? chatTools(tools, ctx, o.onToolCall) : undefined;
    let project = '';
    if (ctx) {
      try {
        project = await projectContextFor(ctx, { toolNames: tools.map((t) => t.name), ...(o.connectionName ? { connectionName: o.connectionName } : {}), ...(o.signal ? { signal: o.signal } : {}) });
      } catch (err) {
        log.warn(`project context unavailable: ${(err as Error).message}`);
      }
    }
    const system = [o.agent.prompt.trim(), project].filter(Boolean).join('\n\n');
    // The stable API has no system role: the instructions open the conversation as a user message.
    const messages: vscode.LanguageModelChatMessage[] = [vscode.LanguageModelChatMessage.User(system)];
    for (const turn of o.history ?? []) {
      messages.push(turn.role === 'user' ? vscode.LanguageModelChatMessage.User(turn.text) : vscode.LanguageModelChatMessage.Assistant(turn.text));
    }
    messages.push(vscode.LanguageModelChatMessage.User(buildUserMessage(o.prompt, o.context ?? [])));
    const definitions: vscode.LanguageModelChatTool[] = tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema }));
    const maxRounds = Math.max(1, o.maxRounds ?? 8);
    for (let round = 1; round <= maxRounds; round++) {
      if (o.signal?.aborted) return { text, stopReason: 'cancelled', proposals };
      log.info(`chat: agent ${o.agent.id}, model ${o.model.vendor}/${o.model.id}, round ${round}`);
      const separator = round > 1 && text.length > 0;
      let first = true;
      const response = await o.model.sendRequest(messages, definitions.length ? { tools: definitions, toolMode: vscode.LanguageModelChatToolMode.Auto } : {}, source.token);
      const calls: vscode.LanguageModelToolCallPart[] = [];
      const said: vscode.LanguageModelTextPart[] = [];
      for await (const part of response.stream) {
        if (part instanceof vscode.LanguageModelTextPart) {
          if (first && separator && part.value) emit('\n\n');
          first = false;
          emit(part.value);
          said.push(part);
        } else if (part instanceof vscode.LanguageModelToolCallPart) calls.push(part);
      }
      if (!calls.length || !seam) return { text, stopReason: 'end_turn', proposals };
      messages.push(vscode.LanguageModelChatMessage.Assistant([...said, ...calls]));
      const results: vscode.LanguageModelToolResultPart[] = [];
      for (const call of calls) {
        if (o.signal?.aborted) return { text, stopReason: 'cancelled', proposals };
        const outcome = await seam.run({ id: call.callId, name: call.name, input: call.input }, o.signal ?? new AbortController().signal);
        results.push(new vscode.LanguageModelToolResultPart(call.callId, [new vscode.LanguageModelTextPart(outcome.isError ? `Error: ${outcome.content}` : outcome.content)]));
      }
      messages.push(vscode.LanguageModelChatMessage.User(results));
    }
    return { text, stopReason: 'max_rounds', proposals };
  } catch (err) {
    if (o.signal?.aborted || err instanceof vscode.CancellationError) return { text, stopReason: 'cancelled', proposals };
    const message = err instanceof vscode.LanguageModelError
      ? `The language model ${o.model.name} refused or failed (${err.code || 'error'}): ${err.message}. Choose another model, or set an Anthropic API key (Database Engineer: Set Anthropic API Key).`
      : `The language model ${o.model.name} failed: ${(err as Error).message}`;
    log.warn(`chat: ${message}`);
    return { text, stopReason: 'error', error: message, proposals };
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    source.dispose();
  }
}

/** The participant turn over the request's model: the same agent choice, tools, footer and outcome as the core turn. */
export async function runVscodeModelTurn(req: TurnRequest, deps: TurnDeps & { model: vscode.LanguageModelChat }, sink: ReplySink): Promise<TurnOutcome> {
  const catalog = await deps.catalog();
  const choice = chooseAgent({ participant: req.participant, catalog, chosenId: deps.chosenAgentId?.() });
  if (!choice.agent) return { metadata: { [NOT_CONVERSATION]: true }, errorMessage: choice.problem };
  const { agent } = choice;
  const context = await req.context();
  if (!req.prompt.trim() && !context.length && !req.history.length) {
    sink.markdown(`Ask ${agent.name} a question, or attach a file or selection for it to review.`);
    return { metadata: { agentId: agent.id, [NOT_CONVERSATION]: true } };
  }
  sink.progress?.(`Asking ${agent.name} through ${deps.model.name}…`);
  const tools = await deps.toolContext?.();
  const connectionName = deps.connectionName?.();
  const result = await runModelAgentTurn({
    model: deps.model, agent, prompt: req.prompt, context, history: req.history, signal: req.signal,
    ...(tools ? { tools } : {}),
    onText: (d) => sink.markdown(d),
    onToolCall: (e) => { if (e.status === 'start') sink.progress?.(e.summary); deps.onToolCall?.(e); },
    ...(deps.log ? { log: deps.log } : {}),
    ...(connectionName ? { connectionName } : {}),
  });
  const metadata: TurnOutcome['metadata'] = { agentId: agent.id, stopReason: result.stopReason };
  const withProposals = result.proposals.length ? { proposals: result.proposals } : {};
  if (result.stopReason === 'cancelled') return { metadata, ...withProposals };
  const notes = [`Answered through ${deps.model.name}; set an Anthropic API key to use the agent's own Claude model.`];
  if (choice.note) notes.unshift(choice.note);
  if (result.stopReason === 'max_rounds') notes.push('The reply stopped after the most tool rounds allowed for one answer.');
  if (result.text || !result.error) sink.markdown(`\n\n${answeredBy(agent, notes)}`);
  return { metadata, ...(result.error ? { errorMessage: result.error } : {}), ...withProposals };
}
