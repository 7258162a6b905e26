/**
 * The `ModelClient` port: what the conversation loop (`streamReply`) needs from a model, whoever serves it. The
 * Anthropic adapter lives beside it (`anthropic.ts`); the editor's Language Model adapter lives in src/vscode.
 * A client streams one model call: text as it arrives, then the tool calls and why the call stopped.
 */
import type { ChatError } from './errors';

/** A tool the model may call (JSON Schema input, as both the Messages API and MCP take it). */
export interface ToolDefinition {
  name: string;
  description?: string;
  input_schema: { type: 'object'; [key: string]: unknown };
}

export type ModelPart =
  | { type: 'text'; text: string }
  | { type: 'tool_call'; id: string; name: string; input: unknown }
  | { type: 'tool_result'; callId: string; content: string; isError?: boolean };

export interface ModelMessage {
  role: 'user' | 'assistant';
  /** Plain text, or parts (assistant text and tool calls; user tool results). */
  content: string | ModelPart[];
}

export interface ModelRequest {
  /** The agent's model id (an adapter serving one fixed model ignores it). */
  modelId: string;
  system: string;
  messages: readonly ModelMessage[];
  tools: readonly ToolDefinition[];
  /** A tool the model must call in this request (the user named it with #). */
  forceTool?: string;
  maxTokens: number;
  signal: AbortSignal;
}

export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence' | 'refusal' | 'pause_turn';

export type ModelEvent =
  | { type: 'text'; text: string }
  | { type: 'tool_call'; id: string; name: string; input: unknown }
  | { type: 'stop'; reason: StopReason; usage?: { inputTokens: number; outputTokens: number } };

export interface ModelClient {
  /** Who answers, for logs and notes ("Claude (api.anthropic.com)", "GPT-4o through the editor"). */
  label: string;
  /** One model call. Throws on failure; `describeError` turns that into what the user reads. */
  stream(request: ModelRequest): AsyncIterable<ModelEvent>;
  /** True when `err` is the request being cancelled. */
  isCancellation(err: unknown): boolean;
  /** A failure as the user should see it (never carrying a key). `partial`: some text had already arrived. */
  describeError(err: unknown, opts: { modelId: string; partial: boolean }): ChatError;
}
