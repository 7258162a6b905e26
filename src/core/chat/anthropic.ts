/** The Anthropic Messages API as a `ModelClient` (streaming, tool use), over the SDK client of `client.ts`. */
import type Anthropic from '@anthropic-ai/sdk';
import { hostOf, type ChatClient } from './client';
import { describeError, isCancellation } from './errors';
import type { ModelClient, ModelEvent, ModelMessage, ModelRequest, StopReason } from './model';

type MessageParam = Anthropic.Messages.MessageParam;
type BlockParam = Anthropic.Messages.ContentBlockParam;

export function anthropicModel(client: ChatClient): ModelClient {
  const host = hostOf(client.baseURL);
  return {
    label: `Claude (${host})`,
    async *stream(req: ModelRequest): AsyncIterable<ModelEvent> {
      const stream = client.anthropic.messages.stream(
        {
          model: req.modelId,
          max_tokens: req.maxTokens,
          ...(req.system.trim() ? { system: req.system } : {}),
          messages: req.messages.map(toParam),
          ...(req.tools.length ? { tools: req.tools as Anthropic.Messages.Tool[] } : {}),
          ...(req.forceTool ? { tool_choice: { type: 'tool', name: req.forceTool } } : {}),
        },
        { signal: req.signal },
      );
      for await (const event of stream) {
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') yield { type: 'text', text: event.delta.text };
      }
      const final = await stream.finalMessage();
      for (const block of final.content) {
        if (block.type === 'tool_use') yield { type: 'tool_call', id: block.id, name: block.name, input: block.input };
      }
      yield {
        type: 'stop',
        reason: (final.stop_reason ?? 'end_turn') as StopReason,
        usage: { inputTokens: final.usage?.input_tokens ?? 0, outputTokens: final.usage?.output_tokens ?? 0 },
      };
    },
    isCancellation,
    describeError(err, opts) {
      const error = describeError(err, { host, maxRetries: client.maxRetries, modelId: opts.modelId, apiKey: client.apiKey });
      if (error.kind === 'unknown' && opts.partial) {
        return { kind: 'stream', message: `The reply was cut off: the connection to ${host} broke while streaming. The text so far is kept above; ask again to retry.` };
      }
      return error;
    },
  };
}

function toParam(m: ModelMessage): MessageParam {
  if (typeof m.content === 'string') return { role: m.role, content: m.content };
  const blocks: BlockParam[] = m.content.map((p): BlockParam => {
    if (p.type === 'text') return { type: 'text', text: p.text };
    if (p.type === 'tool_call') return { type: 'tool_use', id: p.id, name: p.name, input: p.input };
    return { type: 'tool_result', tool_use_id: p.callId, content: p.content, ...(p.isError ? { is_error: true } : {}) };
  });
  return { role: m.role, content: blocks };
}
