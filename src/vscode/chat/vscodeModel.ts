/**
 * The editor's Language Model API as a core `ModelClient`: the chat request's own model (or one picked with
 * `vscode.lm.selectChatModels`) drives the same conversation loop, tools and project context as the Anthropic path.
 * Setting `databaseEngineer.chat.provider`: auto (Anthropic when a key is set, else this), anthropic, vscode; the
 * choice itself is core's `chooseProvider`.
 */
import * as vscode from 'vscode';
import type { ChatError } from '../../core/chat/errors';
import type { ModelClient, ModelEvent, ModelMessage, ModelRequest } from '../../core/chat/model';

/** A VS Code language model as a ModelClient. */
export function vscodeModelClient(model: vscode.LanguageModelChat): ModelClient {
  return {
    label: model.name,
    async *stream(req: ModelRequest): AsyncIterable<ModelEvent> {
      const source = new vscode.CancellationTokenSource();
      const onAbort = () => source.cancel();
      req.signal.addEventListener('abort', onAbort);
      try {
        // The stable API has no system role: the instructions open the conversation as a user message.
        const messages = [...(req.system.trim() ? [vscode.LanguageModelChatMessage.User(req.system)] : []), ...req.messages.map(toMessage)];
        const offered = req.forceTool ? req.tools.filter((t) => t.name === req.forceTool) : req.tools;
        const tools: vscode.LanguageModelChatTool[] = offered.map((t) => ({ name: t.name, description: t.description ?? '', inputSchema: t.input_schema }));
        const response = await model.sendRequest(messages, tools.length
          ? { tools, toolMode: req.forceTool ? vscode.LanguageModelChatToolMode.Required : vscode.LanguageModelChatToolMode.Auto }
          : {}, source.token);
        let calls = 0;
        for await (const part of response.stream) {
          if (part instanceof vscode.LanguageModelTextPart) yield { type: 'text', text: part.value };
          else if (part instanceof vscode.LanguageModelToolCallPart) {
            calls++;
            yield { type: 'tool_call', id: part.callId, name: part.name, input: part.input };
          }
        }
        yield { type: 'stop', reason: calls ? 'tool_use' : 'end_turn' };
      } finally {
        req.signal.removeEventListener('abort', onAbort);
        source.dispose();
      }
    },
    isCancellation: (err) => err instanceof vscode.CancellationError,
    describeError(err): ChatError {
      const message = err instanceof vscode.LanguageModelError
        ? `The language model ${model.name} refused or failed (${err.code || 'error'}): ${err.message}. Choose another model, or set an Anthropic API key (Database Engineer: Set Anthropic API Key).`
        : `The language model ${model.name} failed: ${(err as Error).message}`;
      return { kind: 'model', message };
    },
  };
}

function toMessage(m: ModelMessage): vscode.LanguageModelChatMessage {
  const make = m.role === 'user' ? vscode.LanguageModelChatMessage.User : vscode.LanguageModelChatMessage.Assistant;
  if (typeof m.content === 'string') return make(m.content);
  const parts = m.content.map((p) => {
    if (p.type === 'text') return new vscode.LanguageModelTextPart(p.text);
    if (p.type === 'tool_call') return new vscode.LanguageModelToolCallPart(p.id, p.name, (p.input ?? {}) as object);
    return new vscode.LanguageModelToolResultPart(p.callId, [new vscode.LanguageModelTextPart(p.isError ? `Error: ${p.content}` : p.content)]);
  });
  return make(parts as never);
}
