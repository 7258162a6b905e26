/**
 * The one conversation loop: a user's turn, streamed from a `ModelClient`, with bounded tool rounds. Every face and
 * every model (Anthropic, the editor's language models) goes through it. Errors and cancellation come back as values.
 */
import type { Agent } from '../agents/types';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { anthropicModel } from './anthropic';
import type { ChatClient } from './client';
import { buildUserMessage, toMessages, type ChatTurn, type ContextItem } from './context';
import type { ChatError } from './errors';
import type { ModelClient, ModelMessage, ModelPart, StopReason, ToolDefinition } from './model';

/** A tool call the model asked for. */
export interface ToolCallRequest {
  id: string;
  name: string;
  input: unknown;
}

/** What a tool returns to the model. */
export interface ToolOutcome {
  content: string;
  isError?: boolean;
}

/**
 * The seam for tool rounds: the definitions the model may call and how to run a call. Without it a
 * `tool_use` stop ends the reply (stop reason `tool_use`).
 */
export interface ChatTools {
  definitions: ToolDefinition[];
  run(call: ToolCallRequest, signal: AbortSignal): Promise<ToolOutcome>;
  /** A tool the model must call in the first round (the user named it with #). */
  force?: string;
}

export interface ReplyRequest {
  /** The model: any `ModelClient`, or an Anthropic client (wrapped with `anthropicModel`). */
  client: ModelClient | ChatClient;
  /** The agent that answers: its prompt is the system prompt, its modelId the model. */
  agent: Pick<Agent, 'id' | 'prompt' | 'modelId'>;
  /** Earlier turns of this conversation, oldest first. */
  history?: readonly ChatTurn[];
  /** What the user typed. */
  prompt: string;
  /** Selection and files attached to this turn. */
  context?: readonly ContextItem[];
  /** Aborting ends the stream at once; the reply keeps the text received so far. */
  signal?: AbortSignal;
  /** Each piece of assistant text as it arrives, in order. */
  onText?(delta: string): void;
  /** Called before a tool runs (for progress display). */
  onToolCall?(call: ToolCallRequest): void;
  tools?: ChatTools;
  /** Upper bound on model calls in one reply (each tool round is one more). Default 8. */
  maxRounds?: number;
  /** Default 8192. */
  maxTokens?: number;
  log?: Logger;
}

export type ReplyStopReason = StopReason | 'cancelled' | 'error' | 'max_rounds';

export interface ReplyResult {
  /** All assistant text of this reply (partial when cancelled or cut off). */
  text: string;
  stopReason: ReplyStopReason;
  /** Set when stopReason is `error`. */
  error?: ChatError;
  /** Model calls made. */
  rounds: number;
  usage: { inputTokens: number; outputTokens: number };
  /** The conversation as sent, plus the assistant (and tool result) turns of this reply. */
  messages: ModelMessage[];
}

export const DEFAULT_MAX_TOKENS = 8192;
export const DEFAULT_MAX_ROUNDS = 8;

const asModel = (c: ModelClient | ChatClient): ModelClient => ('anthropic' in c ? anthropicModel(c) : c);

/**
 * Streams one reply for a conversation turn. Errors and cancellation come back as values
 * (`stopReason` `error` / `cancelled`), never as a throw; the text received before either is kept.
 */
export async function streamReply(req: ReplyRequest): Promise<ReplyResult> {
  const log = req.log ?? silentLogger;
  const { agent } = req;
  const model = asModel(req.client);
  const maxRounds = Math.max(1, req.maxRounds ?? DEFAULT_MAX_ROUNDS);
  const userMessage = buildUserMessage(req.prompt, req.context ?? []);
  const messages: ModelMessage[] = toMessages(req.history ?? [], userMessage);
  const usage = { inputTokens: 0, outputTokens: 0 };
  let text = '';
  let rounds = 0;
  const result = (stopReason: ReplyStopReason, error?: ChatError): ReplyResult => ({
    text,
    stopReason,
    ...(error ? { error } : {}),
    rounds,
    usage,
    messages,
  });

  const signal = req.signal ?? new AbortController().signal;
  const emit = (delta: string) => {
    if (!delta) return;
    text += delta;
    req.onText?.(delta);
  };

  while (rounds < maxRounds) {
    if (signal.aborted) return result('cancelled');
    rounds++;
    log.info(`chat: agent ${agent.id}, model ${agent.modelId} via ${model.label}, round ${rounds}, ${messages.length} message(s)`);
    // Later rounds continue the same answer: keep their text apart from what came before.
    let separatorPending = rounds > 1 && text.length > 0;
    const said: ModelPart[] = [];
    const calls: ToolCallRequest[] = [];
    let stopReason: StopReason = 'end_turn';
    try {
      const forceTool = rounds === 1 && req.tools?.force && req.tools.definitions.some((d) => d.name === req.tools!.force) ? req.tools.force : undefined;
      for await (const event of model.stream({
        modelId: agent.modelId,
        system: agent.prompt,
        messages,
        tools: req.tools?.definitions ?? [],
        ...(forceTool ? { forceTool } : {}),
        maxTokens: req.maxTokens ?? DEFAULT_MAX_TOKENS,
        signal,
      })) {
        if (event.type === 'text') {
          if (!event.text) continue;
          if (separatorPending) {
            separatorPending = false;
            emit('\n\n');
          }
          emit(event.text);
          const last = said[said.length - 1];
          if (last?.type === 'text') last.text += event.text;
          else said.push({ type: 'text', text: event.text });
        } else if (event.type === 'tool_call') {
          calls.push({ id: event.id, name: event.name, input: event.input });
          said.push({ type: 'tool_call', id: event.id, name: event.name, input: event.input });
        } else {
          stopReason = event.reason;
          usage.inputTokens += event.usage?.inputTokens ?? 0;
          usage.outputTokens += event.usage?.outputTokens ?? 0;
        }
      }
    } catch (err) {
      if (signal.aborted || model.isCancellation(err)) {
        log.info(`chat: cancelled after ${text.length} characters`);
        return result('cancelled');
      }
      const error = model.describeError(err, { modelId: agent.modelId, partial: text.length > 0 });
      log.warn(`chat: ${error.kind}${error.status ? ` (${error.status})` : ''}: ${error.message}`);
      return result('error', error);
    }
    if (signal.aborted) return result('cancelled');
    // A client that reports tool calls without saying so still gets its tool round.
    if (calls.length && stopReason === 'end_turn') stopReason = 'tool_use';
    messages.push({ role: 'assistant', content: said });
    if (stopReason !== 'tool_use' || !req.tools || calls.length === 0) return result(stopReason);

    const results: ModelPart[] = [];
    for (const call of calls) {
      if (signal.aborted) return result('cancelled');
      req.onToolCall?.(call);
      let outcome: ToolOutcome;
      try {
        outcome = await req.tools.run(call, signal);
      } catch (err) {
        outcome = { content: `Tool ${call.name} failed: ${err instanceof Error ? err.message : String(err)}`, isError: true };
      }
      results.push({ type: 'tool_result', callId: call.id, content: outcome.content, ...(outcome.isError ? { isError: true } : {}) });
    }
    messages.push({ role: 'user', content: results });
  }
  log.warn(`chat: stopped after ${maxRounds} rounds of tool use`);
  return result('max_rounds');
}
