// Drive a chat participant's handler directly, without the Chat view: a real ChatRequest-shaped object
// (with the helper's real language model), an empty history, and a response stream that records every part.
// Use this for precise assertions on what a participant streams; use util.sendChat for the UI wiring.
//   const stream = recordingStream();
//   await handler(await chatRequest('why is this slow?'), emptyChatContext, stream, token());
//   assert.match(stream.text(), /Seq Scan/);
import * as vscode from 'vscode';
import { lmHelper } from './util';

export type RecordedPart =
  | { kind: 'markdown'; value: string }
  | { kind: 'anchor'; value: vscode.Uri | vscode.Location; title?: string }
  | { kind: 'button'; value: vscode.Command }
  | { kind: 'filetree'; value: vscode.ChatResponseFileTree[]; baseUri: vscode.Uri }
  | { kind: 'progress'; value: string }
  | { kind: 'reference'; value: vscode.Uri | vscode.Location }
  | { kind: 'push'; value: vscode.ChatResponsePart };

export interface RecordingStream extends vscode.ChatResponseStream {
  readonly parts: RecordedPart[];
  /** All markdown streamed so far, concatenated (pushed markdown parts included). */
  text(): string;
}

export function recordingStream(): RecordingStream {
  const parts: RecordedPart[] = [];
  const md = (v: string | vscode.MarkdownString) => (typeof v === 'string' ? v : v.value);
  return {
    parts,
    markdown: (value) => { parts.push({ kind: 'markdown', value: md(value) }); },
    anchor: (value, title) => { parts.push({ kind: 'anchor', value, title }); },
    button: (value) => { parts.push({ kind: 'button', value }); },
    filetree: (value, baseUri) => { parts.push({ kind: 'filetree', value, baseUri }); },
    progress: (value) => { parts.push({ kind: 'progress', value }); },
    reference: (value) => { parts.push({ kind: 'reference', value }); },
    push: (value) => {
      if (value instanceof vscode.ChatResponseMarkdownPart) parts.push({ kind: 'markdown', value: value.value.value });
      else parts.push({ kind: 'push', value });
    },
    text: () => parts.filter((p): p is Extract<RecordedPart, { kind: 'markdown' }> => p.kind === 'markdown').map((p) => p.value).join(''),
  };
}

export const emptyChatContext: vscode.ChatContext = { history: [] };

/** A cancellation token that is never cancelled, or the source to cancel one. */
export function token(source = new vscode.CancellationTokenSource()): vscode.CancellationToken {
  return source.token;
}

/** The test helper's default model (`vendor: dbe-test`), which the UI path also uses. */
export async function testModel(): Promise<vscode.LanguageModelChat> {
  await lmHelper();
  const [model] = await vscode.lm.selectChatModels({ vendor: 'dbe-test' });
  if (!model) throw new Error('the dbe-test language model is not registered (lm-helper not loaded?)');
  return model;
}

/** A ChatRequest as VS Code would pass it for `@participant /command prompt`. */
export async function chatRequest(
  prompt: string,
  opts: { command?: string; references?: vscode.ChatPromptReference[] } = {},
): Promise<vscode.ChatRequest> {
  return {
    prompt,
    command: opts.command,
    references: opts.references ?? [],
    toolReferences: [],
    toolInvocationToken: undefined as unknown as vscode.ChatParticipantToolToken,
    model: await testModel(),
  };
}
