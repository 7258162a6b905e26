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

/** A response stream that records every part; with `forward`, also passes each call on (a tee). */
export function recordingStream(forward?: vscode.ChatResponseStream): RecordingStream {
  const parts: RecordedPart[] = [];
  const md = (v: string | vscode.MarkdownString) => (typeof v === 'string' ? v : v.value);
  return {
    parts,
    markdown: (value) => { parts.push({ kind: 'markdown', value: md(value) }); forward?.markdown(value); },
    anchor: (value, title) => { parts.push({ kind: 'anchor', value, title }); forward?.anchor(value, title); },
    button: (value) => { parts.push({ kind: 'button', value }); forward?.button(value); },
    filetree: (value, baseUri) => { parts.push({ kind: 'filetree', value, baseUri }); forward?.filetree(value, baseUri); },
    progress: (value) => { parts.push({ kind: 'progress', value }); forward?.progress(value); },
    reference: (value, iconPath) => { parts.push({ kind: 'reference', value }); forward?.reference(value, iconPath); },
    push: (value) => {
      if (value instanceof vscode.ChatResponseMarkdownPart) parts.push({ kind: 'markdown', value: value.value.value });
      else parts.push({ kind: 'push', value });
      forward?.push(value);
    },
    text: () => parts.filter((p): p is Extract<RecordedPart, { kind: 'markdown' }> => p.kind === 'markdown').map((p) => p.value).join(''),
  };
}

export interface SpiedCall {
  request: vscode.ChatRequest;
  stream: RecordingStream;
  /** Settles with the handler's result (or its error) once the handler is done. */
  done: Promise<{ result?: vscode.ChatResult | null | void; error?: unknown }>;
}

export interface ParticipantSpy {
  readonly calls: SpiedCall[];
  /** The first call whose request matches, once its handler has finished. */
  waitForCall(match: (r: vscode.ChatRequest) => boolean, timeoutMs?: number): Promise<SpiedCall & { result?: vscode.ChatResult | null | void; error?: unknown }>;
  restore(): void;
}

/**
 * Wraps a live participant's handler so every request the editor routes to it is recorded (request, every
 * streamed part, result) and still answered by the real handler. Point it at our participants through the
 * extension's api, e.g. `spyOnParticipant(api.participants.get('database-engineer.pg-expert'))`, then
 * `await sendChat('@pg-expert …', () => spy.waitForCall((r) => r.prompt.includes('…')))`.
 */
export function spyOnParticipant(participant: vscode.ChatParticipant): ParticipantSpy {
  const original = participant.requestHandler;
  const calls: SpiedCall[] = [];
  const listeners = new Set<() => void>();
  participant.requestHandler = (request, context, response, token) => {
    const stream = recordingStream(response);
    let finish!: (v: { result?: vscode.ChatResult | null | void; error?: unknown }) => void;
    const done = new Promise<{ result?: vscode.ChatResult | null | void; error?: unknown }>((r) => { finish = r; });
    calls.push({ request, stream, done });
    listeners.forEach((l) => l());
    const run = Promise.resolve().then(() => original(request, context, stream, token));
    run.then((result) => finish({ result }), (error) => finish({ error }));
    return run;
  };
  return {
    calls,
    async waitForCall(match, timeoutMs = 30000) {
      const found = () => calls.find((c) => match(c.request));
      let call = found();
      if (!call) {
        call = await new Promise<SpiedCall>((resolve, reject) => {
          const timer = setTimeout(() => {
            listeners.delete(check);
            reject(new Error(`no matching request reached ${participant.id} within ${timeoutMs} ms (${calls.length} other calls)`));
          }, timeoutMs);
          const check = () => { const c = found(); if (c) { clearTimeout(timer); listeners.delete(check); resolve(c); } };
          listeners.add(check);
        });
      }
      return { ...call, ...(await call.done) };
    },
    restore() { participant.requestHandler = original; },
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
