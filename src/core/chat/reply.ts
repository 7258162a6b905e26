import type Anthropic from '@anthropic-ai/sdk';
import type { Agent } from '../agents/types';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { hostOf, type ChatClient } from './client';
import { buildUserMessage, toMessages, type ChatTurn, type ContextItem } from './context';
import { describeError, isCancellation, type ChatError } from './errors';

type MessageParam = Anthropic.Messages.MessageParam;
type ContentBlock = Anthropic.Messages.ContentBlock;

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
  definitions: Anthropic.Messages.Tool[];
  run(call: ToolCallRequest, signal: AbortSignal): Promise<ToolOutcome>;
}

export interface ReplyRequest {
  client: ChatClient;
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

export type ReplyStopReason = Anthropic.Messages.StopReason | 'cancelled' | 'error' | 'max_rounds';

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
  messages: MessageParam[];
}

export const DEFAULT_MAX_TOKENS = 8192;
export const DEFAULT_MAX_ROUNDS = 8;

/**
 * Streams one reply from Claude for a conversation turn. Errors and cancellation come back as values
 * (`stopReason` `error` / `cancelled`), never as a throw; the text received before either is kept.
 */
export async function streamReply(req: ReplyRequest): Promise<ReplyResult> {
  const log = req.log ?? silentLogger;
  const { client, agent } = req;
  const maxRounds = Math.max(1, req.maxRounds ?? DEFAULT_MAX_ROUNDS);
  const userMessage = buildUserMessage(req.prompt, req.context ?? []);
  const messages: MessageParam[] = toMessages(req.history ?? [], userMessage);
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
    log.info(`chat: agent ${agent.id}, model ${agent.modelId}, round ${rounds}, ${messages.length} message(s)`);
    // Later rounds continue the same answer: keep their text apart from what came before.
    let separatorPending = rounds > 1 && text.length > 0;
    const stream = client.anthropic.messages.stream(
      {
        model: agent.modelId,
        max_tokens: req.maxTokens ?? DEFAULT_MAX_TOKENS,
        ...(agent.prompt.trim() ? { system: agent.prompt } : {}),
        messages,
        ...(req.tools?.definitions.length ? { tools: req.tools.definitions } : {}),
      },
      { signal },
    );
    stream.on('text', (delta) => {
      if (separatorPending) {
        separatorPending = false;
        emit('\n\n');
      }
      emit(delta);
    });

    let final: Anthropic.Messages.Message;
    try {
      final = await stream.finalMessage();
    } catch (err) {
      if (signal.aborted || isCancellation(err)) {
        log.info(`chat: cancelled after ${text.length} characters`);
        return result('cancelled');
      }
      let error = describeError(err, {
        host: hostOf(client.baseURL),
        maxRetries: client.maxRetries,
        modelId: agent.modelId,
        apiKey: client.apiKey,
      });
      if (error.kind === 'unknown' && text.length > 0) {
        error = { kind: 'stream', message: `The reply was cut off: the connection to ${hostOf(client.baseURL)} broke while streaming. The text so far is kept above; ask again to retry.` };
      }
      log.warn(`chat: ${error.kind}${error.status ? ` (${error.status})` : ''}: ${error.message}`);
      return result('error', error);
    }

    usage.inputTokens += final.usage?.input_tokens ?? 0;
    usage.outputTokens += final.usage?.output_tokens ?? 0;
    messages.push({ role: 'assistant', content: final.content as unknown as Anthropic.Messages.ContentBlockParam[] });
    const stopReason = final.stop_reason ?? 'end_turn';

    const calls = toolCalls(final.content);
    if (stopReason !== 'tool_use' || !req.tools || calls.length === 0) return result(stopReason);

    const results: Anthropic.Messages.ToolResultBlockParam[] = [];
    for (const call of calls) {
      if (signal.aborted) return result('cancelled');
      req.onToolCall?.(call);
      let outcome: ToolOutcome;
      try {
        outcome = await req.tools.run(call, signal);
      } catch (err) {
        outcome = { content: `Tool ${call.name} failed: ${err instanceof Error ? err.message : String(err)}`, isError: true };
      }
      results.push({
        type: 'tool_result',
        tool_use_id: call.id,
        content: outcome.content,
        ...(outcome.isError ? { is_error: true } : {}),
      });
    }
    messages.push({ role: 'user', content: results });
  }
  log.warn(`chat: stopped after ${maxRounds} rounds of tool use`);
  return result('max_rounds');
}

function toolCalls(content: ContentBlock[]): ToolCallRequest[] {
  const out: ToolCallRequest[] = [];
  for (const block of content) {
    if (block.type === 'tool_use') out.push({ id: block.id, name: block.name, input: block.input });
  }
  return out;
}
